/**
 * Date parsing for feed and wire dates. Deterministic on purpose: `Date.parse` accepts a
 * different set of garbage on every engine, and a wrong date silently reorders a feed.
 * Strings without a zone are read as UTC (what feeds mean far more often than server time),
 * except Korean-written dates, which are Korea time.
 */
import { foldForMatching } from './fold-text.ts';

const MONTHS_EN: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5,
  jun: 6, june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9,
  oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

/**
 * Month names parseDate reads besides English, as feed software in those languages writes them:
 * Greek (abbreviated, nominative and genitive: `Ιούλ`, `Ιούλιος`, `Ιουλίου`) and Hungarian
 * (`júl.`, `július`). Keys are folded (lower case, accents stripped, see {@link wordKey}).
 */
const MONTHS_OTHER: ReadonlyArray<readonly [string, number]> = [
  // Greek
  ['ιαν', 1], ['ιανουάριος', 1], ['ιανουαρίου', 1], ['φεβ', 2], ['φεβρ', 2], ['φεβρουάριος', 2],
  ['φεβρουαρίου', 2], ['μάρ', 3], ['μάρτ', 3], ['μάρτιος', 3], ['μαρτίου', 3], ['απρ', 4],
  ['απρίλιος', 4], ['απριλίου', 4], ['μάι', 5], ['μάιος', 5], ['μαΐου', 5], ['ιούν', 6],
  ['ιούνιος', 6], ['ιουνίου', 6], ['ιούλ', 7], ['ιούλιος', 7], ['ιουλίου', 7], ['αύγ', 8],
  ['αύγουστος', 8], ['αυγούστου', 8], ['σεπ', 9], ['σεπτ', 9], ['σεπτέμβριος', 9],
  ['σεπτεμβρίου', 9], ['οκτ', 10], ['οκτώβριος', 10], ['οκτωβρίου', 10], ['νοέ', 11], ['νοέμ', 11],
  ['νοέμβριος', 11], ['νοεμβρίου', 11], ['δεκ', 12], ['δεκέμβριος', 12], ['δεκεμβρίου', 12],
  // Hungarian
  ['január', 1], ['febr', 2], ['február', 2], ['márc', 3], ['március', 3], ['ápr', 4],
  ['április', 4], ['máj', 5], ['május', 5], ['jún', 6], ['június', 6], ['júl', 7], ['július', 7],
  ['augusztus', 8], ['szept', 9], ['szeptember', 9], ['okt', 10], ['október', 10],
];

const WEEKDAYS = [
  'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'wednesday', 'thu', 'thur', 'thurs',
  'thursday', 'fri', 'friday', 'sat', 'saturday', 'sun', 'sunday',
  // Greek
  'κυρ', 'κυριακή', 'δευ', 'δευτέρα', 'τρι', 'τρίτη', 'τετ', 'τετάρτη', 'πεμ', 'πέμπτη', 'παρ',
  'παρασκευή', 'σαβ', 'σάββατο',
  // Hungarian
  'hétfő', 'kedd', 'szerda', 'csütörtök', 'péntek', 'szombat', 'vasárnap',
];

/** A word as the month and weekday tables hold it: lower case, accents and a final dot gone. */
function wordKey(token: string): string {
  return token.toLowerCase().replace(/\.$/, '').normalize('NFD').replace(/\p{M}/gu, '').replace(/ς/g, 'σ');
}

const MONTH_KEYS: ReadonlyMap<string, number> = new Map(
  [...Object.entries(MONTHS_EN), ...MONTHS_OTHER].map(([k, v]) => [wordKey(k), v] as const),
);
const WEEKDAY_KEYS: ReadonlySet<string> = new Set(WEEKDAYS.map(wordKey));

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


/** A time of day after an extended-format date: `T10:14:55.1234+01:00`, ` 23:56:58`, `T9:15-05:00`. */
const ISO_TIME = String.raw`(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?)?`;
/** `YYYY`, `YYYY-MM`, `YYYY-MM-DD` and a time after a full date. */
const ISO_RE = new RegExp(String.raw`^(\d{4})(?:-(\d{2})(?:-(\d{2})${ISO_TIME})?)?$`, 'i');
const ISO_BASIC_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** The month written with three digits, `2003-012-31`, as some feed software pads it. */
const ISO_WIDE_MONTH_RE = new RegExp(String.raw`^(\d{4})-0(\d{2})-(\d{2})${ISO_TIME}$`, 'i');
/** Ordinal date, `2003-335` (the 335th day of 2003). */
const ISO_ORDINAL_RE = new RegExp(String.raw`^(\d{4})-(\d{3})${ISO_TIME}$`, 'i');
/**
 * ISO 8601:2000's truncated forms with a two-digit year (dropped in 2004, still in old feeds),
 * date only and only as the whole string: `031231` / `03-12-31` (YYMMDD), `03335` / `03-335`
 * (YYDDD), `-0312` / `-03-12` (a month, -YYMM).
 */
const YYMMDD_RE = /^(\d{2})(-?)(\d{2})\2(\d{2})$/;
const YYDDD_RE = /^(\d{2})-?(\d{3})$/;
const YYMM_RE = /^-(\d{2})-?(\d{2})$/;
/** A month name between the year and the day, `2004-július-13T9:15-05:00` (Hungarian feeds). */
const ISO_MONTH_WORD_RE = /^(\d{4})-(\p{L}+)\.?-(\d{1,2})(?=$|[T ])(.*)$/iu;
const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?$/;
const SLASH_DATE_RE = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
/**
 * Korean dates: `2004년 05월 28일 01:31:15` (year/month/day markers) and `2004-05-25 오후 11:23:17`
 * (오전 a.m., 오후 p.m.); an optional zone may follow.
 */
const KOREAN_RE =
  /^(?:(\d{4})년 ?(\d{1,2})월 ?(\d{1,2})일|(\d{4})-(\d{2})-(\d{2}))(?: (?:(오전|오후) ?)?(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?: (\S+))?$/u;
/** Korea Standard Time, UTC+9 (no daylight saving since 1988): what a Korean date without a zone means. */
const KOREA_OFFSET = 540;

/**
 * Parses a date as feeds and wire services write it. Accepts RFC 822/1123/2822 (with or
 * without weekday and seconds, 2- or 4-digit years, named zones such as GMT/EST/PDT, military
 * letters, `+hhmm`, `GMT+hh:mm`), ISO 8601 / RFC 3339 (extended or basic, date-only, with or
 * without seconds, fractions and offset; ordinal `2003-335`; the two-digit-year forms `031231`,
 * `03-12-31`, `03335`, `-0312`, `-03-12` when they are the whole string), the asctime /
 * JavaScript `toString` orders, Greek and Hungarian month and weekday names, and Korean dates
 * (`2004년 05월 28일 01:31:15`, `2004-05-25 오후 11:23:17`; without a zone, Korea time).
 * Two-digit years are 20xx below 50, else 19xx.
 *
 * @returns the instant, or `null` for anything else (empty, garbage, out-of-range fields).
 */
export function parseDate(input: string): Date | null {
  // Parenthesized comments are allowed by RFC 822: "+0000 (UTC)".
  const s = input.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (s === '') return null;
  const ms = parseIso(s) ?? parseIsoMonthWord(s) ?? parseKorean(s) ?? parseWordy(s);
  return ms === null ? null : new Date(ms);
}

function parseIso(s: string): number | null {
  const full = ISO_RE.exec(s) ?? ISO_BASIC_RE.exec(s) ?? ISO_WIDE_MONTH_RE.exec(s);
  if (full) {
    const [, y, mo, d] = full;
    return withIsoTime(Number(y), mo === undefined ? 1 : Number(mo), d === undefined ? 1 : Number(d), full.slice(4));
  }
  const ordinal = ISO_ORDINAL_RE.exec(s);
  if (ordinal) {
    const year = Number(ordinal[1]);
    const md = ordinalToDate(year, Number(ordinal[2]));
    return md === null ? null : withIsoTime(year, md[0], md[1], ordinal.slice(3));
  }
  const ymd = YYMMDD_RE.exec(s);
  if (ymd) return instant(expandYear(ymd[1]!), Number(ymd[3]), Number(ymd[4]), 0, 0, 0, 0, 0);
  const yddd = YYDDD_RE.exec(s);
  if (yddd) {
    const year = expandYear(yddd[1]!);
    const md = ordinalToDate(year, Number(yddd[2]));
    return md === null ? null : instant(year, md[0], md[1], 0, 0, 0, 0, 0);
  }
  const ym = YYMM_RE.exec(s);
  if (ym) return instant(expandYear(ym[1]!), Number(ym[2]), 1, 0, 0, 0, 0, 0);
  return null;
}

/** A calendar day and the time fields of {@link ISO_TIME} (hour, minute, second, fraction, zone). */
function withIsoTime(year: number, month: number, day: number, time: ReadonlyArray<string | undefined>): number | null {
  const [h, mi, sec, frac, zone] = time;
  const offset = zone === undefined ? 0 : parseNumericOffset(zone === 'z' || zone === 'Z' ? '+00:00' : zone);
  if (offset === null) return null;
  return instant(
    year,
    month,
    day,
    h === undefined ? 0 : Number(h),
    mi === undefined ? 0 : Number(mi),
    sec === undefined ? 0 : Number(sec),
    frac === undefined ? 0 : Number(`${frac}000`.slice(0, 3)),
    offset,
  );
}

/** Day `n` of `year` (1 = 1 January) → [month, day], or null past the year's last day. */
function ordinalToDate(year: number, n: number): [number, number] | null {
  let rest = n;
  for (let month = 1; month <= 12; month++) {
    const days = daysInMonth(year, month);
    if (rest >= 1 && rest <= days) return [month, rest];
    rest -= days;
  }
  return null;
}

/** `2004-július-13T9:15-05:00` → the same date with the month's number, read as ISO 8601. */
function parseIsoMonthWord(s: string): number | null {
  const m = ISO_MONTH_WORD_RE.exec(s);
  if (!m) return null;
  const month = MONTH_KEYS.get(wordKey(m[2]!));
  if (month === undefined) return null;
  return parseIso(`${m[1]}-${String(month).padStart(2, '0')}-${m[3]!.padStart(2, '0')}${m[4]}`);
}

function parseKorean(s: string): number | null {
  const m = KOREAN_RE.exec(s);
  if (!m) return null;
  const [, y1, mo1, d1, y2, mo2, d2, meridiem, h, mi, sec, zone] = m;
  // The hyphenated form is Korean only by its 오전/오후; without it, it is ISO 8601 (parseIso).
  if (y2 !== undefined && meridiem === undefined) return null;
  let hour = h === undefined ? 0 : Number(h);
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === '오후' ? 12 : 0);
  }
  // Without a time, a zone would be a stray word: "2004-05-25 foo" is not a date.
  if (zone !== undefined && h === undefined) return null;
  const offset = zone === undefined ? KOREA_OFFSET : parseZone(zone);
  if (offset === null) return null;
  return instant(
    Number(y1 ?? y2),
    Number(mo1 ?? mo2),
    Number(d1 ?? d2),
    hour,
    mi === undefined ? 0 : Number(mi),
    sec === undefined ? 0 : Number(sec),
    0,
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
    const key = wordKey(token);
    const monthNo = MONTH_KEYS.get(key);
    const slash = SLASH_DATE_RE.exec(token);
    const t = TIME_RE.exec(token);
    // Zone names are upper case by convention; a lower-case "at" is the word ("… 2020 at 12:00").
    if (WEEKDAY_KEYS.has(key) || token === 'at') continue;
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
    } else if (/^\d{1,4}\.?$/.test(token)) {
      // A dot after a number is an ordinal mark ("2004. július 13.", "13. Juli 2004").
      numbers.push(token.replace(/\.$/, ''));
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
// Calendar dates written out in words, as datelines and copy carry them ("10 avril 2020",
// "Aug 29, 2014", "10 نيسان/أبريل 2020", "الخميس 14 حزيران/يونيو", "١٢ أفريل ٢٠٢٠", "الجمعة").
// Words are matched folded (foldForMatching), so hamza, alef, yaa and accent variants need no
// entries of their own: أبريل/ابريل/إبريل, آيار/أيار, يونيه/يونيو, جويلية/جويليه all meet.

const MONTH_WORDS: ReadonlyArray<readonly [string, number]> = [
  // French (folded: accents stripped)
  ['janvier', 1], ['janv', 1], ['fevrier', 2], ['fevr', 2], ['fev', 2], ['mars', 3], ['avril', 4],
  ['avr', 4], ['mai', 5], ['juin', 6], ['juillet', 7], ['juil', 7], ['aout', 8], ['septembre', 9],
  ['sept', 9], ['octobre', 10], ['novembre', 11], ['decembre', 12], ['dec', 12],
  // Arabic, Egypt / Gulf (Gregorian transliterations)
  ['يناير', 1], ['فبراير', 2], ['مارس', 3], ['ابريل', 4], ['مايو', 5], ['يونيو', 6], ['يونيه', 6],
  ['يوليو', 7], ['يوليه', 7], ['اغسطس', 8], ['سبتمبر', 9], ['اكتوبر', 10], ['نوفمبر', 11],
  ['ديسمبر', 12],
  // Arabic, Levant / Iraq (Syriac names); the two-word ones also without the article
  ['كانون الثاني', 1], ['كانون ثاني', 1], ['شباط', 2], ['اذار', 3], ['نيسان', 4], ['ايار', 5],
  ['حزيران', 6], ['تموز', 7], ['اب', 8], ['ايلول', 9], ['تشرين الاول', 10], ['تشرين اول', 10],
  ['تشرين الثاني', 11], ['تشرين ثاني', 11], ['كانون الاول', 12], ['كانون اول', 12],
  // Arabic, Algeria / Tunisia (French transliterations)
  ['جانفي', 1], ['فيفري', 2], ['افريل', 4], ['ماي', 5], ['جوان', 6], ['جويليه', 7], ['اوت', 8],
  // Arabic, Morocco
  ['يوليوز', 7], ['غشت', 8], ['شتنبر', 9], ['نونبر', 11], ['دجنبر', 12],
];
/** Keys go through the same folding as the text, so a spelling written here with hamza still meets. */
function foldedMap<V>(entries: Iterable<readonly [string, V]>): Map<string, V> {
  return new Map([...entries].map(([k, v]) => [foldForMatching(k), v] as const));
}

const MONTH_WORD_MAP = foldedMap<number>([...Object.entries(MONTHS_EN), ...MONTH_WORDS]);

/** Weekday words → 0 (Sunday) … 6 (Saturday). */
const WEEKDAY_MAP = foldedMap<number>([
  ['sun', 0], ['sunday', 0], ['mon', 1], ['monday', 1], ['tue', 2], ['tues', 2], ['tuesday', 2],
  ['wed', 3], ['wednesday', 3], ['thu', 4], ['thur', 4], ['thurs', 4], ['thursday', 4],
  ['fri', 5], ['friday', 5], ['sat', 6], ['saturday', 6],
  ['dimanche', 0], ['lundi', 1], ['mardi', 2], ['mercredi', 3], ['jeudi', 4], ['vendredi', 5], ['samedi', 6],
  ['الاحد', 0], ['الاثنين', 1], ['الثلاثاء', 2], ['الاربعاء', 3], ['الخميس', 4], ['الجمعه', 5], ['السبت', 6],
]);
/**
 * Arabic weekdays without the article are also ordinary words (أحد "one", جمعة "gathering");
 * they count only after يوم ("day"), where they cannot be anything else.
 */
const BARE_WEEKDAY_MAP = foldedMap<number>([
  ['احد', 0], ['اثنين', 1], ['ثلاثاء', 2], ['اربعاء', 3], ['خميس', 4], ['جمعه', 5], ['سبت', 6],
]);
const DAY_WORDS = new Set(['يوم', 'le', 'the', 'on'].map(foldForMatching));

type Relative = 'last' | 'next';
/** "الخميس الماضي" (last Thursday), "السبت المقبل" (next Saturday), "samedi dernier". */
const RELATIVE_WORDS = foldedMap<Relative>([
  ['الماضي', 'last'], ['الماضيه', 'last'], ['الفائت', 'last'], ['الفائته', 'last'], ['المنصرم', 'last'],
  ['المنصرمه', 'last'], ['السابق', 'last'], ['dernier', 'last'], ['derniere', 'last'], ['last', 'last'],
  ['المقبل', 'next'], ['المقبله', 'next'], ['القادم', 'next'], ['القادمه', 'next'], ['prochain', 'next'],
  ['prochaine', 'next'], ['next', 'next'],
]);
/** Words that introduce a year: "22 نوفمبر عام 1799", "l'an 2020". */
const YEAR_WORDS = new Set(['عام', 'العام', 'سنة', 'لسنة', 'of'].map(foldForMatching));
/** The Gregorian marker after a year ("2017م"). */
const GREGORIAN_SUFFIX = new Set(['م']);
const ORDINAL_SUFFIX = new Set(['er', 'e', 'st', 'nd', 'rd', 'th']);

/** Fields of a date phrase; any may be missing ("Monday", "April 10"). */
export interface DatePhrase {
  year: number | null;
  month: number | null;
  day: number | null;
}

/** How much of a resolved date the text actually said. */
export type DatePrecision = 'month' | 'day' | 'minute';

/** A date phrase turned into an instant. */
export interface ResolvedDate {
  /** Midnight UTC of the day (the 1st for `month` precision), or the minute when one was given (read as UTC). */
  date: Date;
  precision: DatePrecision;
  /** False when the year (or the whole date, for a weekday) was inferred from the reference date. */
  hasYear: boolean;
}

/** A date found inside running text. */
export interface FoundDate extends ResolvedDate {
  /** Offset of the phrase in the text (UTF-16 code units). */
  index: number;
  /** The phrase as it stands in the text. */
  text: string;
}

/** Options of {@link findDateInText}. */
export interface FindDateOptions {
  /**
   * Only a weekday standing alone, without "last"/"next" (`أعلن الكرملين، الجمعة، …`,
   * `said on Thursday`): in a lede that is the day of the news, while a full date in a lede is as
   * often an earlier event ("منذ 30 آذار/مارس").
   */
  weekdayOnly?: boolean;
}

interface Token {
  /** Folded word, or the numeric-date / time token as written (ASCII digits). */
  word: string;
  start: number;
  end: number;
}

interface Scan {
  year: number | null;
  month: number | null;
  day: number | null;
  weekday: number | null;
  relative: Relative | null;
  time: [number, number] | null;
  numeric: boolean;
}

const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const TIME_TOKEN = /^(\d{1,2}):(\d{2})$/;
/** Numbers, numeric dates (d/m/yyyy), times (hh:mm), and letter runs. */
const TOKEN_RE = /\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?![\d/.-]*\d)|\d{1,2}:\d{2}(?!:?\d)|\d+|[\p{L}\p{M}]+/gu;
/** Longest phrase tried, in tokens: "يوم الخميس 14 كانون الثاني / يناير عام 2018 الماضي". */
const MAX_PHRASE_TOKENS = 10;
/** Numeric dates outside these years are Hijri (`14/10/1439`) or not dates at all. */
const MIN_NUMERIC_YEAR = 1600;
const MAX_YEAR = 2199;
/** A year-less day-month resolves to the nearest occurrence at most this far after the reference. */
const FUTURE_WINDOW_DAYS = 183;
const DAY_MS = 86_400_000;

/** ASCII digits for Eastern Arabic-Indic and Persian ones, so offsets in the text do not move. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0xf));
}

function tokenize(text: string): Token[] {
  const src = asciiDigits(text);
  const tokens: Token[] = [];
  for (const m of src.matchAll(TOKEN_RE)) {
    const raw = m[0];
    const start = m.index ?? 0;
    const word = /^\d/.test(raw) ? raw : foldForMatching(raw).replace(/\s+/g, '');
    if (word !== '') tokens.push({ word, start, end: start + raw.length });
  }
  return tokens;
}

/**
 * Reads a run of tokens as one date phrase: day, month (one name or a double name such as
 * `آذار/مارس`, `مارس (آذار)`), year, weekday, "last"/"next", time. Any other word ends it.
 */
function scanTokens(tokens: ReadonlyArray<Token>): Scan | null {
  const s: Scan = { year: null, month: null, day: null, weekday: null, relative: null, time: null, numeric: false };
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!.word;
    const next = tokens[i + 1]?.word;
    const prev = i > 0 ? tokens[i - 1]!.word : null;
    const numeric = NUMERIC_DATE.exec(word);
    const time = TIME_TOKEN.exec(word);
    const pairMonth = next === undefined ? undefined : MONTH_WORD_MAP.get(`${word} ${next}`);
    const month = pairMonth ?? MONTH_WORD_MAP.get(word);
    if (numeric) {
      if (s.day !== null || s.month !== null || s.year !== null) return null;
      const year = Number(numeric[4]);
      if (year < MIN_NUMERIC_YEAR || year > MAX_YEAR) return null;
      // Day first: the order of the Arab world, Europe and every agency but the American ones.
      s.day = Number(numeric[1]);
      s.month = Number(numeric[3]);
      s.year = year;
      s.numeric = true;
    } else if (time) {
      if (s.time !== null) return null;
      s.time = [Number(time[1]), Number(time[2])];
    } else if (month !== undefined) {
      // A double name must name one month twice; "مارس/أبريل" is a range, not a date.
      if (s.month !== null && s.month !== month) return null;
      s.month = month;
      if (pairMonth !== undefined) i++;
    } else if (WEEKDAY_MAP.has(word) || (prev === 'يوم' && BARE_WEEKDAY_MAP.has(word))) {
      if (s.weekday !== null) return null;
      s.weekday = WEEKDAY_MAP.get(word) ?? BARE_WEEKDAY_MAP.get(word)!;
    } else if (RELATIVE_WORDS.has(word)) {
      if (s.relative !== null) return null;
      s.relative = RELATIVE_WORDS.get(word)!;
    } else if (/^\d{4}$/.test(word)) {
      if (s.year !== null) return null;
      s.year = Number(word);
    } else if (/^\d{1,2}$/.test(word)) {
      if (s.day !== null) return null;
      s.day = Number(word);
    } else if (DAY_WORDS.has(word) || YEAR_WORDS.has(word)) {
      continue;
    } else if (GREGORIAN_SUFFIX.has(word) && prev !== null && /^\d{4}$/.test(prev)) {
      continue;
    } else if (ORDINAL_SUFFIX.has(word) && prev !== null && /^\d{1,2}$/.test(prev)) {
      continue;
    } else {
      return null;
    }
  }
  if (s.day !== null && (s.day < 1 || s.day > 31)) return null;
  if (s.year !== null && s.year > MAX_YEAR) return null;
  return s;
}

/** Midnight UTC of a calendar day, or null when the day does not exist (31 avril). */
function utcDay(year: number, month: number, day: number): Date | null {
  const ms = instant(year, month, day, 0, 0, 0, 0, 0);
  return ms === null ? null : new Date(ms);
}

function startOfUtcDay(d: Date): number {
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/**
 * Resolves scanned fields. Year-less and weekday-only phrases need `reference`:
 *
 * - day + month: with "الماضي"/"last", the latest such day before the reference day; with
 *   "المقبل"/"next", the first after it; otherwise the occurrence nearest the reference day
 *   among those at most {@link FUTURE_WINDOW_DAYS} days after it (news mostly looks back, but
 *   announces elections and deadlines months ahead);
 * - weekday alone: the most recent such weekday on or before the reference day; "last" is the
 *   one before that day, "next" the first after it.
 *
 * A weekday next to a full date is not checked against it: copy that says "الثلاثاء 8 أغسطس"
 * when the 8th was a Wednesday got the number right more often than the name.
 */
function resolveScan(s: Scan, reference: Date | undefined): ResolvedDate | null {
  const withTime = (date: Date): ResolvedDate['date'] =>
    s.time === null ? date : new Date(date.getTime() + (s.time[0] * 60 + s.time[1]) * 60_000);
  if (s.time !== null && (s.time[0] > 23 || s.time[1] > 59)) return null;
  const precision: DatePrecision = s.time !== null ? 'minute' : 'day';

  if (s.month !== null && s.day !== null && s.year !== null) {
    const date = utcDay(s.year, s.month, s.day);
    return date === null ? null : { date: withTime(date), precision, hasYear: true };
  }
  if (s.month !== null && s.year !== null) {
    if (s.time !== null || s.weekday !== null || s.relative !== null) return null;
    return { date: utcDay(s.year, s.month, 1)!, precision: 'month', hasYear: true };
  }
  if (reference === undefined || Number.isNaN(reference.getTime())) return null;
  const refDay = startOfUtcDay(reference);

  if (s.month !== null && s.day !== null) {
    const year = reference.getUTCFullYear();
    const candidates = [year - 1, year, year + 1]
      .map((y) => utcDay(y, s.month!, s.day!))
      .filter((d): d is Date => d !== null);
    let pick: Date | undefined;
    if (s.relative === 'last') pick = candidates.filter((d) => d.getTime() < refDay).at(-1);
    else if (s.relative === 'next') pick = candidates.find((d) => d.getTime() > refDay);
    else {
      const allowed = candidates.filter((d) => d.getTime() - refDay <= FUTURE_WINDOW_DAYS * DAY_MS);
      // Ties go to the past: the earlier candidate comes first and only a strictly nearer one wins.
      for (const d of allowed) {
        if (pick === undefined || Math.abs(d.getTime() - refDay) < Math.abs(pick.getTime() - refDay)) pick = d;
      }
    }
    return pick === undefined ? null : { date: withTime(pick), precision, hasYear: false };
  }
  if (s.weekday !== null && s.month === null && s.day === null && s.year === null) {
    const refWeekday = new Date(refDay).getUTCDay();
    let delta = (refWeekday - s.weekday + 7) % 7; // days back to the most recent such weekday
    if (s.relative === 'last' && delta === 0) delta = 7;
    if (s.relative === 'next') delta = -(((s.weekday - refWeekday + 7) % 7) || 7);
    return { date: withTime(new Date(refDay - delta * DAY_MS)), precision, hasYear: false };
  }
  return null;
}

/**
 * Reads a calendar date written in words in English, French or Arabic (Egyptian/Gulf, Levantine,
 * Maghreb and Moroccan month names, double names such as `نيسان/أبريل` or `مارس (آذار)` in either
 * order, Arabic-Indic digits), e.g. `10 avril 2020`, `Aug 29, 2014`, `Monday`,
 * `10 نيسان/أبريل 2020`.
 *
 * @returns the fields found, or `null` when the phrase holds anything but date words, so
 *   callers can tell "a date without a year" from "not a date at all".
 */
export function parseDatePhrase(phrase: string): DatePhrase | null {
  const tokens = tokenize(phrase);
  if (tokens.length === 0) return null;
  const s = scanTokens(tokens);
  return s === null ? null : { year: s.year, month: s.month, day: s.day };
}

/**
 * Turns a whole date phrase into an instant: `الخميس 14 حزيران/يونيو`, `30 آذار (مارس)`,
 * `١٢ أفريل ٢٠٢٠`, `10 avril 2020 14:30`, `Aug 29, 2014`, `juil 2024` (month precision),
 * `13/06/2018` (day first), `يوم الخميس الماضي`, `الجمعة`.
 *
 * @param reference the date the text was written (document date, or when it was received); it
 *   resolves phrases without a year and weekdays. Without it such phrases give `null`.
 * @returns the date, or `null` when the text is not entirely a date phrase or cannot be resolved.
 *   Year-less rules: see the module notes on `resolveScan` (nearest occurrence at most ~6 months
 *   ahead; a lone weekday is the most recent one on or before the reference day).
 */
export function resolveDatePhrase(text: string, reference?: Date): ResolvedDate | null {
  const tokens = tokenize(text);
  if (tokens.length === 0) return null;
  const s = scanTokens(tokens);
  return s === null ? null : resolveScan(s, reference);
}

/**
 * Finds the first date phrase in running text and resolves it against `reference`: the longest
 * run of date words starting at the earliest position that resolves. A month name counts only
 * next to a day or a year (`مارس` is also a verb, `ماي` a surname, `آب` "father").
 */
export function findDateInText(text: string, reference?: Date, options: FindDateOptions = {}): FoundDate | null {
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i]!.word;
    if (!/^\d/.test(first) && !MONTH_WORD_MAP.has(first) && !WEEKDAY_MAP.has(first) && first !== 'يوم' && !MONTH_WORD_MAP.has(`${first} ${tokens[i + 1]?.word}`)) continue;
    // The longest run that reads as date words is the phrase: a shorter one would drop a
    // "الماضي" or a year that changes its meaning.
    let phrase: { run: Token[]; scan: Scan } | null = null;
    for (let n = Math.min(MAX_PHRASE_TOKENS, tokens.length - i); n >= 1 && phrase === null; n--) {
      const run = tokens.slice(i, i + n);
      // A phrase does not end on a filler word: "الجمعة يوم" is "الجمعة".
      const last = run[run.length - 1]!.word;
      if (DAY_WORDS.has(last) || YEAR_WORDS.has(last) || !sameSentence(text, run)) continue;
      const scan = scanTokens(run);
      if (scan !== null) phrase = { run, scan };
    }
    if (phrase === null) continue;
    const { run, scan: s } = phrase;
    if (options.weekdayOnly && (s.weekday === null || s.day !== null || s.month !== null || s.year !== null || s.relative !== null)) continue;
    // A bare number, a bare year or a bare month name is not a date.
    if (s.weekday === null && (s.month === null || (s.day === null && s.year === null))) continue;
    const resolved = resolveScan(s, reference);
    if (resolved === null) continue;
    const start = run[0]!.start;
    const end = run[run.length - 1]!.end;
    return { ...resolved, index: start, text: text.slice(start, end) };
  }
  return null;
}

/**
 * Tokens of one phrase are separated only by spaces, slashes, commas and brackets; a full stop,
 * a colon or a dash between them ("… 2016. وحددت", "1.50-1.75", "19-20 مارس") ends the phrase.
 */
function sameSentence(text: string, run: ReadonlyArray<Token>): boolean {
  for (let k = 1; k < run.length; k++) {
    const gap = text.slice(run[k - 1]!.end, run[k]!.start);
    if (gap.length > 4 || !/^[\s/،,()\u00A0\u200e\u200f]*$/u.test(gap)) return false;
  }
  return true;
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
  return utcDay(p.year, p.month, p.day);
}
