import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { foldForMatching } from '../../src/normalize/fold-text.ts';

describe('foldForMatching', () => {
  const cases: Array<[string, string]> = [
    // hamza on alef
    ['الأسعار', 'الاسعار'],
    ['إنتاج', 'انتاج'],
    ['آذار', 'اذار'],
    ['ٱلرحمن', 'الرحمن'],
    // hamza on waw and yeh
    ['مسؤول', 'مسوول'],
    ['رئيس', 'رييس'],
    // teh marbuta, alef maksura
    ['مكتبة', 'مكتبه'],
    ['مستشفى', 'مستشفي'],
    // diacritics and tatweel
    ['العَـــرَبِيَّة', 'العربيه'],
    ['أيضاً', 'ايضا'],
    // Latin: case and accents
    ['Économie', 'economie'],
    ['CAFÉ Crème', 'cafe creme'],
    ['Œuvre', 'oeuvre'],
    ['Straße', 'strasse'],
    // digits
    ['٢٠٢٠', '2020'],
    ['۱۴۰۰', '1400'],
    // punctuation and quotes become spaces
    ['«السلام»، عليكم؟', 'السلام عليكم'],
    ['“أوبك+”؛ النفط', 'اوبك النفط'],
    ['COVID-19: l’épidémie', 'covid 19 l epidemie'],
    // presentation forms and ligatures (NFKC)
    ['ﻻ', 'لا'],
    ['ﬁnance', 'finance'],
    // whitespace
    ['  many\u00A0\u00A0 spaces\n\there  ', 'many spaces here'],
    // format characters
    ['می\u200Cشود', 'ميشود'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(foldForMatching(input), expected);
    });
  }

  it('makes the spellings of one Arabic phrase equal', () => {
    assert.equal(foldForMatching('إقرأ أيضاً'), foldForMatching('اقرا ايضا'));
    assert.equal(foldForMatching('منظمة “أوبك+”'), foldForMatching('منظمه اوبك'));
  });

  it('is idempotent', () => {
    const once = foldForMatching('أعلن الكرملين، الجمعة، أن الرئيس الروسي فلاديمير بوتين');
    assert.equal(foldForMatching(once), once);
  });
});
