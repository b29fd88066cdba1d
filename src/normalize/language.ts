/**
 * Language tags: cleaning what sources declare, detecting what they do not, and the writing
 * direction readers need to lay the text out.
 */
import { franc } from 'franc-min';

/** franc's ISO 639-3 codes → the shortest BCP 47 tag (ISO 639-1 where one exists). */
const ISO3_TO_BCP47: Readonly<Record<string, string>> = {
  arb: 'ar', eng: 'en', fra: 'fr', spa: 'es', deu: 'de', ita: 'it', por: 'pt', rus: 'ru',
  tur: 'tr', pes: 'fa', urd: 'ur', pbu: 'ps', ukr: 'uk', pol: 'pl', nld: 'nl', ron: 'ro',
  ind: 'id', zlm: 'ms', vie: 'vi', hun: 'hu', ces: 'cs', swe: 'sv', hin: 'hi', ben: 'bn',
  mar: 'mr', npi: 'ne', cmn: 'zh', jpn: 'ja', kor: 'ko', ell: 'el', bul: 'bg', srp: 'sr',
  hrv: 'hr', bos: 'bs', bel: 'be', kaz: 'kk', uzn: 'uz', azj: 'az', tha: 'th', swh: 'sw',
  hau: 'ha', yor: 'yo', ibo: 'ig', som: 'so', amh: 'am', tgl: 'tl', jav: 'jv', sun: 'su',
  tel: 'te', tam: 'ta', guj: 'gu', kan: 'kn', mal: 'ml', mya: 'my', pan: 'pa', sin: 'si',
  zul: 'zu', kin: 'rw', run: 'rn', nya: 'ny', lin: 'ln', plt: 'mg',
};

/** ISO 639-2 codes sources write in `language` fields, and a few language names. */
const DECLARED_ALIASES: Readonly<Record<string, string>> = {
  ara: 'ar', eng: 'en', fre: 'fr', fra: 'fr', ger: 'de', deu: 'de', spa: 'es', ita: 'it',
  por: 'pt', rus: 'ru', tur: 'tr', per: 'fa', fas: 'fa', urd: 'ur', heb: 'he', chi: 'zh',
  zho: 'zh', jpn: 'ja', arabic: 'ar', english: 'en', french: 'fr', francais: 'fr',
  german: 'de', spanish: 'es', العربية: 'ar', عربي: 'ar',
};

/** Languages written right to left, by primary subtag. */
const RTL_LANGUAGES = new Set(['ar', 'fa', 'ur', 'he', 'yi', 'ps', 'ckb', 'dv', 'sd', 'ug', 'iw', 'ji']);
/** Script subtags that force a direction whatever the language (`az-Arab`, `ku-Latn`). */
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'thaa', 'syrc', 'nkoo', 'adlm', 'mand', 'samr']);

/** Below this many letters franc guesses more than it detects. */
const MIN_LETTERS = 12;
/** Below this many letters franc's trigram guess is noise ("Test message 1234 body text" → ckb). */
const MIN_LETTERS_FRANC = 40;
/** franc reads at most this much: its cost grows with the sample, its accuracy on news prose barely grows past a few sentences (300 characters). */
const SAMPLE_CHARS = 300;

/**
 * Cleans a declared language tag into BCP 47 form: `AR_sa` → `ar-SA`, `EN` → `en`,
 * `ara` → `ar`, `Arabic` → `ar`.
 *
 * @returns the tag, or `null` when the value is not a usable tag (so the caller falls back).
 */
export function normalizeLanguageTag(tag: string | undefined | null): string | null {
  if (tag == null) return null;
  const raw = tag.trim().replace(/_/g, '-');
  if (raw === '') return null;
  const alias = DECLARED_ALIASES[raw.toLowerCase()];
  if (alias !== undefined) return alias;
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i.test(raw)) return null;
  const [primary, ...rest] = raw.split('-') as [string, ...string[]];
  const lang = primary.toLowerCase();
  if (lang === 'und' || lang === 'mul' || lang === 'zxx') return null;
  const subtags = rest.map((sub, i) => {
    if (/^[a-z]{4}$/i.test(sub) && i === 0) return sub[0]!.toUpperCase() + sub.slice(1).toLowerCase();
    if (/^[a-z]{2}$/i.test(sub)) return sub.toUpperCase();
    return sub.toLowerCase();
  });
  return [DECLARED_ALIASES[lang] ?? lang, ...subtags].join('-');
}

/**
 * Detects the language of a text. Arabic script is decided here (Arabic unless the letters
 * only Persian or Urdu use dominate), because franc confuses short Arabic copy with Persian;
 * other scripts go to franc-min.
 *
 * @returns a BCP 47 tag (`ar`, `en`, `fr`, …), or `und` when the text is too short or unknown.
 */
export function detectLanguage(text: string): string {
  const sample = text.slice(0, SAMPLE_CHARS);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS) return 'und';
  const arabicScript = sample.match(/\p{Script=Arabic}/gu)?.length ?? 0;
  if (arabicScript * 2 > letters) return arabicScriptLanguage(sample);
  const quick = commonLatinLanguage(sample);
  if (quick) return quick;
  if (letters < MIN_LETTERS_FRANC) return 'und';
  const code = franc(sample, { minLength: MIN_LETTERS_FRANC });
  return ISO3_TO_BCP47[code] ?? (code === 'und' ? 'und' : code);
}

/**
 * Function words that only one of the common Latin-script news languages uses often. franc
 * compares trigram profiles of ~40 languages (most of ingest time for undeclared Latin copy);
 * news prose in these languages gives its language away in its first sentences, so a clear
 * majority decides and anything unclear still goes to franc.
 */
const FUNCTION_WORDS: ReadonlyArray<[string, ReadonlySet<string>]> = [
  ['en', new Set(['the', 'and', 'of', 'to', 'in', 'is', 'that', 'was', 'for', 'with', 'said', 'on', 'it', 'by', 'from', 'have', 'has', 'are', 'were', 'which'])],
  ['fr', new Set(['le', 'la', 'les', 'des', 'et', 'du', 'une', 'est', 'dans', 'pour', 'que', 'qui', 'sur', 'au', 'aux', 'pas', 'par', 'a', 'été', 'ont'])],
  ['es', new Set(['el', 'los', 'las', 'y', 'del', 'una', 'es', 'en', 'por', 'con', 'que', 'para', 'se', 'al', 'como', 'su', 'fue', 'han', 'pero', 'sus'])],
  ['de', new Set(['der', 'die', 'das', 'und', 'ist', 'nicht', 'mit', 'den', 'von', 'zu', 'sich', 'auf', 'dem', 'ein', 'eine', 'für', 'im', 'auch', 'wurde', 'sind'])],
  ['it', new Set(['il', 'della', 'di', 'che', 'e', 'per', 'non', 'gli', 'una', 'sono', 'nel', 'alla', 'delle', 'è', 'anche', 'ha', 'dei', 'con', 'come', 'più'])],
  ['pt', new Set(['o', 'os', 'da', 'do', 'das', 'dos', 'e', 'que', 'não', 'uma', 'para', 'com', 'em', 'no', 'na', 'foi', 'mais', 'ao', 'pelo', 'pela'])],
];

function commonLatinLanguage(sample: string): string | null {
  const words = sample.toLowerCase().split(/[^\p{L}]+/u).slice(0, 80);
  if (words.length < 12) return null;
  const counts = FUNCTION_WORDS.map(([lang, set]) => [lang, words.reduce((n, w) => n + (set.has(w) ? 1 : 0), 0)] as const).sort(
    (a, b) => b[1] - a[1],
  );
  const [first, second] = counts;
  // Clear majority only: at least 8 function words and three times the runner-up.
  return first && second && first[1] >= 8 && first[1] >= 3 * second[1] ? first[0] : null;
}

function arabicScriptLanguage(sample: string): string {
  const count = (re: RegExp): number => sample.match(re)?.length ?? 0;
  const arabicOnly = count(/[\u0629\u064A\u0643\u0649]/g); // ة ي ك ى
  const urduOnly = count(/[\u0679\u0688\u0691\u06BA\u06C1\u06D2]/g); // ٹ ڈ ڑ ں ہ ے
  const persianOnly = count(/[\u067E\u0686\u0698\u06AF\u06A9\u06CC]/g); // پ چ ژ گ ک ی
  if (urduOnly >= 3 && urduOnly > arabicOnly) return 'ur';
  if (persianOnly >= 3 && persianOnly > arabicOnly * 2) return 'fa';
  return 'ar';
}

/**
 * Writing direction of a BCP 47 tag: `rtl` for Arabic, Persian, Urdu, Hebrew, Yiddish, Pashto,
 * Sorani, Dhivehi, Sindhi and Uyghur, or any tag with a right-to-left script subtag.
 */
export function directionOf(language: string): 'ltr' | 'rtl' {
  const [primary = '', script] = language.toLowerCase().split('-');
  if (script !== undefined && script.length === 4) return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  return RTL_LANGUAGES.has(primary) ? 'rtl' : 'ltr';
}
