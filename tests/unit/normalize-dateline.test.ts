import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agenciesOf, agencyCode } from '../../src/normalize/agencies.ts';
import {
  datelineFromParts,
  looksLikeDateline,
  matchInlineDateline,
  parseAnyDateline,
  parseBylineDateline,
  parseDatelineText,
  parseStandaloneDateline,
} from '../../src/normalize/dateline.ts';

describe('parseStandaloneDateline', () => {
  it('reads the seed form: outlet | city – country (agencies)', () => {
    assert.deepEqual(parseStandaloneDateline('أخبار الآن | موسكو – روسيا (وكالات)'), {
      dateline: {
        text: 'أخبار الآن | موسكو – روسيا (وكالات)',
        outlet: 'أخبار الآن',
        city: 'موسكو',
        country: 'روسيا',
        sources: ['وكالات'],
        agencies: [{ code: 'agencies', raw: 'وكالات' }],
      },
      date: null,
    });
  });

  it('reads an outlet with a city and no agency', () => {
    assert.deepEqual(parseStandaloneDateline('العربية.نت | دبي')?.dateline, {
      text: 'العربية.نت | دبي',
      outlet: 'العربية.نت',
      city: 'دبي',
      country: null,
      sources: [],
      agencies: [],
    });
  });

  it('reads the NewsML form CITY, Weekday (Agency)', () => {
    assert.deepEqual(parseStandaloneDateline('MOSCOW, Monday (Reuters)'), {
      dateline: { text: 'MOSCOW, Monday (Reuters)', outlet: null, city: 'MOSCOW', country: null, sources: ['Reuters'], agencies: [{ code: 'Reuters', raw: 'Reuters' }] },
      date: null,
    });
  });

  it('does not take a headline or a sentence for a dateline', () => {
    for (const line of [
      'Oil Prices Surge (AFP)',
      'موسكو – روسيا',
      'أعلن الكرملين، الجمعة، أن الرئيس الروسي بحث الوضع.',
      'The talks continue (pictured)',
      '',
    ]) {
      assert.equal(parseStandaloneDateline(line), null, line);
    }
  });
});

describe('matchInlineDateline', () => {
  const cases: Array<[string, string, string, string[], string[], string]> = [
    ['القاهرة (رويترز) - قال مسؤولون إن المحادثات ستستأنف.', 'القاهرة (رويترز)', 'القاهرة', ['رويترز'], ['Reuters'], 'قال مسؤولون إن المحادثات ستستأنف.'],
    ['باريس (أ ف ب) - أعلنت الحكومة الفرنسية تمديد الإغلاق.', 'باريس (أ ف ب)', 'باريس', ['أ ف ب'], ['AFP'], 'أعلنت الحكومة الفرنسية تمديد الإغلاق.'],
    ['WASHINGTON (AP) — The Senate voted on Thursday.', 'WASHINGTON (AP)', 'WASHINGTON', ['AP'], ['AP'], 'The Senate voted on Thursday.'],
    ['ATLANTA (AP) _ Luol Deng scored 30 points.', 'ATLANTA (AP)', 'ATLANTA', ['AP'], ['AP'], 'Luol Deng scored 30 points.'],
    ['Washington (dpa) - US officials said talks would resume.', 'Washington (dpa)', 'Washington', ['dpa'], ['dpa'], 'US officials said talks would resume.'],
    ['BEIRUT/DAMASCUS (Reuters/AP) - Fighting eased.', 'BEIRUT/DAMASCUS (Reuters/AP)', 'BEIRUT/DAMASCUS', ['Reuters', 'AP'], ['Reuters', 'AP'], 'Fighting eased.'],
    ['RIO DE JANEIRO (AP) — Rain fell.', 'RIO DE JANEIRO (AP)', 'RIO DE JANEIRO', ['AP'], ['AP'], 'Rain fell.'],
    ['الرياض (واس) - أعلنت الوزارة.', 'الرياض (واس)', 'الرياض', ['واس'], ['SPA'], 'أعلنت الوزارة.'],
    ['أبوظبي (وام) – افتتح المعرض.', 'أبوظبي (وام)', 'أبوظبي', ['وام'], ['WAM'], 'افتتح المعرض.'],
  ];
  for (const [paragraph, text, city, sources, codes, rest] of cases) {
    it(`reads ${text}`, () => {
      const m = matchInlineDateline(paragraph);
      assert.ok(m);
      const agencies = sources.map((raw, i) => ({ code: codes[i] as string, raw }));
      assert.deepEqual(m.dateline, { text, outlet: null, city, country: null, sources, agencies });
      assert.equal(paragraph.slice(m.length), rest);
      assert.equal(m.date, null);
    });
  }

  it('reads the date of PARIS, 10 avril 2020 (AFP) -', () => {
    const m = matchInlineDateline('PARIS, 10 avril 2020 (AFP) - Le gouvernement a annoncé vendredi.');
    assert.ok(m);
    assert.deepEqual(m.dateline, { text: 'PARIS, 10 avril 2020 (AFP)', outlet: null, city: 'PARIS', country: null, sources: ['AFP'], agencies: [{ code: 'AFP', raw: 'AFP' }] });
    assert.equal(m.date?.toISOString(), '2020-04-10T00:00:00.000Z');
  });

  it('reads the English AFP order STOCKHOLM, Aug 29, 2014 (AFP) -', () => {
    const m = matchInlineDateline('STOCKHOLM, Aug 29, 2014 (AFP) - Sweden said.');
    assert.equal(m?.dateline.city, 'STOCKHOLM');
    assert.equal(m?.date?.toISOString(), '2014-08-29T00:00:00.000Z');
  });

  it('reads an Arabic dated dateline', () => {
    const m = matchInlineDateline('بيروت، 10 نيسان/أبريل 2020 (أ ف ب) - قال الجيش.');
    assert.equal(m?.dateline.city, 'بيروت');
    assert.deepEqual(m?.dateline.sources, ['أ ف ب']);
    assert.equal(m?.date?.toISOString(), '2020-04-10T00:00:00.000Z');
  });

  it('keeps a date without a year in the text only', () => {
    const m = matchInlineDateline('LONDON, April 10 (Reuters) - Shares fell.');
    assert.deepEqual(m?.dateline, { text: 'LONDON, April 10 (Reuters)', outlet: null, city: 'LONDON', country: null, sources: ['Reuters'], agencies: [{ code: 'Reuters', raw: 'Reuters' }] });
    assert.equal(m?.date, null);
  });

  it('does not mistake story openings for datelines', () => {
    for (const p of [
      'The minister (left) said - nothing more.',
      'He said (in a statement) - that was all.',
      'Prices rose (see chart) - again.',
      'قال الرئيس إن المحادثات (التي بدأت أمس) - مستمرة.',
      'WASHINGTON — no agency credited here.',
    ]) {
      assert.equal(matchInlineDateline(p), null, p);
    }
  });
});

describe('parseDatelineText and looksLikeDateline', () => {
  it('parses a structural dateline that credits no agency', () => {
    assert.deepEqual(parseDatelineText('Oslo'), {
      dateline: { text: 'Oslo', outlet: null, city: 'Oslo', country: null, sources: [], agencies: [] },
      date: null,
    });
    assert.equal(parseDatelineText('STOCKHOLM, Aug 29, 2014 (AFP) -').date?.toISOString(), '2014-08-29T00:00:00.000Z');
  });

  it('recognizes both shapes', () => {
    assert.equal(looksLikeDateline('أخبار الآن | موسكو – روسيا (وكالات)'), true);
    assert.equal(looksLikeDateline('WASHINGTON (AP) — The Senate voted.'), true);
    assert.equal(looksLikeDateline('Senate passes stopgap bill'), false);
  });
});

describe('agencies', () => {
  it('maps Arabic, English and French spellings onto one code', () => {
    const cases: Array<[string, string]> = [
      ['رويترز', 'Reuters'], ['Reuters', 'Reuters'], ['أ ف ب', 'AFP'], ['ا ف ب', 'AFP'], ['ا.ف.ب', 'AFP'],
      ['فرانس برس', 'AFP'], ['وكالة فرانس برس', 'AFP'], ['AFP', 'AFP'], ['أ ب', 'AP'], ['ا ب', 'AP'],
      ['أسوشيتد برس', 'AP'], ['اسوشيتد برس', 'AP'], ['الأسوشيتد برس', 'AP'], ['AP', 'AP'], ['د ب أ', 'dpa'],
      ['د.ب.أ', 'dpa'], ['dpa', 'dpa'], ['وام', 'WAM'], ['واس', 'SPA'], ['و م ع', 'MAP'], ['قنا', 'QNA'],
      ['كونا', 'KUNA'], ['بنا', 'BNA'], ['سانا', 'SANA'], ['الأناضول', 'Anadolu'], ['شينخوا', 'Xinhua'],
      ['Xinhua', 'Xinhua'], ['إفي', 'EFE'], ['EFE', 'EFE'], ['ANSA', 'ANSA'], ['يو بي آي', 'UPI'], ['UPI', 'UPI'],
      ['وكالات', 'agencies'], ['agencies', 'agencies'], ['agences', 'agencies'], ['وات', 'TAP'], ['وفا', 'WAFA'],
    ];
    for (const [raw, code] of cases) assert.equal(agencyCode(raw), code, raw);
    assert.equal(agencyCode('الوزارة'), null);
  });

  it('keeps unknown agencies under their own name and one credit per agency', () => {
    assert.deepEqual(agenciesOf([' KNA ', 'رويترز', 'Reuters']), [
      { code: 'KNA', raw: 'KNA' },
      { code: 'Reuters', raw: 'رويترز' },
    ]);
    assert.deepEqual(datelineFromParts({ text: 'PARIS (AFP)', city: 'PARIS', sources: ['AFP'] }), {
      text: 'PARIS (AFP)', outlet: null, city: 'PARIS', country: null, sources: ['AFP'], agencies: [{ code: 'AFP', raw: 'AFP' }],
    });
  });

  it('reads an agency credit with no place: (رويترز) -', () => {
    const m = matchInlineDateline('(رويترز) - قالت مصادر إن الاتفاق وشيك.');
    assert.deepEqual(m?.dateline.agencies, [{ code: 'Reuters', raw: 'رويترز' }]);
    assert.equal(m?.dateline.city, null);
    assert.equal(matchInlineDateline('(التي بدأت أمس) - مستمرة.'), null);
  });
});

describe('parseBylineDateline', () => {
  it('tells place, reporter, outlet and agency apart', () => {
    const cases: Array<[string, string | null, string | null, string[], string | null]> = [
      ['القاهرة- أحمد الريدي', 'القاهرة', null, [], 'أحمد الريدي'],
      ['دبي ـ العربية.نت', 'دبي', 'العربية.نت', [], null],
      ['لندن - د ب أ', 'لندن', null, ['dpa'], null],
      ['العربية.نت - وكالات', null, 'العربية.نت', ['agencies'], null],
      ['العربية.نت، فرانس برس', null, 'العربية.نت', ['AFP'], null],
      ['بو (فرنسا) - فرانس برس', 'بو', null, ['AFP'], null],
      ['رويترز', null, null, ['Reuters'], null],
    ];
    for (const [text, city, outlet, codes, person] of cases) {
      const m = parseBylineDateline(text);
      assert.ok(m, text);
      assert.equal(m.dateline.city, city, text);
      assert.equal(m.dateline.outlet, outlet, text);
      assert.deepEqual(m.dateline.agencies.map((a) => a.code), codes, text);
      assert.equal(m.person, person, text);
    }
    assert.equal(parseBylineDateline('بو (فرنسا) - فرانس برس')?.dateline.country, 'فرنسا');
  });

  it('rejects ids, lone names and sentences', () => {
    for (const text of ['9fc01447-e225-41d1-883a-8f9219023a9e', 'أحمد الريدي', 'The minister (left) said - nothing more.', '']) {
      assert.equal(parseBylineDateline(text), null, text);
    }
  });

  it('is one of the shapes parseAnyDateline reads', () => {
    assert.equal(parseAnyDateline('لندن - رويترز')?.dateline.city, 'لندن');
    assert.equal(parseAnyDateline('WASHINGTON (AP) — The Senate voted.')?.dateline.city, 'WASHINGTON');
  });
});
