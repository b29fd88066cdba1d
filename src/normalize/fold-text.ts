/**
 * Folding for matching: maps the many ways news copy spells the same word onto one form, so a
 * keyword rule written once (`اسعار`, `economie`) matches every spelling in the copy.
 * The result is for comparison only; it is never shown to a reader.
 */

/**
 * Arabic harakat, tanween, shadda, sukun, superscript alef and Quranic marks. U+0653–U+0655
 * (madda, hamza above/below) are in the range, so after NFKD `أ إ آ ؤ ئ` lose their hamza.
 */
const ARABIC_MARKS = /[\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;
/** Combining diacritics (Latin, Greek, Cyrillic accents) left over after NFKD. */
const COMBINING_DIACRITICS = /[\u0300-\u036F]/g;
/** Format characters (ZWNJ, ZWJ, LRM, RLM, bidi controls) carry no letters. */
const FORMAT_CHARS = /\p{Cf}/gu;
const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]/gu;

/** Letters NFKD does not decompose but readers treat as variants of another letter. */
const LETTER_MAP: Readonly<Record<string, string>> = {
  // Arabic
  ٱ: 'ا', // alef wasla
  ى: 'ي', // alef maksura
  ی: 'ي', // Farsi yeh (Persian keyboards in Arabic copy)
  ک: 'ك', // keheh (same)
  ة: 'ه', // teh marbuta
  // Latin letters without a decomposition
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ł: 'l',
  ı: 'i',
};
const LETTER_MAP_RE = new RegExp(`[${Object.keys(LETTER_MAP).join('')}]`, 'g');

/** Eastern Arabic-Indic (U+0660–0669) and Persian (U+06F0–06F9) digits. */
const NON_ASCII_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/**
 * Folds text for keyword matching: NFKC; Arabic diacritics and tatweel removed; `أ إ آ ٱ → ا`,
 * `ؤ → و`, `ئ → ي`, `ى → ي`, `ة → ه`; Arabic-Indic and Persian digits → ASCII; lowercased and
 * accent-stripped (`Économie` → `economie`); punctuation and symbols (incl. `، ؛ ؟ “ ” « »`) → space;
 * whitespace collapsed and trimmed.
 *
 * @example foldForMatching('العَـــرَبِيَّة') === 'العربيه'
 */
export function foldForMatching(text: string): string {
  return (
    text
      // NFKC first so presentation forms and ligatures (ﻻ, ﬁ) become ordinary letters; then
      // NFKD to expose hamza and accents as separable marks.
      .normalize('NFKC')
      .normalize('NFKD')
      .replace(ARABIC_MARKS, '')
      .replace(COMBINING_DIACRITICS, '')
      .replace(TATWEEL, '')
      .replace(FORMAT_CHARS, '')
      // Recompose what was decomposed only incidentally (Hangul, Indic scripts).
      .normalize('NFC')
      .toLowerCase()
      .replace(LETTER_MAP_RE, (ch) => LETTER_MAP[ch] ?? ch)
      .replace(NON_ASCII_DIGITS, (d) => String(d.charCodeAt(0) & 0xf))
      .replace(PUNCTUATION_OR_SYMBOL, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
