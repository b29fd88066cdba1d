/**
 * ANPA 1312 (the American Newspaper Publishers Association wire format AP and others send) →
 * RawDocument with one item.
 *
 * A message is: SYN SYN SOH, the service level and message number, a unit separator and the
 * selector code(s); a line with priority, category, format identifier (DC1–DC4), keyword (slug),
 * optional version (take key, e.g. `1stLd-Writethru`), reference date and word count; STX; `^`
 * header lines (keyword line, headline, photo and editors' lines, byline and its title) closed by
 * `<` or `=`; TAB-indented body lines, one paragraph each (tables: BS-led lines); ETX and a
 * transmission stamp such as `AP-WF-02-20-16 0337GMT`.
 */
import type { RawDocument, RawItem } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { ETX, SOH, STX, bylineAuthors, isBylineLine, joinParagraphs, stripControls, toLf } from './control-text.ts';

/** First line after SOH: service level letter, message number, unit separator, selector code. */
const FIRST_LINE = /^([A-Za-z])(\d{4})\u001F(.*)$/;

/**
 * Second line: priority, category, format identifier (DC1–DC4), keyword, optional version,
 * reference (MM-DD) and word count.
 */
const SECOND_LINE = /^([A-Za-z])[ \t]+([A-Za-z]{1,3})([\u0011-\u0014]*)[ \t]*(\S+)(?:[ \t]+(.*?))?[ \t]+(\d{1,2}-\d{1,2})(?:[ \t]+(\d{1,5}))?[ \t]*$/;

/** Priority letters → urgency (1 = most urgent). Flash, bulletin, urgent, routine, deferred, advance. */
const PRIORITY: Readonly<Record<string, number>> = { f: 1, b: 2, u: 3, r: 5, d: 6, a: 7 };

/** An AP keyword line: `BC-BKN--Heat-Hawks, 1st Ld-Writethru,416`. */
const KEYWORD_LINE = /^[A-Z]{2}-[A-Za-z0-9]{2,}--\S/;
/** "AP Photo GATK105, GATK106<": the agency's picture references, not copy. */
const PHOTO_LINE = /^(?:[A-Z]{1,6}\s+)?(?:Photos?|Video|Graphics?|Audio)(?:\s+[A-Z]+\d+,?)*$/;
const EDITOR_NOTE_LINE = /^\(?\s*(?:eds?\s*:|editor'?s'?\s+note\b|editors'?\s+note\b|note\s+to\s+editors\b)/i;
/** The title under a byline: "AP Sports Writer", "Associated Press", "Staff Correspondent". */
const BYLINE_TITLE = /\b(?:associated press|AP|writer|correspondent|editor|reporter|staff|press)\b/i;
/** A header line long enough to be the abstract AP sometimes sends after the headline. */
const MIN_ABSTRACT_CHARS = 80;
/** AP's end-of-story line in tables. */
const END_LINE = /^END$/;
/** Take keys that withdraw the story. */
const KILL_KEY = /\b(?:kill|elimination|withdrawal)\b/i;

/**
 * Cheap test of whether a document is ANPA 1312: it starts with SYN SYN SOH, or with SOH and a
 * service level letter, a four-digit message number and a unit separator (0x1F).
 */
export function looksLikeAnpa1312(head: string): boolean {
  const text = head.replace(/^[\uFEFF\s\u0000]+/, '');
  return /^\u0016+\u0001/.test(text) || /^\u0016*\u0001[A-Za-z]\d{4}\u001F/.test(text);
}

/**
 * Parses one ANPA 1312 message.
 *
 * Mapping: priority letter → urgency (f 1, b 2, u 3, r 5, d 6, a 7); category → subjects
 * `{code, scheme: 'anpa-category'}`; the version field of the header (take key, e.g.
 * `1stLd-Writethru`: an update of an earlier story) → version, and a `Kill` take key → status
 * `canceled`; the keyword line `^BC-…--Slug, version,words<` (else the header keyword) →
 * slugline; the headline line → title; `Eds:` / `EDITOR'S NOTE _` lines → editorNote; a long
 * line after the headline → summary; `^By …=` → authors (the title line under it is dropped);
 * body lines → contentText, one paragraph per line, the dateline (`ATLANTA (AP) _`, `_` being
 * AP's dash) left in it; the date in the stamp after ETX (`02-20-16 0337GMT`) → published,
 * as written; its sender (`AP`) → provider. Control characters are dropped (DLE, the TTS
 * space band inside table cells, becomes a space).
 *
 * @throws WireError `EMPTY_DOCUMENT` for an empty text or a message without text;
 *   `PARSE_ERROR` for a text that has no ANPA header and no STX.
 */
export function parseAnpa1312(text: string): RawDocument {
  const source = toLf(text);
  if (stripControls(source).trim() === '') throw new WireError('EMPTY_DOCUMENT', 'ANPA 1312 message is empty');

  const soh = source.indexOf(SOH);
  const stx = source.indexOf(STX, soh === -1 ? 0 : soh);
  if (soh === -1 && stx === -1) {
    throw new WireError('PARSE_ERROR', 'not an ANPA 1312 message: no SOH header and no STX start of text');
  }

  const item: RawItem = {};
  let headerKeyword: string | undefined;
  let textLines: string[];
  if (soh !== -1 && (stx === -1 || soh < stx)) {
    const header = source.slice(soh + 1, stx === -1 ? undefined : stx).split('\n');
    headerKeyword = readHeader(header, item);
    // Without STX the text is whatever follows the two header lines.
    textLines = stx === -1 ? header.slice(2) : [];
  } else {
    textLines = [];
  }

  let trailer = '';
  if (stx !== -1) {
    const etx = source.indexOf(ETX, stx + 1);
    textLines = source.slice(stx + 1, etx === -1 ? undefined : etx).split('\n');
    if (etx !== -1) trailer = source.slice(etx + 1);
  } else {
    const joined = textLines.join('\n');
    const etx = joined.indexOf(ETX);
    if (etx !== -1) {
      trailer = joined.slice(etx + 1);
      textLines = joined.slice(0, etx).split('\n');
    }
  }

  readText(textLines, item, headerKeyword);
  readTrailer(trailer, item);
  if (item.contentText === undefined && item.title === undefined) {
    throw new WireError('EMPTY_DOCUMENT', 'ANPA 1312 message has a header but no text');
  }
  return { format: 'anpa1312', items: [item] };
}

/** Reads the two header lines into `item`; returns the header keyword (slug) as written. */
function readHeader(lines: string[], item: RawItem): string | undefined {
  // The format identifier is made of control characters: match before stripping them.
  const second = (lines[1] ?? '').replace(/[ \t]+$/, '');
  const m = SECOND_LINE.exec(second);
  if (!m) return undefined;
  const urgency = PRIORITY[(m[1] ?? '').toLowerCase()];
  if (urgency !== undefined) item.urgency = urgency;
  item.subjects = [{ code: m[2] ?? '', scheme: 'anpa-category' }];
  const version = (m[5] ?? '').trim();
  if (version !== '') {
    item.version = version;
    if (KILL_KEY.test(version)) item.status = 'canceled';
  }
  return m[4];
}

function readText(rawLines: string[], item: RawItem, headerKeyword: string | undefined): void {
  const headerLines: string[] = [];
  const body: string[][] = [];
  let inHeader = true;
  for (const raw of rawLines) {
    // DLE is ANPA's TTS space band: a fixed space inside table cells ("Tampa<DLE> Bay").
    const line = stripControls(raw.replace(/\u0010(?=[ \t])|(?<=[ \t])\u0010/g, '').replace(/\u0010/g, ' ')).trim();
    if (line === '') continue;
    // A header line starts with `^` itself; a TAB (text) or BS (table) line ends the header.
    const marked = raw.startsWith('^');
    if (inHeader && marked) {
      headerLines.push(line.slice(1).replace(/\s*[<=]\s*$/, '').trim());
      continue;
    }
    inHeader = false;
    // In the body a `^` line is a heading inside a table ("^Central Division=").
    const content = (marked ? line.slice(1).replace(/\s*[<=]$/, '') : line.replace(/^\^/, '').replace(/\s*<$/, '')).trim();
    if (content !== '' && !END_LINE.test(content)) body.push([content]);
  }

  const leftover = readHeaderLines(headerLines, item, headerKeyword);
  const paragraphs = [...leftover.map((l) => [l]), ...body];
  const text = joinParagraphs(paragraphs);
  if (text !== '') item.contentText = text;
}

/**
 * Sorts the `^` header lines into slugline, headline, summary, editors' note and authors.
 * Returns the lines that are none of these (table captions such as "All Times EDT", section
 * headings after the byline): they belong to the body.
 */
function readHeaderLines(lines: string[], item: RawItem, headerKeyword: string | undefined): string[] {
  const leftover: string[] = [];
  const notes: string[] = [];
  const authors: string[] = [];
  let slug: string | undefined;
  let afterByline = false;
  let bylineTitleSeen = false;

  lines.forEach((line, index) => {
    if (line === '') return;
    if (index === 0 && (KEYWORD_LINE.test(line) || (headerKeyword !== undefined && line.startsWith(headerKeyword.slice(0, 8))))) {
      slug = (line.split(',')[0] ?? line).trim();
      return;
    }
    if (afterByline) {
      if (!bylineTitleSeen && !isBylineLine(line) && BYLINE_TITLE.test(line) && line.length <= 60) {
        bylineTitleSeen = true;
        return;
      }
      if (isBylineLine(line)) {
        authors.push(...bylineAuthors(line));
        return;
      }
      leftover.push(line);
      return;
    }
    if (isBylineLine(line)) {
      authors.push(...bylineAuthors(line));
      afterByline = true;
      return;
    }
    if (PHOTO_LINE.test(line)) return;
    if (EDITOR_NOTE_LINE.test(line) || /^EDITOR'?S NOTE\b/i.test(line)) {
      notes.push(line.replace(/^\(\s*(.*?)\s*\)$/, '$1').replace(/^EDITOR'?S NOTE\s*_\s*/i, '').trim());
      return;
    }
    if (item.title === undefined) {
      item.title = line;
      return;
    }
    if (item.summary === undefined && line.length >= MIN_ABSTRACT_CHARS) {
      item.summary = line;
      return;
    }
    leftover.push(line);
  });

  const slugline = slug ?? headerKeyword;
  if (slugline !== undefined && slugline !== '') item.slugline = slugline;
  if (notes.length > 0) item.editorNote = notes.join('\n');
  if (authors.length > 0) item.authors = authors;
  return leftover;
}

/**
 * The stamp after ETX: `AP-WF-02-20-16 0337GMT` → provider `AP`, published `2016-02-20T03:37:00Z`
 * (ANPA's month-day-year and 24-hour GMT time; a two-digit year is 19xx from 70 on). A stamp of
 * another shape is passed on as written, for the normalizer's date parser.
 */
function readTrailer(trailer: string, item: RawItem): void {
  const stamp = stripControls(trailer)
    .split('\n')
    .map((l) => l.trim().replace(/\s*<$/, ''))
    .find((l) => l !== '');
  if (stamp === undefined) return;
  const m = /^([A-Za-z]+)-[A-Za-z]*-?(\d{1,2}-\d{1,2}-\d{2,4}\s+\d{4}\s*(?:GMT|UTC|Z)?)$/i.exec(stamp);
  if (m) {
    item.provider = m[1] ?? '';
    item.published = stampTime(m[2]!) ?? m[2]!;
  } else {
    item.published = stamp;
  }
}

/** `02-20-16 0337GMT` → `2016-02-20T03:37:00Z`; undefined when it is not a real date and time. */
function stampTime(stamp: string): string | undefined {
  const m = /^(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})\s+(\d{2})(\d{2})/.exec(stamp);
  if (!m) return undefined;
  const [month, day, hour, minute] = [m[1], m[2], m[4], m[5]].map(Number) as [number, number, number, number];
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year >= 70 ? 1900 : 2000;
  const time = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (time.getUTCMonth() !== month - 1 || time.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  return time.toISOString().replace('.000Z', 'Z');
}
