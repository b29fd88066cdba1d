import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseEncoding, isNotModified, parseHttpDate } from '../../src/http/conditional.ts';

const etag = '"abc"';
const lm = 'Sat, 21 Nov 2026 10:00:00 GMT';

test('If-None-Match: a listed tag (weak or strong) or * matches; another does not', () => {
  assert.equal(isNotModified({ 'if-none-match': '"abc"' }, etag, lm), true);
  assert.equal(isNotModified({ 'if-none-match': '"x", W/"abc"' }, etag, lm), true);
  assert.equal(isNotModified({ 'if-none-match': '*' }, etag, lm), true);
  assert.equal(isNotModified({ 'if-none-match': '"abd"' }, etag, lm), false);
});

test('If-None-Match takes precedence over If-Modified-Since', () => {
  assert.equal(isNotModified({ 'if-none-match': '"old"', 'if-modified-since': lm }, etag, lm), false);
});

test('If-Modified-Since: not modified when the resource is not newer', () => {
  assert.equal(isNotModified({ 'if-modified-since': lm }, etag, lm), true);
  assert.equal(isNotModified({ 'if-modified-since': 'Sat, 21 Nov 2026 11:00:00 GMT' }, etag, lm), true);
  assert.equal(isNotModified({ 'if-modified-since': 'Sat, 21 Nov 2026 09:59:59 GMT' }, etag, lm), false);
  assert.equal(isNotModified({ 'if-modified-since': 'not a date' }, etag, lm), false);
  assert.equal(isNotModified({}, etag, lm), false);
});

test('HTTP-dates: the three forms RFC 9110 names are read; anything else is not a date', () => {
  const cases: [string, string | null][] = [
    ['Sun, 06 Nov 1994 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
    ['Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
    ['Sun Nov  6 08:49:37 1994', '1994-11-06T08:49:37.000Z'],
    ['Sat, 21 Nov 2026 10:00:00 GMT', '2026-11-21T10:00:00.000Z'],
    ['Saturday, 21-Nov-26 10:00:00 GMT', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21T11:00:00Z', null],
    ['2026-11-21', null],
    ['Sat, 21 Nov 2026 10:00:00 +0000', null],
    ['Sat, 32 Nov 2026 10:00:00 GMT', null],
    ['Sat, 21 Foo 2026 10:00:00 GMT', null],
    ['', null],
  ];
  for (const [input, iso] of cases) {
    const t = parseHttpDate(input);
    assert.equal(Number.isNaN(t) ? null : new Date(t).toISOString(), iso, input);
  }
});

test('If-Modified-Since that is not an HTTP-date is ignored (RFC 9110 §13.1.3): no 304 for an ISO date', () => {
  assert.equal(isNotModified({ 'if-modified-since': '2026-11-21T11:00:00Z' }, etag, lm), false);
  assert.equal(isNotModified({ 'if-modified-since': 'Saturday, 21-Nov-26 11:00:00 GMT' }, etag, lm), true);
  assert.equal(isNotModified({ 'if-modified-since': 'Sat Nov 21 11:00:00 2026' }, etag, lm), true);
});

test('Accept-Encoding: q-values honoured, br preferred on a tie, * and identity;q=0 as RFC 9110 §12.5.3 says', () => {
  const both = ['br', 'gzip'] as const;
  const cases: [string | undefined, string | null][] = [
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['br, gzip', 'br'],
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['GZIP;Q=0.8, Br;q=0.9', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['deflate', 'identity'],
    ['compress, zstd', 'identity'],
    ['*', 'br'],
    ['*;q=0.5, gzip', 'gzip'],
    ['br;q=0.1, *;q=0.5', 'gzip'],
    ['identity', 'identity'],
    ['identity;q=0.5, gzip;q=0.4', 'identity'],
    ['identity;q=0', null],
    ['*;q=0', null],
    ['*;q=0, identity', 'identity'],
    ['gzip;q=0, identity;q=0, br;q=0.001', 'br'],
    ['gzip, identity;q=0', 'gzip'],
    [' gzip ; q=0.3 ,  br ; q=0.2 ', 'gzip'],
  ];
  for (const [header, expected] of cases) assert.equal(chooseEncoding(header, both), expected, String(header));
  // Only the codings stored can be chosen: an old rendering stored without them is identity.
  assert.equal(chooseEncoding('br, gzip', []), 'identity');
  assert.equal(chooseEncoding('br, gzip;q=0.5', ['gzip']), 'gzip');
  assert.equal(chooseEncoding('br, identity;q=0', []), null);
});
