/**
 * Character hygiene and escaping shared by every renderer.
 *
 * Everything the renderers write passes through {@link cleanText} first, so one rule decides what
 * a reader can ever receive: the characters XML 1.0 allows, minus the ones it discourages.
 */

/*
 * Kept: TAB, LF, CR, printable ASCII, U+00A0..U+D7FF, U+E000..U+FFFD (less the U+FDD0..U+FDEF
 * noncharacters) and the astral planes. Dropped: C0 controls (not XML at all), DEL and the C1
 * controls (XML-legal but discouraged, and in news copy only ever the residue of a cp1252
 * mis-decoding), lone surrogates (the `u` flag makes each one a match), and the noncharacters,
 * which the feed adapter relies on never meeting in data because it uses them as sentinels.
 */
const UNWANTED_CHARS =
  /[^\t\n\r\x20-\x7E\u00A0-\uD7FF\uE000-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes every character that must not (or should not) appear in an XML 1.0 document. */
export function cleanText(value: string): string {
  return value.replace(UNWANTED_CHARS, '');
}

/** Escapes text for an XML text node or a double-quoted attribute value. */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * Escapes text for a double-quoted XML attribute. Tab and line breaks become character references
 * because attribute-value normalization would otherwise turn them into spaces.
 */
export function escapeXmlAttribute(value: string): string {
  return escapeXml(value).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** Turns plain text into HTML that displays exactly that text. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * Plain text as HTML paragraphs: blank lines part paragraphs, a single line break is kept as
 * `<br>`, everything escaped. `separator` goes between paragraphs.
 */
export function textToHtml(text: string, separator = ''): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join(separator);
}
