import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguage, directionOf, normalizeLanguageTag } from '../../src/normalize/language.ts';

describe('detectLanguage', () => {
  it('detects Arabic by script', () => {
    assert.equal(detectLanguage('أعلن الكرملين، الجمعة، أن الرئيس الروسي فلاديمير بوتين بحث عبر الهاتف مع نظيره الأمريكي.'), 'ar');
    // Arabic copy quoting Latin names and agencies is still Arabic.
    assert.equal(detectLanguage('قالت وكالة REUTERS إن منظمة OPEC ستجتمع الأسبوع المقبل في فيينا لبحث الإنتاج.'), 'ar');
  });

  it('tells Persian and Urdu from Arabic by their own letters', () => {
    // Persian: پ چ گ ک ی (U+067E U+0686 U+06AF U+06A9 U+06CC)
    const persian = '\u0627\u06CC\u0646 \u06CC\u06A9 \u06AF\u0632\u0627\u0631\u0634 \u0686\u0647\u0627\u0631\u0645 \u067E\u0627\u06CC\u062A\u062E\u062A \u0627\u0633\u062A \u06A9\u0647 \u062F\u06CC\u0631\u0648\u0632 \u0645\u0646\u062A\u0634\u0631 \u0634\u062F';
    assert.equal(detectLanguage(persian), 'fa');
  });

  it('detects English, French, Spanish and German with franc', () => {
    assert.equal(
      detectLanguage('The central bank raised interest rates by half a percentage point on Wednesday, its third increase this year, as inflation stayed high.'),
      'en',
    );
    assert.equal(
      detectLanguage("Le gouvernement a annoncé vendredi la prolongation des mesures de confinement jusqu'à la fin du mois, afin de freiner l'épidémie."),
      'fr',
    );
    assert.equal(
      detectLanguage('El gobierno anunció el viernes que las medidas de confinamiento se prolongarán hasta finales de mes para frenar la epidemia.'),
      'es',
    );
    assert.equal(
      detectLanguage('Die Regierung hat am Freitag angekündigt, dass die Ausgangsbeschränkungen bis zum Ende des Monats verlängert werden.'),
      'de',
    );
  });

  it('returns und for text too short to tell', () => {
    assert.equal(detectLanguage(''), 'und');
    assert.equal(detectLanguage('OK'), 'und');
    assert.equal(detectLanguage('12 345 678 — 90'), 'und');
  });
});

describe('normalizeLanguageTag', () => {
  it('cleans declared tags into BCP 47 form', () => {
    assert.equal(normalizeLanguageTag('AR'), 'ar');
    assert.equal(normalizeLanguageTag('ar-sa'), 'ar-SA');
    assert.equal(normalizeLanguageTag('en_US'), 'en-US');
    assert.equal(normalizeLanguageTag(' fr-FR '), 'fr-FR');
    assert.equal(normalizeLanguageTag('zh-hant-tw'), 'zh-Hant-TW');
    assert.equal(normalizeLanguageTag('ara'), 'ar');
    assert.equal(normalizeLanguageTag('Arabic'), 'ar');
  });

  it('returns null for what is not a usable tag', () => {
    for (const v of [undefined, null, '', '  ', 'und', 'not a tag!', 'x']) {
      assert.equal(normalizeLanguageTag(v), null, String(v));
    }
  });
});

describe('directionOf', () => {
  it('is rtl for right-to-left languages and scripts', () => {
    for (const tag of ['ar', 'ar-SA', 'fa', 'ur', 'he', 'yi', 'ps', 'ckb', 'dv', 'sd', 'ug', 'az-Arab']) {
      assert.equal(directionOf(tag), 'rtl', tag);
    }
  });

  it('is ltr otherwise', () => {
    for (const tag of ['en', 'fr-FR', 'und', 'tr', 'sd-Deva', 'ug-Latn']) {
      assert.equal(directionOf(tag), 'ltr', tag);
    }
  });
});
