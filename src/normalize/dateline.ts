/**
 * Datelines: the "where, when, who" line wire copy opens with. Two shapes occur:
 *
 * - on a line of its own: `أخبار الآن | موسكو – روسيا (وكالات)` (outlet | city – country (agencies)),
 *   `MOSCOW, Monday (Reuters)`;
 * - inline, opening the first paragraph and closed by a dash: `القاهرة (رويترز) - …`,
 *   `باريس (أ ف ب) - …`, `WASHINGTON (AP) — …`, `PARIS, 10 avril 2020 (AFP) - …`.
 *
 * Matching is deliberately narrow (short place names, a credited agency or an outlet bar), since
 * wrongly cutting the start of a story is worse than leaving a dateline in the body.
 *
 * A third shape is the byline-dateline of web outlets' author fields (`القاهرة - أحمد الريدي`,
 * `دبي - العربية.نت`, `لندن - رويترز`): {@link parseBylineDateline}.
 */
import type { Dateline } from '../model/article-record.ts';
import { agenciesOf, agencyCode } from './agencies.ts';
import { dateFromPhrase, parseDatePhrase } from './dates.ts';
import { foldForMatching } from './fold-text.ts';

/** A dateline found in copy, with the calendar date it names when it names a complete one. */
export interface DatelineMatch {
  dateline: Dateline;
  /** Midnight UTC of the dateline's date (`PARIS, 10 avril 2020`), else `null`. */
  date: Date | null;
}

/** An inline dateline and where the story proper begins after it. */
export interface InlineDatelineMatch extends DatelineMatch {
  /** Length of the prefix (dateline, dash, spaces) to cut from the paragraph. */
  length: number;
}

/** The parts of a dateline; `agencies` is derived from `sources`. */
export interface DatelineParts {
  text: string;
  outlet?: string | null;
  city?: string | null;
  country?: string | null;
  /** Agency credits as written. */
  sources?: ReadonlyArray<string>;
}

/**
 * Builds a Dateline with its `agencies` filled from `sources`; format parsers that find a
 * dateline structurally (NITF, ninjs, NewsML) should build theirs with it.
 *
 * @example datelineFromParts({ text: 'PARIS (AFP)', city: 'PARIS', sources: ['AFP'] })
 */
export function datelineFromParts(parts: DatelineParts): Dateline {
  const sources = [...(parts.sources ?? [])];
  return {
    text: parts.text,
    outlet: parts.outlet ?? null,
    city: parts.city ?? null,
    country: parts.country ?? null,
    sources,
    agencies: agenciesOf(sources),
  };
}

const MAX_LINE = 120;
const MAX_PLACE_WORDS = 4;
const MAX_OUTLET_WORDS = 5;
/** Closing parenthesized agency credit: `(وكالات)`, `(AFP)`, `(أ ف ب)`, `(Reuters/AP)`. */
const SOURCES_AT_END = /\(([^()]{1,60})\)$/;
/**
 * What separates an inline dateline from the story: dash variants, ANPA's `_`, a colon. The place
 * may be missing (`(رويترز) - …`), then only known agencies make it a dateline.
 */
const INLINE_RE =
  /^\s*([^()\n"“”«»:;!?؟]{0,80}?)\s*\(([^()\n]{1,60})\)\s*(?:[-‐‑‒–—―_:]+|\s-\s)\s*/u;
/** Dash with spaces between city and country (a bare hyphen is part of names: Aix-en-Provence). */
const PLACE_DASH = /\s+[-‒–—―]\s+/u;
const SENTENCE_END = /[.!?؟…。]$/u;

/**
 * Parses a line that is a dateline by itself (the seed form, `CITY (AGENCY)`, `OUTLET | CITY`).
 *
 * @returns the dateline with `text` verbatim (trimmed), or `null` when the line is not one.
 */
export function parseStandaloneDateline(line: string): DatelineMatch | null {
  const text = line.trim();
  if (text === '' || text.length > MAX_LINE || text.includes('\n')) return null;
  let head = text;
  let sources: string[] = [];
  const src = SOURCES_AT_END.exec(text);
  if (src) {
    sources = splitSources(src[1] as string);
    if (sources.length === 0 || !sources.every(isAgencyCased) || sources.some(hasFunctionWord)) return null;
    head = text.slice(0, src.index).trim();
  }
  let outlet: string | null = null;
  const bar = head.search(/\s*[|｜]\s*/u);
  if (bar >= 0) {
    outlet = head.slice(0, bar).trim();
    head = head.slice(bar).replace(/^\s*[|｜]\s*/u, '');
    if (!isShortName(outlet, MAX_OUTLET_WORDS)) return null;
  }
  // Without a credited agency or an outlet bar the line is more likely a headline.
  if (sources.length === 0 && outlet === null) return null;
  if (sources.length === 0 && SENTENCE_END.test(head)) return null;
  const place = parsePlace(head);
  if (place === null || hasFunctionWord(place.city)) return null;
  // A capitalized Latin phrase followed by "(AFP)" is as likely a headline as a dateline; agency
  // datelines standing alone are upper case or carry more than a name ("MOSCOW, Monday").
  const bare = outlet === null && place.country === null && !/[,،]/u.test(head);
  if (bare && /\p{Script=Latin}/u.test(place.city) && place.city !== place.city.toUpperCase()) return null;
  return {
    dateline: datelineFromParts({ text, outlet, city: place.city, country: place.country, sources }),
    date: place.date,
  };
}

/**
 * Finds an inline dateline at the start of a paragraph (`WASHINGTON (AP) — The Senate …`).
 *
 * @returns the dateline (its `text` runs through the closing parenthesis) and the length of
 *   the prefix to cut, or `null`.
 */
export function matchInlineDateline(paragraph: string): InlineDatelineMatch | null {
  const m = INLINE_RE.exec(paragraph);
  if (!m) return null;
  const head = (m[1] as string).trim();
  const sources = splitSources(m[2] as string);
  if (sources.length === 0) return null;
  const start = paragraph.length - paragraph.trimStart().length;
  if (head === '') {
    // "(رويترز) - …": nothing but the credit, so it must be an agency we know.
    if (!sources.every((s) => agencyCode(s) !== null)) return null;
    const text = paragraph.slice(start, paragraph.indexOf(')', start) + 1);
    return { dateline: datelineFromParts({ text, sources }), date: null, length: m[0].length };
  }
  let outlet: string | null = null;
  let placeText = head;
  const bar = head.search(/\s*[|｜]\s*/u);
  if (bar >= 0) {
    outlet = head.slice(0, bar).trim();
    placeText = head.slice(bar).replace(/^\s*[|｜]\s*/u, '');
    if (!isShortName(outlet, MAX_OUTLET_WORDS)) return null;
  }
  const place = parsePlace(placeText);
  if (place === null) return null;
  if (!isLatinPlaceCased(place.city) || !sources.every(isAgencyCased)) return null;
  // Arabic has no case to tell "(رويترز)" from "(مصر)" in "المنيا (مصر) - سمر باشات": an
  // Arabic-script credit must be an agency we know.
  if (sources.some((s) => /\p{Script=Arabic}/u.test(s) && agencyCode(s) === null)) return null;
  if ([place.city, ...sources].some(hasFunctionWord)) return null;
  // The place holds no parenthesis, so the first ")" closes the agency credit.
  const text = paragraph.slice(start, paragraph.indexOf(')', start) + 1);
  return {
    dateline: datelineFromParts({ text, outlet, city: place.city, country: place.country, sources }),
    date: place.date,
    length: m[0].length,
  };
}

/** True when a line reads as a dateline on its own; format parsers use it to avoid taking it for a title. */
export function looksLikeDateline(line: string): boolean {
  return parseStandaloneDateline(line) !== null || matchInlineDateline(line) !== null;
}

/**
 * Parses a dateline text given structurally by a format (NewsML `<dateline>`, NITF
 * `<dateline>`), which need not credit an agency: `MOSCOW, Monday (Reuters)`, `Oslo`.
 */
export function parseDatelineText(text: string): DatelineMatch {
  const clean = text.trim().replace(/\s*[-‐‑‒–—―_:]+$/u, '');
  const standalone = parseStandaloneDateline(clean);
  if (standalone) return { dateline: { ...standalone.dateline, text: text.trim() }, date: standalone.date };
  const place = parsePlace(clean);
  return {
    dateline: datelineFromParts({ text: text.trim(), city: place?.city ?? null, country: place?.country ?? null }),
    date: place?.date ?? null,
  };
}

/** A byline-dateline, with the person it names (who belongs in `authors`, not in the dateline). */
export interface BylineMatch extends DatelineMatch {
  person: string | null;
}

/**
 * Parts of a byline: dashes (with or without spaces between Arabic words; tatweel and `_` serve
 * as dashes too). A Latin hyphen without spaces is part of a name (Aix-en-Provence).
 */
const BYLINE_SPLIT = /\s*[–—―ـ_]+\s*|\s+-+\s*|\s*-+\s+|(?<=\p{Script=Arabic})-+(?=\p{Script=Arabic})/u;
const PLACE_WITH_COUNTRY = /^(.+?)\s*\(([^()]+)\)$/u;

/** Outlets named in bylines; others are recognized by their shape (`.نت`, `قناة …`). */
const KNOWN_OUTLETS = new Set(
  [
    'العربية.نت', 'العربية نت', 'العربية', 'قناة العربية', 'الحدث', 'أخبار الآن', 'سكاي نيوز عربية',
    'بي بي سي', 'بي بي سي عربي', 'فرانس 24', 'الجزيرة', 'الجزيرة نت', 'سي إن إن', 'CNN بالعربية',
    'الشرق الأوسط', 'جوهرة أف أم', 'الحرة', 'روسيا اليوم', 'RT', 'Al Arabiya', 'Al Jazeera', 'BBC',
    'BBC News', 'CNN', 'France 24', 'Sky News Arabia', 'Asharq Al-Awsat',
  ].map(foldForMatching),
);
const OUTLET_SHAPE =
  /(?:\.\s?(?:نت|net|com|org)$|\sنت$|^(?:قناة|البوابة|البواية|صحيفة|جريدة|موقع|إذاعة|اذاعة|راديو|تلفزيون|شبكة|مجلة)\s|للأخبار|الإخبارية|الاخبارية)/iu;

function isOutletName(part: string): boolean {
  return KNOWN_OUTLETS.has(foldForMatching(part)) || OUTLET_SHAPE.test(part);
}

/**
 * Parses a byline-dateline as web outlets write it in the author field or on the line above the
 * story: `القاهرة - أحمد الريدي` (place – reporter), `دبي - العربية.نت` (place – outlet),
 * `لندن - رويترز` (place – agency), `العربية.نت - وكالات` (outlet – agencies),
 * `بو (فرنسا) - فرانس برس` (place (country) – agency), `رويترز` alone.
 *
 * Parts are told apart by what they are: a known agency (agencies.ts), an outlet (known name or
 * `.نت`/`قناة …` shape), else the first part is the place and the last one the person.
 *
 * @returns the dateline (`text` verbatim, trimmed) and the person, or `null` when the text names
 *   no place, outlet or agency (a lone name, an id).
 */
export function parseBylineDateline(line: string): BylineMatch | null {
  const text = line.trim();
  const clean = text.replace(/[\u00A0\s]+/gu, ' ');
  // Sentences, ids (`9fc01447-e225-…`) and bar-form datelines are not bylines.
  if (clean === '' || clean.length > MAX_LINE || /[!?؟:;"“”«»|]/u.test(clean) || /[.!?؟…]$/u.test(clean) || /\d{3}/.test(clean)) return null;
  const parts = clean
    .split(BYLINE_SPLIT)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .flatMap((p) => {
      // "العربية.نت، فرانس برس": a comma between credits; "جاكرتا، هونغ كونغ" stays one place.
      const sub = p.split(/\s*[,،]\s*/u).filter((x) => x !== '');
      return sub.length > 1 && sub.every((x) => agencyCode(x) !== null || isOutletName(x)) ? sub : [p];
    });
  if (parts.length === 0 || parts.some((p) => p.split(' ').length > MAX_OUTLET_WORDS + 1)) return null;

  let outlet: string | null = null;
  let place: string | null = null;
  let person: string | null = null;
  const sources: string[] = [];
  let previousWasPlace = false;
  parts.forEach((part, i) => {
    const isLast = i === parts.length - 1;
    if (agencyCode(part) !== null) {
      sources.push(part);
      previousWasPlace = false;
    } else if (isOutletName(part)) {
      outlet ??= part;
      previousWasPlace = false;
    } else if (place === null && i === 0 && !isLast) {
      place = part;
      previousWasPlace = true;
    } else if (isLast && i > 0) {
      person = part;
    } else if (previousWasPlace) {
      // "الحدود السعودية - اليمنية - …": a place with a dash in it.
      place = `${place} - ${part}`;
    } else {
      person ??= part;
    }
  });
  if (place === null && outlet === null && sources.length === 0) return null;

  let city: string | null = null;
  let country: string | null = null;
  if (place !== null) {
    const withCountry = PLACE_WITH_COUNTRY.exec(place);
    city = (withCountry ? withCountry[1]! : place).trim();
    country = withCountry ? withCountry[2]!.trim() : null;
    if (!isPlaceName(city) || !isLatinPlaceCased(city) || hasFunctionWord(city)) return null;
  }
  return {
    dateline: datelineFromParts({ text, outlet, city, country, sources }),
    date: null,
    person,
  };
}

/**
 * Any dateline shape: an inline one opening a paragraph, a standalone line, or a byline-dateline.
 * For reading a dateline given on its own (an author field, a format's dateline element).
 */
export function parseAnyDateline(text: string): DatelineMatch | null {
  const byline = (): DatelineMatch | null => {
    const b = parseBylineDateline(text);
    return b === null ? null : { dateline: b.dateline, date: b.date };
  };
  return matchInlineDateline(text) ?? parseStandaloneDateline(text) ?? byline();
}

interface Place {
  city: string;
  country: string | null;
  date: Date | null;
}

/**
 * `موسكو – روسيا`, `PARIS, 10 avril 2020`, `STOCKHOLM, Aug 29, 2014`, `CHAPEL HILL, N.C.`,
 * `NEW YORK`. After a comma: a date phrase (complete or not), else the broader place.
 */
function parsePlace(text: string): Place | null {
  const dash = PLACE_DASH.exec(text);
  if (dash) {
    const city = text.slice(0, dash.index).trim();
    const country = text.slice(dash.index + dash[0].length).trim();
    if (!isPlaceName(city) || !isPlaceName(country)) return null;
    return { city, country, date: null };
  }
  const comma = text.search(/[,،]/u);
  if (comma < 0) return isPlaceName(text) ? { city: text.trim(), country: null, date: null } : null;
  const city = text.slice(0, comma).trim();
  const rest = text.slice(comma + 1).trim();
  if (!isPlaceName(city) || rest === '') return null;
  const phrase = parseDatePhrase(rest);
  if (phrase !== null) return { city, country: null, date: dateFromPhrase(phrase) };
  // "CHAPEL HILL, N.C." names a state, not a country; keep it in `text` only.
  if (/\.$/.test(rest) || !isPlaceName(rest)) return { city, country: null, date: null };
  return { city, country: rest, date: null };
}

function isPlaceName(s: string): boolean {
  const t = s.trim();
  if (t === '' || t.length > 40 || /[\d!?؟:;"“”«»()]/u.test(t) || /\.$/.test(t)) return false;
  return t.split(/\s+/).length <= MAX_PLACE_WORDS;
}

/** Particles written in lower case inside place names: Rio de Janeiro, Port of Spain. */
const PLACE_PARTICLES = new Set([
  'de', 'da', 'del', 'della', 'di', 'do', 'dos', 'das', 'du', 'la', 'le', 'les', 'el', 'al',
  'of', 'upon', 'on', 'sur', 'am', 'an', 'im', 'y', 'en', 'van', 'von', 'der', 'den', 'ter',
]);

/**
 * Latin-script place names have every word capitalized ("The minister (left) said - …" is not
 * a dateline); other scripts have no case to check.
 */
function isLatinPlaceCased(city: string): boolean {
  return city
    .split(/\s+/)
    .every((w) => !/^\p{Script=Latin}/u.test(w) || /^\p{Lu}/u.test(w) || PLACE_PARTICLES.has(w));
}

/**
 * Arabic has no letter case to tell a place from a clause; its function words do: no city or
 * agency name contains "إن", "التي" or "قال".
 */
const ARABIC_FUNCTION_WORDS = new Set([
  'إن', 'أن', 'ان', 'التي', 'الذي', 'الذين', 'في', 'من', 'على', 'عن', 'إلى', 'الى', 'قال', 'قالت',
  'هذا', 'هذه', 'ذلك', 'كان', 'كانت', 'لم', 'لن', 'قد', 'ما', 'لا', 'بعد', 'قبل', 'مع', 'أمس', 'اليوم',
]);

function hasFunctionWord(name: string): boolean {
  return name.split(/\s+/u).some((w) => ARABIC_FUNCTION_WORDS.has(w));
}

/** Agencies are names or acronyms (`AP`, `Reuters`, `dpa`); "(pictured)" and "(left)" are not. */
function isAgencyCased(source: string): boolean {
  return !/^\p{Script=Latin}/u.test(source) || /\p{Lu}/u.test(source) || source.length <= 3;
}

function isShortName(s: string, maxWords: number): boolean {
  const t = s.trim();
  return t !== '' && t.length <= 50 && !/[.!?؟:;]$/u.test(t) && t.split(/\s+/).length <= maxWords;
}

/** `Reuters/AP`, `رويترز، أ ف ب`, `AFP and AP` → one entry each, as written. */
function splitSources(inner: string): string[] {
  return inner
    .split(/\s*(?:[/,،;+&]|\band\b|\bet\b)\s*/u)
    .map((s) => s.trim())
    .filter((s) => s !== '' && s.length <= 40);
}
