import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNotModified } from '../../src/http/conditional.ts';

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
