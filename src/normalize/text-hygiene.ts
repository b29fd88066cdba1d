/**
 * Character-level hygiene shared by every normalizer: one place decides which characters may
 * reach an ArticleRecord, so renderers can embed any field in XML without a second pass.
 */

/**
 * Characters XML 1.0 forbids (C0 controls other than TAB/LF/CR, U+FFFE/U+FFFF, lone
 * surrogates), plus DEL and the C1 controls: XML allows the latter, but in news copy they only
 * ever come from cp1252 bytes decoded as latin-1 and render as garbage.
 */
const UNWANTED_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Horizontal whitespace, including NBSP and the typographic spaces wire copy is full of. */
const HSPACE = '[ \\t\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]';
const HSPACE_RUN = new RegExp(`${HSPACE}{2,}|\\t`, 'g');
const ANY_SPACE_RUN = new RegExp(`(?:${HSPACE}|\\n)+`, 'g');
const BLANK_LINE = new RegExp(`^(?:${HSPACE}|[\\u200B-\\u200F\\u2060])*$`);

/**
 * The characters windows-1252 puts at 0x80–0x9F, by C1 code point ('' where it has none, and
 * for U+0085, which is read as NEL). A C1 control in news copy is a windows-1252 byte read as
 * latin-1 somewhere upstream (or an `&#146;`-style reference, which HTML also reads so): it is
 * the punctuation it stood for, not something to delete (feedparser calls this "demoronize").
 */
const CP1252_C1 = '\u20ac\u0000\u201a\u0192\u201e\u0000\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u0000\u017d\u0000\u0000\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u0000\u017e\u0178';

/**
 * Makes raw text safe and canonical: LF line endings (CRLF, CR, NEL, U+2028 → LF; U+2029 →
 * blank line), C1 controls read as the windows-1252 punctuation they stood for (U+0092 → ’),
 * Unicode NFC, and no XML-invalid or control characters (TAB and LF are kept).
 */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?|\u0085|\u2028/g, '\n')
    .replace(/\u2029/g, '\n\n')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]!)
    .replace(UNWANTED_CHARS, '')
    .normalize('NFC');
}

/**
 * Collapses runs of horizontal whitespace inside a line to one space and trims the line.
 * A single NBSP between words is kept on purpose: French copy uses it before `:` and `%`.
 */
export function collapseLine(line: string): string {
  return line.replace(HSPACE_RUN, ' ').trim();
}

/** Cleans a one-line field (headline, author, credit): all whitespace, newlines included, → one space. */
export function cleanInline(text: string): string {
  return cleanText(text).replace(ANY_SPACE_RUN, ' ').trim();
}

/** True for a line holding nothing a reader would see (spaces, NBSP, zero-width marks). */
export function isBlankLine(line: string): boolean {
  return BLANK_LINE.test(line);
}

/** Escapes text for an HTML (or XML) text node; quotes need no escaping there. */
export function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
