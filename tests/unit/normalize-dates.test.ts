import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parseCalendarDate, parseDate, parseDatePhrase } from '../../src/normalize/dates.ts';

const iso = (s: string): string | null => parseDate(s)?.toISOString() ?? null;

describe('parseDate: RFC 822', () => {
  it('reads named North American zones', () => {
    assert.equal(iso('Fri, 10 Apr 2020 12:00:00 EDT'), '2020-04-10T16:00:00.000Z');
    assert.equal(iso('Fri, 10 Jan 2020 12:00:00 EST'), '2020-01-10T17:00:00.000Z');
    assert.equal(iso('Fri, 10 Apr 2020 12:00:00 PDT'), '2020-04-10T19:00:00.000Z');
    assert.equal(iso('Fri, 10 Jan 2020 12:00:00 CST'), '2020-01-10T18:00:00.000Z');
    assert.equal(iso('Fri, 10 Jan 2020 12:00:00 MDT'), '2020-01-10T18:00:00.000Z');
  });

  it('reads UT, GMT, numeric offsets and comments', () => {
    assert.equal(iso('Fri, 10 Apr 2020 12:00:00 GMT'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('Fri, 10 Apr 2020 12:00:00 UT'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('Fri, 10 Apr 2020 14:30:00 +0230'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('Fri, 10 Apr 2020 12:00:00 +0000 (UTC)'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('Fri, 10 Apr 2020 15:00:00 GMT+03:00'), '2020-04-10T12:00:00.000Z');
  });

  it('reads military zone letters', () => {
    assert.equal(iso('10 Apr 2020 12:00:00 Z'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('10 Apr 2020 13:00:00 A'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('10 Apr 2020 00:00:00 M'), '2020-04-09T12:00:00.000Z');
    assert.equal(iso('10 Apr 2020 11:00:00 N'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('10 Apr 2020 00:00:00 Y'), '2020-04-10T12:00:00.000Z');
  });

  it('accepts missing weekday, missing seconds, two-digit years and full month names', () => {
    assert.equal(iso('10 Apr 2020 12:00 GMT'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('Fri, 10 Apr 20 12:00:00 GMT'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('Thu, 01 Jan 98 00:00:00 GMT'), '1998-01-01T00:00:00.000Z');
    assert.equal(iso('Friday, 10 April 2020 12:00:00 GMT'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('Fri, 10 Apr 2020'), '2020-04-10T00:00:00.000Z');
  });

  it('reads the asctime and JavaScript orders', () => {
    assert.equal(iso('Fri Apr 10 12:00:00 2020'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('Fri Apr 10 2020 14:00:00 +0200'), '2020-04-10T12:00:00.000Z');
  });
});

describe('parseDate: ISO 8601 / RFC 3339', () => {
  it('reads offsets, Z, fractions and missing seconds', () => {
    assert.equal(iso('2020-04-10T14:00:00+02:00'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('2020-04-10T08:00:00-04:00'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('2020-04-10T12:00:00Z'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('2020-04-10T12:00:00.250Z'), '2020-04-10T12:00:00.250Z');
    assert.equal(iso('2020-04-10T12:00Z'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('2020-04-10T15:00+0300'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('2020-04-10 12:00:00'), '2020-04-10T12:00:00.000Z');
    assert.equal(iso('20200410T120000Z'), '2020-04-10T12:00:00.000Z');
  });

  it('reads date-only values as midnight UTC', () => {
    assert.equal(iso('2020-04-10'), '2020-04-10T00:00:00.000Z');
    assert.equal(iso('2020-04'), '2020-04-01T00:00:00.000Z');
  });

  it('knows leap years', () => {
    assert.equal(iso('2020-02-29T00:00:00Z'), '2020-02-29T00:00:00.000Z');
    assert.equal(iso('2019-02-29T00:00:00Z'), null);
    assert.equal(iso('1900-02-29'), null);
    assert.equal(iso('2000-02-29'), '2000-02-29T00:00:00.000Z');
  });
});

describe('parseDate: garbage', () => {
  it('returns null for anything that is not a date', () => {
    for (const s of [
      '', '   ', 'yesterday', 'not a date', '2020-13-01', '2020-04-31', '2020-04-10T24:00:00Z',
      '2020-04-10T12:60:00Z', '2020-04-10T12:00:00+25:00', '32 Apr 2020 12:00:00 GMT',
      'Fri, 10 Foo 2020 12:00:00 GMT', 'Fri, 10 Apr 2020 12:00:00 XYZ', '10 Apr', 'Apr 2020',
      '2020-04-10T12:00:00Zextra', '12345',
    ]) {
      assert.equal(parseDate(s), null, s);
    }
  });
});

describe('parseDate: Universal Feed Parser vectors', () => {
  const path = new URL('../../../shared/corpora/feedparser/dates.json', import.meta.url);
  const supported = new Set(['rfc822', 'w3dtf', 'asctime', 'perforce']);
  it('agrees with feedparser on RFC 822, W3C-DTF, asctime and Perforce dates', (t) => {
    if (!existsSync(path)) {
      t.skip('../shared/corpora/feedparser/dates.json is absent on this machine');
      return;
    }
    const vectors = JSON.parse(readFileSync(path, 'utf8')) as Array<{ parser: string; input: string; expected_utc: string | null }>;
    let checked = 0;
    for (const v of vectors.filter((x) => supported.has(x.parser))) {
      // feedparser keeps whole seconds only.
      const got = parseDate(v.input)?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? null;
      assert.equal(got, v.expected_utc, `${v.parser}: ${JSON.stringify(v.input)}`);
      checked++;
    }
    assert.ok(checked >= 50);
  });
});

describe('parseDatePhrase / parseCalendarDate', () => {
  it('reads English, French and Arabic calendar dates', () => {
    const day = (s: string): string | null => parseCalendarDate(s)?.toISOString() ?? null;
    assert.equal(day('10 avril 2020'), '2020-04-10T00:00:00.000Z');
    assert.equal(day('1er mai 2020'), '2020-05-01T00:00:00.000Z');
    assert.equal(day('10 juil 2024'), '2024-07-10T00:00:00.000Z');
    assert.equal(day('Aug 29, 2014'), '2014-08-29T00:00:00.000Z');
    assert.equal(day('10 نيسان/أبريل 2020'), '2020-04-10T00:00:00.000Z');
    assert.equal(day('١٠ تشرين الأول/أكتوبر ٢٠٢٠'), '2020-10-10T00:00:00.000Z');
    assert.equal(day('الجمعة 5 ديسمبر 2016'), '2016-12-05T00:00:00.000Z');
    assert.equal(day('5 جوان 2017'), '2017-06-05T00:00:00.000Z');
    assert.equal(day('31 avril 2020'), null);
  });

  it('tells a partial date from a non-date', () => {
    assert.deepEqual(parseDatePhrase('Monday'), { year: null, month: null, day: null });
    assert.deepEqual(parseDatePhrase('April 10'), { year: null, month: 4, day: 10 });
    assert.equal(parseDatePhrase('Ga.'), null);
    assert.equal(parseDatePhrase('Australia'), null);
  });
});
