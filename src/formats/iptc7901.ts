/**
 * IPTC 7901 ("Recommended Message Format for Exchanging News", the agency teletype format that
 * dpa, ANSA, APA and others still send) → RawDocument with one item.
 *
 * A message is: SOH, a header line (source + message number, priority, category, word count,
 * optional selector/provider fields), keyword (slug) line(s), STX, the heading (optional
 * handling words such as `REFILE`/`1ST LEAD`, the headline, a byline; dpa closes it with ` =`),
 * the text, an optional "not for publication" part for editors, ETX, and a date/time stamp.
 */
import type { RawDocument, RawItem, RawSubject } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { ETX, SOH, STX, bylineAuthors, groupParagraphs, isBylineLine, joinParagraphs, stripControls, toLf } from './control-text.ts';

/**
 * The header line after SOH: source letters + message number, priority, category, word count,
 * then optional fields (dpa: selector codes, the provider and its own sequence number).
 */
const HEADER_LINE = /^([A-Za-z]*)(\d*)[ \t]+(\S)[ \t]+(\S{1,3})[ \t]+(\d{1,5})\b[ \t]*(.*)$/;

/** Longest heading block (in lines) read as a heading when it is not closed by ` =`. */
const MAX_OPEN_HEADING_LINES = 3;
const MAX_HEADLINE_CHARS = 200;

/**
 * Where the part for editors starts. dpa: `# Notebook` / `# dpa NOTEBOOK`, `* * * *`, "The
 * following information is not (intended) for publication"; also the usual English, French and
 * German labels.
 */
const NOTE_START = new RegExp(
  [
    String.raw`#+\s*(?:dpa\s+)?notebook\b`,
    String.raw`(?:\*\s*){3,}$`,
    String.raw`(?:the\s+following\s+(?:information\s+)?(?:is\s+)?)?not\s+(?:intended\s+)?for\s+publication\b`,
    String.raw`(?:editor'?s'?|editors)\s+notes?\b`,
    String.raw`notes?\s+to\s+editors\b`,
    String.raw`note\s+aux\s+r[ée]dactions\b`,
    String.raw`(?:les\s+informations\s+suivantes\s+)?ne\s+(?:pas\s+publier|sont\s+pas\s+destin[ée]es\s+à\s+(?:la\s+)?publication)`,
    String.raw`(?:die\s+folgenden\s+(?:informationen|angaben)\s+sind\s+)?nicht\s+zur\s+ver[öo]ffentlichung\b`,
    String.raw`anmerkung\s+(?:der|für\s+die)\s+redaktion\b`,
  ]
    .map((alternative) => `^(?:${alternative})`)
    .join('|'),
  'i',
);

/** A handling word in the heading (`EXTRA`, `REFILE`, `1ST LEAD`, `URGENT`…): capitals only, short. */
const HANDLING_LINE = /^(?=.*[A-Z])[A-Z0-9 .,()'/-]{2,30}$/;

/**
 * Cheap test of whether a document is IPTC 7901: it starts (after white space) with SOH and an
 * IPTC 7901 header line, or with SOH and holds an STX. ANPA 1312 (SYN SYN SOH, a unit separator
 * after the message number) is not claimed.
 */
export function looksLikeIptc7901(head: string): boolean {
  const text = head.replace(/^[\uFEFF\s\u0000]+/, '');
  if (!text.startsWith(SOH)) return false;
  const firstLine = text.slice(1).split(/\r|\n/, 1)[0] ?? '';
  if (/^[A-Za-z]\d{4}\u001F/.test(firstLine)) return false;
  return HEADER_LINE.test(firstLine) || text.includes(STX);
}

/**
 * Parses one IPTC 7901 message.
 *
 * Mapping: header priority digit → urgency; category → subjects `{code, scheme:
 * 'iptc7901-category'}`; the provider named in the optional header fields (dpa: `dpa`,
 * `dpa-tns`) → provider; keyword line(s) → slugline (trailing `/` dropped) and their `/`
 * parts → categories; heading handling words → version (`REFILE 1ST LEAD`); heading byline →
 * authors; the rest of the heading → title; the text → contentText (paragraphs at blank lines,
 * the dateline left in it); the editors' part → editorNote; the stamp after ETX → published,
 * as written (e.g. `131137 GMT Nov 13`). Control characters are dropped from every field.
 * A message without ETX is read to its end; one without STX is read from the line after its
 * header and keywords.
 *
 * @throws WireError `EMPTY_DOCUMENT` for an empty text or a message with no text;
 *   `PARSE_ERROR` when there is neither an SOH header nor an STX.
 */
export function parseIptc7901(text: string): RawDocument {
  const source = toLf(text);
  if (stripControls(source).trim() === '') throw new WireError('EMPTY_DOCUMENT', 'IPTC 7901 message is empty');

  const soh = source.indexOf(SOH);
  const stx = source.indexOf(STX, soh === -1 ? 0 : soh);
  if (soh === -1 && stx === -1) {
    throw new WireError('PARSE_ERROR', 'not an IPTC 7901 message: no SOH header and no STX start of text');
  }

  const item: RawItem = {};
  const headerEnd = stx === -1 ? source.length : stx;
  const headerLines = soh === -1 || soh > headerEnd ? [] : source.slice(soh + 1, headerEnd).split('\n');
  const bodyLinesWithoutStx = readHeader(headerLines, item, stx === -1);

  let textPart: string;
  let trailer = '';
  if (stx !== -1) {
    const etx = source.indexOf(ETX, stx + 1);
    textPart = source.slice(stx + 1, etx === -1 ? undefined : etx);
    if (etx !== -1) trailer = source.slice(etx + 1);
  } else {
    textPart = bodyLinesWithoutStx.join('\n');
    const etx = textPart.indexOf(ETX);
    if (etx !== -1) {
      trailer = textPart.slice(etx + 1);
      textPart = textPart.slice(0, etx);
    }
  }

  readText(stripControls(textPart).split('\n'), item, stx !== -1);
  const stamp = stripControls(trailer)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (stamp !== undefined) item.published = stamp;

  if (item.contentText === undefined && item.title === undefined) {
    throw new WireError('EMPTY_DOCUMENT', 'IPTC 7901 message has a header but no text');
  }
  return { format: 'iptc7901', items: [item] };
}

/**
 * Reads the header line and keyword lines into `item`. Without an STX the keyword lines are
 * only those ending in `/` (dpa's keyword path); the lines after them are returned as text.
 */
function readHeader(lines: string[], item: RawItem, noStx: boolean): string[] {
  const first = stripControls(lines[0] ?? '').trim();
  const m = HEADER_LINE.exec(first);
  if (m) {
    const priority = m[3] ?? '';
    if (/^\d$/.test(priority)) item.urgency = Number(priority);
    const category = m[4] ?? '';
    const subjects: RawSubject[] = [{ code: category, scheme: 'iptc7901-category' }];
    item.subjects = subjects;
    const provider = /(?:^|\s)([A-Za-z][\w.-]*)\s+\d+\s*$/.exec(m[6] ?? '');
    if (provider?.[1] !== undefined) item.provider = provider[1];
  }

  const rest = lines.slice(1);
  const keywords: string[] = [];
  let i = 0;
  for (; i < rest.length; i++) {
    const line = stripControls(rest[i] ?? '').trim();
    if (line === '') {
      if (noStx && keywords.length > 0) break;
      continue;
    }
    if (noStx && !line.endsWith('/')) break;
    keywords.push(line);
  }
  if (keywords.length > 0) {
    const slug = keywords.join(' ').replace(/\/+\s*$/, '').trim();
    if (slug !== '') item.slugline = slug;
    const parts = keywords.flatMap((k) => k.split('/')).map((p) => p.trim()).filter((p) => p !== '');
    if (parts.length > 0) item.categories = parts;
  }
  return noStx ? rest.slice(i) : [];
}

/** Reads heading, text and editors' part. `afterStx`: the text starts with the heading. */
function readText(lines: string[], item: RawItem, afterStx: boolean): void {
  const start = lines.findIndex((l) => l.trim() !== '');
  if (start === -1) return;
  let bodyStart = start;

  const heading = headingBlock(lines, start, afterStx);
  if (heading !== null) {
    const handling: string[] = [];
    const headline: string[] = [];
    const authors: string[] = [];
    heading.lines.forEach((line, index) => {
      if (isBylineLine(line)) authors.push(...bylineAuthors(line));
      else if (headline.length === 0 && index < heading.lines.length - 1 && HANDLING_LINE.test(line)) handling.push(line);
      else headline.push(line);
    });
    if (handling.length > 0) item.version = handling.join(' ');
    if (headline.length > 0) item.title = headline.join(' ');
    if (authors.length > 0) item.authors = authors;
    bodyStart = heading.end;
  }

  const paragraphs = groupParagraphs(lines.slice(bodyStart));
  const body: string[][] = [];
  const note: string[][] = [];
  let inNote = false;
  paragraphs.forEach((p, index) => {
    if (inNote) {
      note.push(p);
    } else if (NOTE_START.test(p[0] ?? '')) {
      note.push(p);
      // A note heading the text is a note on its own; lower down it opens the editors' part.
      inNote = !(index === 0 && paragraphs.length > 1);
    } else {
      body.push(p);
    }
  });
  const noteText = joinParagraphs(note);
  if (noteText !== '') item.editorNote = noteText;
  const bodyText = joinParagraphs(body);
  if (bodyText !== '') item.contentText = bodyText;
}

/**
 * The heading: the lines from the start of the text to the one closed by ` =` (dpa), or, when
 * no line is so closed, the first paragraph if it is short (at most three short lines) and more
 * text follows. Returns the heading lines (closing ` =` removed) and the index after them.
 */
function headingBlock(lines: string[], start: number, afterStx: boolean): { lines: string[]; end: number } | null {
  const collected: string[] = [];
  for (let i = start; i < lines.length && i < start + 8; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') break;
    if (/\s?=$/.test(line)) {
      collected.push(line.replace(/\s*=$/, '').trim());
      return { lines: collected.filter((l) => l !== ''), end: i + 1 };
    }
    collected.push(line);
  }
  if (!afterStx) return null;

  const block: string[] = [];
  let i = start;
  for (; i < lines.length && (lines[i] ?? '').trim() !== ''; i++) block.push((lines[i] ?? '').trim());
  const moreText = lines.slice(i).some((l) => l.trim() !== '');
  const short = block.length <= MAX_OPEN_HEADING_LINES && block.every((l) => l.length <= MAX_HEADLINE_CHARS);
  if (!moreText || !short || /[.:;,]$/.test(block[block.length - 1] ?? '')) return null;
  return { lines: block, end: i };
}
