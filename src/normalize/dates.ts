/**
 * Date parsing for feed and wire dates. Deterministic on purpose: `Date.parse` accepts a
 * different set of garbage on every engine, and a wrong date silently reorders a feed.
 * Strings without a zone are read as UTC (what feeds mean far more often than server time).
 */
import { foldForMatching } from './fold-text.ts';

const MONTHS_EN: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5,
  jun: 6, june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9,
  oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

const WEEKDAYS_EN = new Set([
  'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'wednesday', 'thu', 'thur', 'thurs',
  'thursday', 'fri', 'friday', 'sat', 'saturday', 'sun', 'sunday',
]);

/** Offsets in minutes east of UTC for the zone names feeds actually use. */
const NAMED_ZONES: Readonly<Record<string, number>> = {
  ut: 0, utc: 0, gmt: 0, z: 0, 'etc/gmt': 0, 'etc/utc': 0, wet: 0,
  // RFC 822 North American zones, and the zone-less "ET"/"PT" spellings feeds also emit.
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  at: -240, et: -300, ct: -360, mt: -420, pt: -480,
  akst: -540, akdt: -480, hst: -600,
  // Europe, Middle East, Asia-Pacific zones seen in agency feeds.
  bst: 60, west: 60, cet: 60, met: 60, cest: 120, mest: 120, eet: 120, eest: 180, msk: 180,
  jst: 540, kst: 540, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

const ISO_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/i;
const ISO_BASIC_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?$/;
const SLASH_DATE_RE = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

/**
 * Parses a date as feeds and wire services write it. Accepts RFC 822/1123/2822 (with or
 * without weekday and seconds, 2- or 4-digit years, named zones such as GMT/EST/PDT, military
 * letters, `+hhmm`, `GMT+hh:mm`), ISO 8601 / RFC 3339 (extended or basic, date-only, with or
 * without seconds, fractions and offset) and the asctime / JavaScript `toString` orders.
 *
 * @returns the instant, or `null` for anything else (empty, garbage, out-of-range fields).
 */
export function parseDate(input: string): Date | null {
  // Parenthesized comments are allowed by RFC 822: "+0000 (UTC)".
  const s = input.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (s === '') return null;
  const ms = parseIso(s) ?? parseWordy(s);
  return ms === null ? null : new Date(ms);
}

function parseIso(s: string): number | null {
  const m = ISO_RE.exec(s) ?? ISO_BASIC_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const offset = zone === undefined ? 0 : parseNumericOffset(zone === 'z' || zone === 'Z' ? '+00:00' : zone);
  if (offset === null) return null;
  return instant(
    Number(y),
    mo === undefined ? 1 : Number(mo),
    d === undefined ? 1 : Number(d),
    h === undefined ? 0 : Number(h),
    mi === undefined ? 0 : Number(mi),
    sec === undefined ? 0 : Number(sec),
    frac === undefined ? 0 : Number(`${frac}000`.slice(0, 3)),
    offset,
  );
}

/** RFC 822 and its relatives: a bag of tokens in any of the orders feeds use. */
function parseWordy(s: string): number | null {
  const tokens = s.replace(/,/g, ' ').split(' ').filter((t) => t !== '');
  let year: number | null = null;
  let month: number | null = null;
  let day: number | null = null;
  let time: [number, number, number, number] | null = null;
  let offset: number | null = null;
  let meridiem: 'am' | 'pm' | null = null;
  const numbers: string[] = [];

  for (const token of tokens) {
    const lower = token.toLowerCase().replace(/\.$/, '');
    const monthNo = MONTHS_EN[lower];
    const slash = SLASH_DATE_RE.exec(token);
    const t = TIME_RE.exec(token);
    // Zone names are upper case by convention; a lower-case "at" is the word ("… 2020 at 12:00").
    if (WEEKDAYS_EN.has(lower) || token === 'at') continue;
    if (monthNo !== undefined) {
      if (month !== null) return null;
      month = monthNo;
    } else if (slash) {
      if (year !== null || month !== null) return null;
      year = Number(slash[1]);
      month = Number(slash[2]);
      day = Number(slash[3]);
    } else if (t) {
      if (time !== null) return null;
      time = [Number(t[1]), Number(t[2]), t[3] === undefined ? 0 : Number(t[3]), t[4] === undefined ? 0 : Number(`${t[4]}000`.slice(0, 3))];
    } else if (/^\d{1,4}$/.test(token)) {
      numbers.push(token);
    } else if ((lower === 'am' || lower === 'pm') && meridiem === null) {
      meridiem = lower;
    } else {
      const zone = parseZone(token);
      if (zone === null || offset !== null) return null;
      offset = zone;
    }
  }

  if (month === null) return null;
  if (day === null) {
    // Day and year are the only bare numbers; a 4-digit one is the year, else the order decides.
    if (numbers.length !== 2) return null;
    const [a, b] = numbers as [string, string];
    const yearFirst = a.length === 4 && b.length <= 2;
    const dayToken = yearFirst ? b : a;
    const yearToken = yearFirst ? a : b;
    if (dayToken.length > 2 || yearToken.length === 3) return null;
    day = Number(dayToken);
    year = expandYear(yearToken);
  } else if (numbers.length > 0 || year === null) {
    return null;
  }

  let [hour, minute, second, millis] = time ?? [0, 0, 0, 0];
  if (meridiem !== null) {
    if (time === null || hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  return instant(year, month, day, hour, minute, second, millis, offset ?? 0);
}

/** RFC 2822 §4.3: two-digit years below 50 are 20xx, the rest 19xx. */
function expandYear(token: string): number {
  const n = Number(token);
  if (token.length > 2) return n;
  return n < 50 ? 2000 + n : 1900 + n;
}

function parseZone(token: string): number | null {
  const lower = token.toLowerCase();
  const named = NAMED_ZONES[lower];
  if (named !== undefined) return named;
  if (/^[a-ik-z]$/.test(lower)) return militaryOffset(lower);
  const prefixed = /^(?:gmt|utc|ut)([+-].+)$/.exec(lower);
  if (prefixed?.[1] !== undefined) return parseNumericOffset(prefixed[1], true);
  return parseNumericOffset(token);
}

/**
 * Military single-letter zones with their real meaning (A = UTC+1 … M = UTC+12, N = UTC−1 …
 * Y = UTC−12). RFC 822 printed the signs reversed; RFC 2822 §4.3 gave up on them, but the
 * producers still emitting them follow the military table.
 */
function militaryOffset(letter: string): number {
  if (letter === 'z') return 0;
  const code = letter.charCodeAt(0);
  if (letter <= 'i') return (code - 96) * 60; // a..i → +1..+9
  if (letter <= 'm') return (code - 97) * 60; // k..m → +10..+12 (j is unused)
  return -(code - 109) * 60; // n..y → −1..−12
}

/** `+hhmm`, `+hh:mm`, `+hh` (and `+h`, `+h:mm` after a GMT prefix) → minutes east of UTC. */
function parseNumericOffset(zone: string, lenient = false): number | null {
  const m = (lenient ? /^([+-])(\d{1,2})(?::?(\d{2}))?$/ : /^([+-])(\d{2})(?::?(\d{2}))?$/).exec(zone);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 18 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Validated fields → epoch milliseconds; `offset` is minutes east of UTC. */
function instant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offset: number,
): number | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto 1900–1999.
  d.setUTCFullYear(year, month - 1, day);
  // A leap second is reported as the last ordinary second of its minute.
  d.setUTCHours(hour, minute, Math.min(second, 59), millis);
  return d.getTime() - offset * 60_000;
}

// ---------------------------------------------------------------------------------------------
// Calendar dates written out in words, as datelines carry them ("10 avril 2020", "Aug 29, 2014",
// "10 نيسان/أبريل 2020"). Matched on folded text so hamza and accent variants need no entries.

const MONTH_WORDS: ReadonlyArray<readonly [string, number]> = [
  // French (folded: accents stripped)
  ['janvier', 1], ['janv', 1], ['fevrier', 2], ['fevr', 2], ['fev', 2], ['mars', 3], ['avril', 4],
  ['avr', 4], ['mai', 5], ['juin', 6], ['juillet', 7], ['juil', 7], ['aout', 8], ['septembre', 9],
  ['octobre', 10], ['novembre', 11], ['decembre', 12], ['dec', 12],
  // Arabic, Egyptian/Gulf names (folded: hamza dropped, ة → ه)
  ['يناير', 1], ['فبراير', 2], ['مارس', 3], ['ابريل', 4], ['مايو', 5], ['يونيو', 6], ['يونيه', 6],
  ['يوليو', 7], ['يوليه', 7], ['اغسطس', 8], ['سبتمبر', 9], ['اكتوبر', 10], ['نوفمبر', 11],
  ['ديسمبر', 12],
  // Arabic, Levantine/Iraqi names
  ['كانون الثاني', 1], ['شباط', 2], ['اذار', 3], ['نيسان', 4], ['ايار', 5], ['حزيران', 6],
  ['تموز', 7], ['اب', 8], ['ايلول', 9], ['تشرين الاول', 10], ['تشرين الثاني', 11],
  ['كانون الاول', 12],
  // Arabic, Maghreb names
  ['جانفي', 1], ['فيفري', 2], ['افريل', 4], ['ماي', 5], ['جوان', 6], ['جويليه', 7], ['اوت', 8],
];
const MONTH_WORD_MAP = new Map<string, number>([
  ...Object.entries(MONTHS_EN),
  ...MONTH_WORDS,
]);

const WEEKDAY_WORDS = new Set([
  ...WEEKDAYS_EN,
  'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche',
  'الاثنين', 'الثلاثاء', 'الاربعاء', 'الخميس', 'الجمعه', 'السبت', 'الاحد',
  'اثنين', 'ثلاثاء', 'اربعاء', 'خميس', 'جمعه', 'سبت', 'احد',
]);

/** Fields of a date phrase; any may be missing ("Monday", "April 10"). */
export interface DatePhrase {
  year: number | null;
  month: number | null;
  day: number | null;
}

/**
 * Reads a calendar date written in words in English, French or Arabic (Egyptian, Levantine and
 * Maghreb month names, `نيسان/أبريل` pairs, Arabic-Indic digits), e.g. `10 avril 2020`,
 * `Aug 29, 2014`, `Monday`, `10 نيسان/أبريل 2020`.
 *
 * @returns the fields found, or `null` when the phrase holds anything but date words, so
 *   callers can tell "a date without a year" from "not a date at all".
 */
export function parseDatePhrase(phrase: string): DatePhrase | null {
  const words = foldForMatching(phrase.replace(/(\d)(?:er|st|nd|rd|th)\b/gi, '$1')).split(' ');
  if (words.length === 1 && words[0] === '') return null;
  const out: DatePhrase = { year: null, month: null, day: null };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const pair = i + 1 < words.length ? `${word} ${words[i + 1]}` : null;
    const pairMonth = pair === null ? undefined : MONTH_WORD_MAP.get(pair);
    const month = pairMonth ?? MONTH_WORD_MAP.get(word);
    if (month !== undefined) {
      if (out.month !== null && out.month !== month) return null;
      out.month = month;
      if (pairMonth !== undefined) i++;
    } else if (WEEKDAY_WORDS.has(word)) {
      continue;
    } else if (/^\d{4}$/.test(word) && out.year === null) {
      out.year = Number(word);
    } else if (/^\d{1,2}$/.test(word) && out.day === null) {
      out.day = Number(word);
    } else {
      return null;
    }
  }
  if (out.day !== null && (out.day < 1 || out.day > 31)) return null;
  return out;
}

/**
 * A complete date phrase (day, month and year) → midnight UTC of that day; `null` otherwise.
 * ISO dates (`2020-04-10`) are accepted too.
 */
export function parseCalendarDate(phrase: string): Date | null {
  const p = parseDatePhrase(phrase);
  if (p === null) return /^\d{4}-\d{2}-\d{2}$/.test(phrase.trim()) ? parseDate(phrase) : null;
  return dateFromPhrase(p);
}

/** Midnight UTC of a complete, valid date phrase (`31 avril` is a typo, not a date); else `null`. */
export function dateFromPhrase(p: DatePhrase): Date | null {
  if (p.year === null || p.month === null || p.day === null) return null;
  const ms = instant(p.year, p.month, p.day, 0, 0, 0, 0, 0);
  return ms === null ? null : new Date(ms);
}
