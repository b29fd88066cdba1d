import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  looksLikeDateline,
  matchInlineDateline,
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
    });
  });

  it('reads the NewsML form CITY, Weekday (Agency)', () => {
    assert.deepEqual(parseStandaloneDateline('MOSCOW, Monday (Reuters)'), {
      dateline: { text: 'MOSCOW, Monday (Reuters)', outlet: null, city: 'MOSCOW', country: null, sources: ['Reuters'] },
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
  const cases: Array<[string, string, string, string[], string]> = [
    ['القاهرة (رويترز) - قال مسؤولون إن المحادثات ستستأنف.', 'القاهرة (رويترز)', 'القاهرة', ['رويترز'], 'قال مسؤولون إن المحادثات ستستأنف.'],
    ['باريس (أ ف ب) - أعلنت الحكومة الفرنسية تمديد الإغلاق.', 'باريس (أ ف ب)', 'باريس', ['أ ف ب'], 'أعلنت الحكومة الفرنسية تمديد الإغلاق.'],
    ['WASHINGTON (AP) — The Senate voted on Thursday.', 'WASHINGTON (AP)', 'WASHINGTON', ['AP'], 'The Senate voted on Thursday.'],
    ['ATLANTA (AP) _ Luol Deng scored 30 points.', 'ATLANTA (AP)', 'ATLANTA', ['AP'], 'Luol Deng scored 30 points.'],
    ['Washington (dpa) - US officials said talks would resume.', 'Washington (dpa)', 'Washington', ['dpa'], 'US officials said talks would resume.'],
    ['BEIRUT/DAMASCUS (Reuters/AP) - Fighting eased.', 'BEIRUT/DAMASCUS (Reuters/AP)', 'BEIRUT/DAMASCUS', ['Reuters', 'AP'], 'Fighting eased.'],
    ['RIO DE JANEIRO (AP) — Rain fell.', 'RIO DE JANEIRO (AP)', 'RIO DE JANEIRO', ['AP'], 'Rain fell.'],
  ];
  for (const [paragraph, text, city, sources, rest] of cases) {
    it(`reads ${text}`, () => {
      const m = matchInlineDateline(paragraph);
      assert.ok(m);
      assert.deepEqual(m.dateline, { text, outlet: null, city, country: null, sources });
      assert.equal(paragraph.slice(m.length), rest);
      assert.equal(m.date, null);
    });
  }

  it('reads the date of PARIS, 10 avril 2020 (AFP) -', () => {
    const m = matchInlineDateline('PARIS, 10 avril 2020 (AFP) - Le gouvernement a annoncé vendredi.');
    assert.ok(m);
    assert.deepEqual(m.dateline, { text: 'PARIS, 10 avril 2020 (AFP)', outlet: null, city: 'PARIS', country: null, sources: ['AFP'] });
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
    assert.deepEqual(m?.dateline, { text: 'LONDON, April 10 (Reuters)', outlet: null, city: 'LONDON', country: null, sources: ['Reuters'] });
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
      dateline: { text: 'Oslo', outlet: null, city: 'Oslo', country: null, sources: [] },
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
