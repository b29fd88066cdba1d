/**
 * Helpers shared by the wire parsers (IPTC 7901, ANPA 1312, ninjs): transmission control
 * characters, line handling and bylines. Pure string work.
 */

/** Start of heading: opens the message header. */
export const SOH = '\u0001';
/** Start of text. */
export const STX = '\u0002';
/** End of text: what follows is the post-text trailer (date/time stamp). */
export const ETX = '\u0003';
/** Synchronous idle: ANPA 1312 sends two before SOH. */
export const SYN = '\u0016';

/**
 * C0 controls other than TAB and LF, DEL and the C1 range. Wire copy carries transmission
 * characters (SOH, STX, ETX, EOT, SYN, DC1–DC4, BS, DLE…) that must never reach a reader; the
 * C1 range only ever comes from cp1252 bytes read as latin-1.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** LF line endings (CRLF and lone CR become LF) and a leading byte-order mark dropped. */
export function toLf(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** LF line endings and no control characters other than TAB and LF. */
export function stripControls(text: string): string {
  return toLf(text).replace(CONTROL_CHARS, '');
}

/** True when the line holds nothing but spaces, tabs and control characters. */
export function isBlank(line: string): boolean {
  return stripControls(line).trim() === '';
}

/**
 * Joins paragraphs (each a list of lines) into the RawItem text shape: lines of a paragraph
 * separated by LF, paragraphs by one blank line.
 */
export function joinParagraphs(paragraphs: ReadonlyArray<ReadonlyArray<string>>): string {
  return paragraphs
    .map((p) => p.join('\n'))
    .filter((p) => p.trim() !== '')
    .join('\n\n');
}

/** Groups lines into paragraphs at blank lines; lines are trimmed, empty groups dropped. */
export function groupParagraphs(lines: ReadonlyArray<string>): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') {
      if (current.length > 0) out.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** "By", "Von", "Par" label in front of a byline (English, German, French wire copy). */
const BYLINE_LABEL = /^(?:by|von|par|بقلم)[\s:]+/iu;
/** The words that join two names in a byline; commas are kept: they introduce an affiliation. */
const NAME_JOINER = /\s+(?:and|und|et|&|و)\s+/iu;

/** True when the line starts with a byline label ("By …", "Von …", "Par …"). */
export function isBylineLine(line: string): boolean {
  return BYLINE_LABEL.test(line.trim());
}

/**
 * Author names in a byline: the label is dropped and names joined by "and"/"und"/"et" are
 * split ("By PAUL BYRNE and ALMUDENA CALATRAVA" → two names). A comma stays inside the name:
 * in wire bylines it introduces an affiliation ("Tom Krasovic, The San Diego Union-Tribune").
 */
export function bylineAuthors(byline: string): string[] {
  const text = stripControls(byline).replace(/\s+/g, ' ').trim().replace(BYLINE_LABEL, '');
  return text
    .split(NAME_JOINER)
    .map((n) => n.trim())
    .filter((n) => n !== '');
}
