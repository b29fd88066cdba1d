import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { findDateInText, parseCalendarDate, parseDate, parseDatePhrase, resolveDatePhrase } from '../../src/normalize/dates.ts';

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
      '2020-04-10T12:00:00Zextra', '123', '1234567', '12367', '03366', '99-13-01', '031232', '-0313',
      '03-1231', '031231T10:00Z', 'on 031231', '2004-05-25 foo', '2004-05-25 11:23:17 오후',
      '2004-05-25 오후 13:23:17', '2004-foo-13', '2004-július-32', '2003-013-31', '2003-000', '2003-366',
    ]) {
      assert.equal(parseDate(s), null, s);
    }
  });
});

describe('parseDate: ISO 8601 ordinal and two-digit-year forms, Greek, Hungarian, Korean (issue 11)', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    // ISO 8601:2000 truncated forms: only as the whole string, date only.
    ['031231', '2003-12-31T00:00:00.000Z'],
    ['03-12-31', '2003-12-31T00:00:00.000Z'],
    ['980101', '1998-01-01T00:00:00.000Z'],
    ['03335', '2003-12-01T00:00:00.000Z'],
    ['03-335', '2003-12-01T00:00:00.000Z'],
    ['04366', '2004-12-31T00:00:00.000Z'],
    // A bare five-digit number is the YYDDD form too; feedparser reads it so.
    ['12345', '2012-12-10T00:00:00.000Z'],
    ['-0312', '2003-12-01T00:00:00.000Z'],
    ['-03-12', '2003-12-01T00:00:00.000Z'],
    // Ordinal dates with a four-digit year, and a month padded to three digits.
    ['2003-335', '2003-12-01T00:00:00.000Z'],
    ['2004-060T12:00:00Z', '2004-02-29T12:00:00.000Z'],
    ['2003-012-31T10:14:55+00:00', '2003-12-31T10:14:55.000Z'],
    ['2003-012', '2003-01-12T00:00:00.000Z'],
    // Greek and Hungarian names; accents and case do not matter.
    ['Κυρ, 11 Ιούλ 2004 12:00:00 EST', '2004-07-11T17:00:00.000Z'],
    ['Τρίτη, 5 Μαΐου 2020 10:00:00 +0300', '2020-05-05T07:00:00.000Z'],
    ['ΣΑΒ, 01 ΔΕΚ 2012 08:00:00 GMT', '2012-12-01T08:00:00.000Z'],
    ['2004-július-13T9:15-05:00', '2004-07-13T14:15:00.000Z'],
    ['2004-júl.-13', '2004-07-13T00:00:00.000Z'],
    ['2004. július 13. 9:15 +0200', '2004-07-13T07:15:00.000Z'],
    ['kedd, 13 július 2004', '2004-07-13T00:00:00.000Z'],
    // Korean: Korea time (UTC+9) unless a zone is given; 오전/오후 are a.m./p.m.
    ['2004년 05월 28일 01:31:15', '2004-05-27T16:31:15.000Z'],
    ['2004년 5월 28일', '2004-05-27T15:00:00.000Z'],
    ['2004-05-25 오후 11:23:17', '2004-05-25T14:23:17.000Z'],
    ['2004-05-25 오전 12:05:00', '2004-05-24T15:05:00.000Z'],
    ['2004-05-25 오후 12:05:00 GMT', '2004-05-25T12:05:00.000Z'],
    // An ISO date with a space before the time is still UTC, not Korea time.
    ['2004-05-25 11:23:17', '2004-05-25T11:23:17.000Z'],
  ];
  for (const [input, want] of cases) {
    it(`reads ${JSON.stringify(input)}`, () => assert.equal(iso(input), want));
  }
});

describe('parseDate: Universal Feed Parser vectors (dates.json)', () => {
  const path = new URL('../../../shared/corpora/feedparser/dates.json', import.meta.url);
  // feedparser tests each of its date parsers alone; its None for "22013" is its W3C-DTF parser's
  // (a five-digit year), while its ISO 8601 parser, and feedparser's _parse_date as a whole, read
  // YYDDD: 2022, day 13. One reader cannot tell "22013" from "03335" (2003, day 335).
  const readAsYyddd: Readonly<Record<string, string>> = { '22013': '2022-01-13T00:00:00Z' };
  const vectors = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Array<{ parser: string; input: string; expected_utc: string | null }>)
    : [];
  if (vectors.length === 0) {
    it('needs ../shared/corpora/feedparser/dates.json', (t) => t.skip('../shared/corpora/feedparser/dates.json is absent on this machine'));
    return;
  }
  it('has the vectors of every parser feedparser tests', () => {
    assert.ok(vectors.length >= 70, `${vectors.length} vectors`);
    assert.deepEqual(
      [...new Set(vectors.map((v) => v.parser))].sort(),
      ['asctime', 'greek', 'hungarian', 'iso8601', 'nate', 'onblog', 'perforce', 'rfc822', 'w3dtf'],
    );
  });
  for (const v of vectors) {
    const want = readAsYyddd[v.input] ?? v.expected_utc;
    it(`${v.parser} ${JSON.stringify(v.input)} → ${want ?? 'rejected'}`, () => {
      // feedparser keeps whole seconds only.
      const got = parseDate(v.input)?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? null;
      assert.equal(got, want);
    });
  }
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

describe('resolveDatePhrase', () => {
  const REF = new Date('2018-06-14T10:00:00Z'); // a Thursday
  const day = (text: string, ref: Date | undefined = REF): string | null => {
    const r = resolveDatePhrase(text, ref);
    if (r === null) return null;
    return r.precision === 'month' ? r.date.toISOString().slice(0, 7) : r.date.toISOString().slice(0, 10);
  };

  it('reads every month-name family with its spelling variants', () => {
    const cases: Array<[string, string]> = [
      ['3 كانون الثاني 2019', '2019-01-03'], ['3 شباط 2019', '2019-02-03'], ['3 آذار 2019', '2019-03-03'],
      ['3 نيسان 2019', '2019-04-03'], ['3 أيار 2019', '2019-05-03'], ['3 آيار 2019', '2019-05-03'],
      ['3 حزيران 2019', '2019-06-03'], ['3 تموز 2019', '2019-07-03'], ['3 آب 2019', '2019-08-03'],
      ['3 أيلول 2019', '2019-09-03'], ['3 تشرين الأول 2019', '2019-10-03'], ['3 تشرين الثاني 2019', '2019-11-03'],
      ['3 كانون الأول 2019', '2019-12-03'],
      ['3 يناير 2019', '2019-01-03'], ['3 فبراير 2019', '2019-02-03'], ['3 مارس 2019', '2019-03-03'],
      ['3 أبريل 2019', '2019-04-03'], ['3 ابريل 2019', '2019-04-03'], ['3 إبريل 2019', '2019-04-03'],
      ['3 مايو 2019', '2019-05-03'], ['3 يونيو 2019', '2019-06-03'], ['3 يونيه 2019', '2019-06-03'],
      ['3 يوليو 2019', '2019-07-03'], ['3 يوليه 2019', '2019-07-03'], ['3 أغسطس 2019', '2019-08-03'],
      ['3 اغسطس 2019', '2019-08-03'], ['3 سبتمبر 2019', '2019-09-03'], ['3 أكتوبر 2019', '2019-10-03'],
      ['3 نوفمبر 2019', '2019-11-03'], ['3 ديسمبر 2019', '2019-12-03'],
      ['3 جانفي 2019', '2019-01-03'], ['3 فيفري 2019', '2019-02-03'], ['3 أفريل 2019', '2019-04-03'],
      ['3 ماي 2019', '2019-05-03'], ['3 جوان 2019', '2019-06-03'], ['3 جويلية 2019', '2019-07-03'],
      ['3 أوت 2019', '2019-08-03'], ['3 غشت 2019', '2019-08-03'], ['3 نونبر 2019', '2019-11-03'],
      ['3 دجنبر 2019', '2019-12-03'], ['3 يوليوز 2019', '2019-07-03'], ['3 شتنبر 2019', '2019-09-03'],
    ];
    for (const [text, expected] of cases) assert.equal(day(text), expected, text);
  });

  it('reads double names in either order, with slashes, spaces or brackets', () => {
    assert.equal(day('30 آذار/مارس 2020'), '2020-03-30');
    assert.equal(day('30 مارس/آذار 2020'), '2020-03-30');
    assert.equal(day('30 آذار (مارس) 2020'), '2020-03-30');
    assert.equal(day('14 كانون الثاني / يناير 2017'), '2017-01-14');
    assert.equal(day('14حزيران/يونيو 2018'), '2018-06-14');
    assert.equal(day('5 مارس/أبريل 2020'), null, 'two different months are a range, not a date');
  });

  it('reads Arabic-Indic and Persian digits and numeric dates day first', () => {
    assert.equal(day('١٢ أفريل ٢٠٢٠'), '2020-04-12');
    assert.equal(day('۱۲ أفريل ۲۰۲۰'), '2020-04-12');
    assert.equal(day('١٢/٢/٢٠١٨'), '2018-02-12');
    assert.equal(day('13-06-2018'), '2018-06-13');
    assert.equal(day('14/10/1439'), null, 'a Hijri date is not converted');
    assert.equal(day('2.18.156'), null);
  });

  it('resolves a year-less day to its nearest occurrence at most ~6 months ahead', () => {
    assert.equal(day('الخميس 14 حزيران/يونيو'), '2018-06-14');
    assert.equal(day('20 تشرين الأول/أكتوبر'), '2018-10-20'); // 128 days ahead: announced
    assert.equal(day('5 كانون الأول/ديسمبر', new Date('2018-02-09T00:00:00Z')), '2017-12-05'); // 299 ahead: too far
    assert.equal(day('25 كانون الثاني/يناير الماضي', new Date('2018-01-20T00:00:00Z')), '2017-01-25');
    assert.equal(day('14 سبتمبر/أيلول المقبل'), '2018-09-14');
    assert.equal(day('14 حزيران'), '2018-06-14');
    assert.equal(resolveDatePhrase('14 حزيران'), null, 'no reference, no year');
  });

  it('resolves weekdays against the reference', () => {
    assert.equal(day('الجمعة', new Date('2020-04-11T10:00:00Z')), '2020-04-10');
    assert.equal(day('يوم الخميس'), '2018-06-14', 'the same day counts');
    assert.equal(day('الخميس الماضي'), '2018-06-07');
    assert.equal(day('يوم الخميس المقبل'), '2018-06-21');
    assert.equal(day('السبت القادم'), '2018-06-16');
    assert.equal(day('Monday'), '2018-06-11');
    assert.equal(day('أحد القادم'), null, 'أحد without the article is "one"');
  });

  it('keeps English and French phrases, with month precision and times', () => {
    assert.equal(day('10 avril 2020'), '2020-04-10');
    assert.equal(day('Aug 29, 2014'), '2014-08-29');
    assert.equal(day('juil 2024'), '2024-07');
    assert.equal(resolveDatePhrase('juil 2024')?.precision, 'month');
    const timed = resolveDatePhrase('10 avril 2020 14:30');
    assert.equal(timed?.date.toISOString(), '2020-04-10T14:30:00.000Z');
    assert.equal(timed?.precision, 'minute');
    assert.equal(resolveDatePhrase('10 avril 2020')?.hasYear, true);
    assert.equal(resolveDatePhrase('10 avril', REF)?.hasYear, false);
  });
});

describe('findDateInText', () => {
  const REF = new Date('2020-04-11T10:00:00Z');

  it('finds the first date phrase of a paragraph with its position', () => {
    const text = 'وهي المكالمة الثانية منذ اتصالهما في 30 آذار/مارس، حيث قال ترامب';
    const found = findDateInText(text, REF);
    assert.equal(found?.date.toISOString(), '2020-03-30T00:00:00.000Z');
    assert.equal(found?.text, '30 آذار/مارس');
    assert.equal(text.slice(found!.index, found!.index + found!.text.length), '30 آذار/مارس');
  });

  it('takes the year after عام and the relative word after a weekday', () => {
    assert.equal(findDateInText('اتخذ القرار في 22 نوفمبر/تشرين الثاني عام 1799، وكتب', REF)?.date.toISOString().slice(0, 10), '1799-11-22');
    // From a Saturday, "last Friday" is the day before; a bare "الخميس" (Thursday) as well.
    assert.equal(findDateInText('قال إن الاتفاق أبرم الجمعة الماضي في موسكو', REF)?.date.toISOString().slice(0, 10), '2020-04-10');
    assert.equal(findDateInText('وقع الاتفاق يوم الخميس الماضي', new Date('2020-04-09T10:00:00Z'))?.date.toISOString().slice(0, 10), '2020-04-02');
  });

  it('finds a weekday alone when asked for nothing else', () => {
    const lede = 'أعلن الكرملين، الجمعة، أن الرئيس الروسي بحث الوضع منذ 30 آذار/مارس.';
    assert.equal(findDateInText(lede, REF, { weekdayOnly: true })?.date.toISOString(), '2020-04-10T00:00:00.000Z');
    assert.equal(findDateInText('قال إن الاتفاق أبرم الجمعة الماضي.', REF, { weekdayOnly: true }), null);
  });

  it('does not take verbs, names and numbers for dates', () => {
    for (const text of ['مارس الضغط على الحكومة', 'قالت تريزا ماي إن', 'ارتفع بنسبة 1.50-1.75%', 'في الإصدار 2.18.156', 'ومن أحد القادمين من المريخ']) {
      assert.equal(findDateInText(text, REF), null, text);
    }
  });
});
