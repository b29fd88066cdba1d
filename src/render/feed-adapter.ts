/**
 * The one place that touches the `feed` library (v6), which writes RSS 2.0 and Atom 1.0 through
 * xml-js. Its defects, each pinned by a test in tests/unit/render-feed-adapter.test.ts, and how
 * this adapter works around them:
 *
 * 1. Characters XML forbids (U+0001, lone surrogates, …) pass straight through, so one stray
 *    control character makes the whole feed unparsable. → {@link text} and {@link cdata} clean
 *    every value first.
 * 2. CDATA sections escape only the first `]]>`; a second one ends the section early, and what
 *    follows is parsed as markup. → {@link cdata} marks every `]]>` with a sentinel, and the
 *    output gets the section split at each mark.
 * 3. Text nodes first turn `&amp;` back into `&` "to avoid double escaping", so the plain text
 *    `Q&amp;A` reaches readers as `Q&A`; attribute values get `"` escaped but neither `&` nor `<`,
 *    so a category label `a<b` is not XML. → {@link text} replaces `&`, `<`, `>` with sentinels
 *    that xml-js copies verbatim, and the output gets the right character references for them.
 * 4. Ids and links go through `new URL()`: a guid such as `12345` throws and takes the whole Atom
 *    render down with it; an Atom entry without a link gets an empty `<link/>`. → callers pass
 *    only valid URLs and IRIs, `link` may be left out, and empty entry links are removed.
 *
 * Sentinels are Unicode noncharacters (U+FDD0..U+FDD3), which `cleanText` strips from all data,
 * so a sentinel in the output can only be one this adapter placed.
 *
 * A feed is rendered in two parts that are joined later (point 8 of issue 10: an article's entry
 * is rendered once, not again on every publish of every feed it is in): {@link renderEntryWithFeed}
 * renders one item and cuts its element out, {@link renderWithFeed} renders the head with no item,
 * and {@link insertEntries} puts the stored elements in the head's place for them.
 */
import { Feed } from 'feed';
import type { FeedOptions, Item } from 'feed';

import { patchStartTags } from './xml-patch.ts';
import type { StartTag, TagPatch } from './xml-patch.ts';
import { cleanText } from './xml-text.ts';

export type { Extension as LibraryExtension, FeedOptions as LibraryFeedOptions } from 'feed';

/** A `feed` item whose link may be absent (wire copy often has no web page). */
export type LibraryItem = Omit<Item, 'link'> & { link?: string };

const AMP = '\uFDD0';
const LT = '\uFDD1';
const GT = '\uFDD2';
const CDATA_SPLIT = '\uFDD3';

/** Prepares plain text for a library text node or attribute value. */
export function text(value: string): string {
  return cleanText(value).replace(/&/g, AMP).replace(/</g, LT).replace(/>/g, GT);
}

/** Prepares a string for a library CDATA section. */
export function cdata(value: string): string {
  return cleanText(value).replace(/\]\]>/g, `]]${CDATA_SPLIT}>`);
}

/**
 * How `&`, `<` and `>` from plain text are written: `named` (`&amp;`) or `hex` (`&#x26;`), which
 * the RSS Best Practices Profile asks for so that readers cannot mistake them for markup.
 */
export type CharacterReferences = 'named' | 'hex';

export interface LibraryRender {
  format: 'rss' | 'atom';
  options: FeedOptions;
  items: readonly LibraryItem[];
  characterReferences: CharacterReferences;
  /** Further start-tag edits on the finished document. */
  patch?: (tag: StartTag) => TagPatch | undefined;
}

/** Renders through `feed` and returns a well-formed document with the defects above repaired. */
export function renderWithFeed(render: LibraryRender): string {
  const library = new Feed(render.options);
  // The library's own types demand a link, but its writers test for one; see defect 4.
  for (const item of render.items) library.addItem(item as Item);
  const raw = render.format === 'rss' ? library.rss2() : library.atom1();

  const refs: Readonly<Record<string, string>> =
    render.characterReferences === 'hex'
      ? { [AMP]: '&#x26;', [LT]: '&#x3C;', [GT]: '&#x3E;' }
      : { [AMP]: '&amp;', [LT]: '&lt;', [GT]: '&gt;' };
  const xml = raw
    .replace(/[\uFDD0-\uFDD2]/g, (sentinel) => refs[sentinel] ?? '')
    .replace(/\]\]\uFDD3>/g, ']]]]><![CDATA[>');

  const patch = render.patch;
  return patchStartTags(xml, (tag) => {
    if (render.format === 'atom' && tag.name === 'link' && !tag.attributes.has('href')) {
      return { remove: true };
    }
    return patch?.(tag);
  });
}

/** Where the library puts items and how it writes them, per format. */
const ENTRY_MARKUP = {
  rss: { open: '<item>', close: '</item>', parentClose: '</channel>' },
  atom: { open: '<entry', close: '</entry>', parentClose: '</feed>' },
} as const;

/**
 * Renders `render.items[0]` as the library writes it inside a feed, and returns that element alone,
 * with the line break and indentation that precede it, so that {@link insertEntries} can put it in
 * any head. The head of a document (every text escaped, no CDATA) holds no `<item>` or `<entry`, so
 * the first is the item's start; nothing but end tags follows the item's end.
 */
export function renderEntryWithFeed(render: LibraryRender): string {
  if (render.items.length !== 1) throw new RangeError(`renderEntryWithFeed renders one item, not ${render.items.length}`);
  const xml = renderWithFeed(render);
  const { open, close } = ENTRY_MARKUP[render.format];
  const start = xml.indexOf(open);
  const end = xml.lastIndexOf(close);
  if (start < 0 || end < start) throw new Error(`the library wrote no ${open}…${close} element`);
  const lineStart = xml.lastIndexOf('\n', start);
  return xml.slice(lineStart < 0 ? start : lineStart, end + close.length);
}

/**
 * Puts rendered entries (from {@link renderEntryWithFeed}, in order) at the end of `head`'s
 * channel or feed element, where the library writes its items: a head rendered without items
 * becomes the document the library would have written with them.
 */
export function insertEntries(head: string, format: 'rss' | 'atom', entries: readonly string[]): string {
  if (entries.length === 0) return head;
  const { parentClose } = ENTRY_MARKUP[format];
  const close = head.lastIndexOf(parentClose);
  if (close < 0) throw new Error(`no ${parentClose} in the ${format} head to put entries before`);
  const at = head.lastIndexOf('\n', close);
  const cut = at < 0 ? close : at;
  return head.slice(0, cut) + entries.join('') + head.slice(cut);
}
