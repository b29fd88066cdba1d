/**
 * The `plain-text` wire format: one story per file, paragraphs separated by blank lines.
 * The parser copies the text; datelines and trailers stay in it for src/normalize, which lifts
 * them out of every format's bodies alike.
 */
import type { RawDocument, RawItem } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { looksLikeDateline } from '../normalize/dateline.ts';
import { isBlankLine } from '../normalize/text-hygiene.ts';

/** Longest first line still read as a headline. */
const MAX_TITLE_CHARS = 160;
const MAX_TITLE_WORDS = 25;

/**
 * Parses plain-text wire copy into a document with one item. Line endings become LF and a
 * byte-order mark is dropped. A first line that is clearly a headline (short, followed by a
 * blank line and more text, not a dateline, not a "read also"/credit label, no final full stop
 * or colon) becomes the item's `title` and leaves `contentText`.
 *
 * @throws WireError `EMPTY_DOCUMENT` when the text holds nothing but whitespace.
 */
export function parsePlainText(text: string): RawDocument {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n');
  if (lines.every(isBlankLine)) {
    throw new WireError('EMPTY_DOCUMENT', 'plain-text document is empty');
  }

  const firstIndex = lines.findIndex((l) => !isBlankLine(l));
  const first = (lines[firstIndex] ?? '').trim();
  const next = lines[firstIndex + 1];
  const restHasText = lines.slice(firstIndex + 2).some((l) => !isBlankLine(l));
  const item: RawItem = {};
  if (next !== undefined && isBlankLine(next) && restHasText && isHeadline(first)) {
    item.title = first;
    item.contentText = lines
      .slice(firstIndex + 1)
      .join('\n')
      .replace(/^(?:[^\S\n]*\n)+/, '');
  } else {
    item.contentText = normalized;
  }
  return { format: 'plain-text', items: [item] };
}

function isHeadline(line: string): boolean {
  if (line.length > MAX_TITLE_CHARS || line.split(/\s+/).length > MAX_TITLE_WORDS) return false;
  // A full stop, colon or comma at the end is body copy or a label ("إقرأ أيضاً:"), not a headline.
  if (/[.:：,،;؛]$/u.test(line)) return false;
  return !looksLikeDateline(line);
}
