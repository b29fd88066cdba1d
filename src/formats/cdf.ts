/**
 * CDF (Microsoft Channel Definition Format, W3C Note 1997-03-09; Internet Explorer 4's "active
 * channels") → RawDocument. A small reader: RSS's ancestor, still found in old archives.
 *
 *   <CHANNEL HREF="http://example.org/" BASE="http://example.org/" LASTMOD="2004-04-06T23:05:43-05:00">
 *     <TITLE>…</TITLE> <ABSTRACT>…</ABSTRACT>
 *     <ITEM HREF="/item/1" LASTMOD="…"><TITLE>…</TITLE><ABSTRACT>…</ABSTRACT></ITEM>
 *     <CHANNEL …> sub-channel with its own items </CHANNEL>
 *   </CHANNEL>
 *
 * Element and attribute names are case-insensitive (CDF came out of HTML habits). An item's
 * link is its HREF resolved against the BASE in scope (the channel's, a sub-channel's); its
 * date is LASTMOD, as written; its summary the ABSTRACT. Everything else (LOGO, SCHEDULE,
 * USAGE, PRECACHE) says how a 1997 browser should cache the channel, not what it says.
 */
import type { RawDocument, RawItem } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { baseInScope, resolveUrl } from './xml-base.ts';
import { attr, child, childElements, parseXml, put, text, type XmlElement } from './xml-tree.ts';

/** How deep sub-channels are followed (the 1997 browsers showed two or three levels). */
const MAX_DEPTH = 16;

/**
 * Whether a document's root element (local name and attributes, as written) is a CDF channel:
 * `<CHANNEL>` in any case but RSS's, or a `<channel HREF=…>`. A lowercase `<channel>` without
 * HREF is an RSS channel that lost its `<rss>` element (the RSS reader takes it).
 */
export function isCdfRoot(name: string, attributes = ''): boolean {
  if (name.toLowerCase() !== 'channel') return false;
  return name !== 'channel' || /\shref\s*=/i.test(` ${attributes}`);
}

/** Whether a root element is an RSS `<channel>` without its `<rss>` element (see {@link isCdfRoot}). */
export function isBareRssChannel(name: string, attributes = ''): boolean {
  return name === 'channel' && !isCdfRoot(name, attributes);
}

/**
 * Parses a CDF document.
 *
 * @throws WireError `PARSE_ERROR` when the XML is malformed, `NOT_A_FEED` when the root is not
 *   a `<CHANNEL>`, `EMPTY_DOCUMENT` for an empty text.
 */
export function parseCdf(xml: string): RawDocument {
  const root = parseXml(xml, 'CDF');
  // Chosen as CDF (detected, or the source's `format: cdf`): any case of CHANNEL is the root.
  if (root.name.toLowerCase() !== 'channel') throw new WireError('NOT_A_FEED', `not a feed: CDF document with root element <${root.name}>, not <CHANNEL>`);
  const base = baseInScope(attr(root, 'BASE'), attr(root, 'xml:base'));
  const doc: RawDocument = { format: 'cdf', items: [] };
  put(doc, 'title', text(child(root, 'TITLE')));
  const href = attr(root, 'HREF');
  put(doc, 'link', href === undefined ? undefined : resolveUrl(href, base));
  put(doc, 'language', attr(root, 'xml:lang') ?? attr(root, 'LANG'));
  readChannel(root, base, doc, 0);
  return doc;
}

function readChannel(channel: XmlElement, base: string | undefined, doc: RawDocument, depth: number): void {
  for (const el of childElements(channel, 'ITEM', 'CHANNEL')) {
    const scope = baseInScope(base, attr(el, 'BASE'), attr(el, 'xml:base'));
    if (el.name.toLowerCase() === 'channel') {
      if (depth < MAX_DEPTH) readChannel(el, scope, doc, depth + 1);
      continue;
    }
    const item: RawItem = {};
    const href = attr(el, 'HREF');
    put(item, 'url', href === undefined ? undefined : resolveUrl(href, scope));
    put(item, 'title', text(child(el, 'TITLE')));
    put(item, 'summary', text(child(el, 'ABSTRACT')));
    put(item, 'updated', attr(el, 'LASTMOD'));
    put(item, 'language', attr(el, 'xml:lang') ?? doc.language);
    doc.items.push(item);
  }
}
