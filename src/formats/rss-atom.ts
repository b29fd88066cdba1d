/**
 * RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom → RawDocument: the one adapter around `rss-parser`.
 *
 * rss-parser (xml2js underneath) recognises the flavour and hands us each channel/feed and
 * item/entry; every field is read from the raw xml2js nodes (the feed's through `customFields`
 * with `keepArray`, each item's copied by our own item builders: rss-parser's item code never
 * runs), because its own mapped fields lose data. Its defects, each proven in
 * tests/unit/rss-parser-defects.test.ts, are worked around here:
 *
 * 1. A bare `&` or an entity unknown to sax (`AT&T`, `&NewLine;`, `&#0;`) rejects the whole
 *    feed, and so does any other well-formedness error (a stray close tag, a truncated end) →
 *    xml-repair.ts: entities and control characters are repaired before parsing; when the
 *    strict parse still fails, the markup is rebalanced and read again (only a document that
 *    then gives no item is rejected). What was repaired is listed in `RawDocument.repaired`.
 * 2. One unparseable Atom `<published>`/`<updated>` throws a RangeError that rejects the whole
 *    feed, and a valid one is rewritten to ISO in UTC (`isoDate`/`pubDate`, zone-less dates read
 *    in the server's local time) → rss-parser never sees Atom dates; we keep them as written.
 * 3. An Atom `<link>` without attributes crashes it (TypeError) → it is given only links that
 *    have attributes; we read all of them.
 * 4. Markup inside an element (Atom `type="xhtml"`, unescaped HTML in RSS `<description>`)
 *    loses its order or its child elements → re-read in document order with htmlparser2.
 * 5. Categories with attributes come out as objects; Atom categories are ignored.
 * 6. Only the first author / dc:creator is kept.
 * 7. The Atom link falls back to the first `<link>` (e.g. `rel="enclosure"`) when the
 *    alternate one has no `rel` (which RFC 4287 defines as alternate).
 * 8. `xml:lang` is ignored everywhere.
 * 9. RSS without a `version` attribute is rejected → `defaultRSS: 2`.
 * 10. An `<rss>` without `<channel>` crashes it → the root stands in for the channel.
 * 11. Elements are matched by prefix as written (`c:encoded`, `atom:feed`, `rss:channel` are
 *     missed or rejected) → known namespaces are renamed to the expected prefixes (xml2js
 *     `tagNameProcessors`).
 * 12. An empty Atom `<title type="text"/>` comes out as an object → text read from raw nodes.
 * 17. Every RSS `<description>`/`<content:encoded>` and Atom `<content>` goes through a regex
 *     quadratic in its number of `<` to make `contentSnippet` (one 625 kB description of `&lt;`:
 *     38 s, blocking the event loop) → items never go through rss-parser's item code.
 *
 * Hostile input stays linear: markup nested deeper than 256 levels is flattened to its text
 * before htmlparser2 reads it (quadratic in depth; dom-serializer overflowed the stack near
 * 3,000 levels and the feed was refused), and images are de-duplicated through a set.
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import Parser from 'rss-parser';
import type { ArticleImage, RelatedLink } from '../model/article-record.ts';
import type { RawDocument, RawItem } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { ATOM_DRAFT_NAMESPACES } from './detect-format.ts';
import { baseInScope, resolveMarkup, resolveUrl } from './xml-base.ts';
import { flattenDeepMarkup, prepareXml, rebalanceXml, REPAIRS, type RepairName } from './xml-repair.ts';

/** An xml2js node: text in `_`, attributes in `$`, children as arrays by element name. */
type XmlNode = Record<string, unknown>;
type XmlFormat = 'rss' | 'atom' | 'rdf';

/** Prefix of the keys under which the raw xml2js nodes are copied (never clashes with rss-parser's own). */
const RAW = 'wf:raw:';

const ITEM_ELEMENTS = [
  '$',
  'title',
  'dc:title',
  'link',
  'guid',
  'id',
  'description',
  'summary',
  'content',
  'content:encoded',
  'fullitem',
  'dc:description',
  'dcterms:issued',
  'dcterms:modified',
  'dc:author',
  'itunes:summary',
  'itunes:author',
  'itunes:category',
  'body',
  'xhtml:body',
  'author',
  'dc:creator',
  'category',
  'dc:subject',
  'pubDate',
  'dc:date',
  'published',
  'updated',
  'issued',
  'modified',
  'atom:updated',
  'dc:language',
  'enclosure',
  'media:content',
  'media:thumbnail',
  'media:group',
  'media:category',
  'media:credit',
  'media:description',
  'media:title',
];
const FEED_ELEMENTS = ['$', 'title', 'dc:title', 'link', 'language', 'dc:language', 'author'];

const IMAGE_URL = /\.(jpe?g|png|gif|webp|avif|bmp|svg)(?:[?#]|$)/i;

type Built = Record<string, unknown> & { items?: Record<string, unknown>[] };

interface ParserInternals {
  parseItemAtom(entry: XmlNode): Record<string, unknown>;
  parseItemRss(xmlItem: XmlNode, itemFields: unknown[]): Record<string, unknown>;
  buildAtomFeed(xmlObj: { feed: XmlNode }): Built;
  buildRSS2(xmlObj: { rss: XmlNode }): Built;
  buildRSS0_9(xmlObj: { rss: XmlNode }): Built;
  buildRSS1(xmlObj: { 'rdf:RDF': XmlNode }): Built;
  parseString(xml: string): Promise<Built>;
}
// rss-parser's typings cover only its public surface; the builders below are its (stable since
// 3.0) prototype methods, overridden to keep its defects away from our data.
const RssParserBase = Parser as unknown as new (options: object) => ParserInternals;

/** An item as the mappers read it: the raw xml2js nodes of the elements they use, under {@link RAW}. */
function rawItem(node: XmlNode): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const name of ITEM_ELEMENTS) if (node[name] !== undefined) item[RAW + name] = node[name];
  return item;
}

class TolerantParser extends RssParserBase {
  /** The root element's attributes (`<rss xml:lang>`), which rss-parser does not expose. */
  rootAttributes: Record<string, string> = {};
  isAtom = false;

  constructor(renameTag: (name: string) => string) {
    const raw = (names: string[]) => names.map((name) => [name, RAW + name, { keepArray: true }]);
    super({
      defaultRSS: 2,
      customFields: { feed: raw(FEED_ELEMENTS) },
      xml2js: { tagNameProcessors: [renameTag] },
    });
  }

  // Items never go through rss-parser's own item code: everything is read from the raw nodes,
  // and its per-item steps are where its defects are (defects 2, 3 and 17: dates rewritten or
  // throwing, attribute-less links crashing, a quadratic `contentSnippet` regex).
  override parseItemAtom(entry: XmlNode): Record<string, unknown> {
    return rawItem(entry);
  }

  override parseItemRss(xmlItem: XmlNode): Record<string, unknown> {
    return rawItem(xmlItem);
  }

  override buildAtomFeed(xmlObj: { feed: XmlNode }): Built {
    this.isAtom = true;
    this.rootAttributes = attributes(xmlObj.feed);
    const feed = super.buildAtomFeed({ ...xmlObj, feed: { ...xmlObj.feed, link: linksWithAttributes(xmlObj.feed.link) } });
    feed[RAW + 'link'] = xmlObj.feed.link;
    return feed;
  }

  // Without a <channel>, rss-parser crashes (TypeError). RSS 0.9x-style documents with items
  // straight under <rss> exist, so the root then stands in for the channel.
  override buildRSS2(xmlObj: { rss: XmlNode }): Built {
    this.rootAttributes = attributes(xmlObj.rss);
    return super.buildRSS2({ rss: withChannel(xmlObj.rss) });
  }

  override buildRSS0_9(xmlObj: { rss: XmlNode }): Built {
    this.rootAttributes = attributes(xmlObj.rss);
    return super.buildRSS0_9({ rss: withChannel(xmlObj.rss) });
  }

  override buildRSS1(xmlObj: { 'rdf:RDF': XmlNode }): Built {
    const root = isNode(xmlObj['rdf:RDF']) ? xmlObj['rdf:RDF'] : {};
    this.rootAttributes = attributes(root);
    return super.buildRSS1({ 'rdf:RDF': Array.isArray(root.channel) && isNode(root.channel[0]) ? root : { ...root, channel: [{}] } });
  }
}

/**
 * Parses an RSS (0.9x, 2.0), RSS 1.0 (RDF) or Atom (1.0, 0.3) document, given as a decoded string.
 *
 * Values are copied as written: dates stay strings, HTML stays HTML (Atom `type="xhtml"`
 * content is serialised back to markup, without its wrapping `div`), relative links stay
 * relative (normalization resolves them against {@link RawDocument.link}). An item's language
 * is its `xml:lang` / `dc:language`, else its content's `xml:lang`, else the document's; an
 * Atom entry without authors inherits the feed's.
 *
 * @param xml the decoded document
 * @param format as detected by detectFormat; the document's own root wins for the mapping
 * @throws WireError `PARSE_ERROR` with the parser's message when the XML is malformed or not a
 *   feed rss-parser can read.
 */
export async function parseFeedXml(xml: string, format: XmlFormat): Promise<RawDocument> {
  const prepared = prepareXml(xml);
  const repairs = new Set<RepairName>(prepared.repairs);
  let text = prepared.xml;
  let renameTag = prefixNormalizer(text, format === 'atom');
  let parser = new TolerantParser(renameTag);
  let built: Built;
  let strictError: { message: string; err: unknown } | undefined;
  let wholeChannel = false;
  try {
    built = await parser.parseString(text);
  } catch (err) {
    // Strict parse failed: the lenient stage rebalances the markup and the document is read
    // again; it is accepted only when it gives at least one item.
    const message = err instanceof Error ? err.message.replace(/\s*\n\s*/g, ' ') : String(err);
    const lenient = rebalanceXml(text, format === 'atom');
    renameTag = prefixNormalizer(lenient.xml, format === 'atom');
    parser = new TolerantParser(renameTag);
    try {
      built = await parser.parseString(lenient.xml);
    } catch {
      throw new WireError('PARSE_ERROR', `malformed ${format} document: ${message}`, { cause: err });
    }
    strictError = { message, err };
    wholeChannel = lenient.wholeChannel === true;
    text = lenient.xml;
    for (const name of lenient.repairs.length > 0 ? lenient.repairs : [REPAIRS.malformedMarkup]) repairs.add(name);
  }
  if (!parser.isAtom && format === 'rss' && parser.rootAttributes.version === undefined) repairs.add(REPAIRS.versionlessRss);
  // Atom 0.3 (mode="xml") content is the XML as written; only Atom 1.0 wraps xhtml in a div.
  // The pre-0.3 drafts (Echo, Pie, Necho namespaces) are read as 0.3.
  const rootNs = parser.rootAttributes.xmlns;
  const atom03 =
    parser.isAtom && (parser.rootAttributes.version === '0.3' || rootNs === 'http://purl.org/atom/ns#' || ATOM_DRAFT_NAMESPACES.includes(rootNs ?? ''));
  const ordered = new OrderedMarkup(text, parser.isAtom, renameTag, parser.isAtom && !atom03);
  const doc = parser.isAtom
    ? mapAtom(built, parser.rootAttributes, ordered, !atom03)
    : mapRss(built, parser.rootAttributes, format === 'rdf' ? 'rdf' : 'rss', ordered);
  // A repaired document must give an item, unless it was whole but for its root's end tag.
  if (strictError !== undefined && !wholeChannel && !doc.items.some(hasValue)) {
    throw new WireError('PARSE_ERROR', `malformed ${format} document: ${strictError.message} (no item could be recovered)`, { cause: strictError.err });
  }
  if (ordered.flattened) repairs.add(REPAIRS.deepMarkup);
  if (repairs.size > 0) doc.repaired = [...repairs];
  return doc;
}

/** An item worth keeping from a repaired document: it says something or points somewhere. */
function hasValue(item: RawItem): boolean {
  return [item.title, item.url, item.guid, item.summary, item.contentHtml, item.contentText].some((v) => v !== undefined && v.trim() !== '');
}

// ---------------------------------------------------------------------------------------------
// RSS 0.9x / 1.0 / 2.0

function mapRss(built: Built, rootAttrs: Record<string, string>, format: 'rss' | 'rdf', ordered: OrderedMarkup): RawDocument {
  const feedAttrs = raw(built, '$')[0] as Record<string, string> | undefined;
  const language =
    firstText(raw(built, 'language')) ?? firstText(raw(built, 'dc:language')) ?? feedAttrs?.['xml:lang'] ?? rootAttrs['xml:lang'];
  const doc: RawDocument = { format, items: [] };
  // xml:base on the root and the channel (RSS has no base of its own, but feeds declare one).
  const channelBase = baseInScope(rootAttrs['xml:base'], feedAttrs?.['xml:base']);
  const within = (base: string | undefined, node: unknown) => baseInScope(base, attributes(node)['xml:base']);
  assign(doc, 'title', firstText(raw(built, 'title')) ?? firstText(raw(built, 'dc:title')));
  const feedLink = firstText(raw(built, 'link')) ?? firstHref(raw(built, 'link'));
  assign(doc, 'link', feedLink === undefined ? undefined : resolveUrl(feedLink, within(channelBase, raw(built, 'link')[0])));
  assign(doc, 'language', language);

  (built.items ?? []).forEach((node, index) => {
    const item: RawItem = {};
    const attrs = (raw(node, '$')[0] as Record<string, string> | undefined) ?? {};
    const itemBase = baseInScope(channelBase, attrs['xml:base']);
    /** An HTML value with its links resolved against the xml:base in scope at its element. */
    const html = (element: string, value: string | undefined) => (value === undefined ? undefined : resolveMarkup(value, within(itemBase, raw(node, element)[0])));
    const guidNode = raw(node, 'guid')[0];
    const guid = textOf(guidNode) || attrs['rdf:about'];
    assign(item, 'guid', nonEmpty(guid));

    let url = firstText(raw(node, 'link')) ?? firstHref(raw(node, 'link'));
    // RSS 2.0: a guid is the item's permalink unless isPermaLink="false".
    if (url === undefined && guid && attributes(guidNode).isPermaLink !== 'false' && /^https?:\/\//i.test(guid.trim())) {
      url = guid.trim();
    }
    assign(item, 'url', url === undefined ? undefined : resolveUrl(url, within(itemBase, raw(node, 'link')[0] ?? guidNode)));
    assign(item, 'title', markupOrText(raw(node, 'title')[0], () => ordered.inner(index, 'title')) ?? firstText(raw(node, 'dc:title')));
    // RSS defines no <summary>, but feeds send one, instead of <description> or beside it: then
    // the first of the two in document order is the summary and the other the body.
    const description = html('description', nonEmpty(markupOrText(raw(node, 'description')[0], () => ordered.inner(index, 'description'))));
    const rssSummary = html('summary', nonEmpty(markupOrText(raw(node, 'summary')[0], () => ordered.inner(index, 'summary'))));
    let lead = description ?? rssSummary;
    let second: string | undefined;
    if (description !== undefined && rssSummary !== undefined) {
      [lead, second] = ordered.precedes(index, 'summary', 'description') ? [rssSummary, description] : [description, rssSummary];
    }
    assign(item, 'summary', lead ?? firstText(raw(node, 'dc:description')) ?? firstText(raw(node, 'itunes:summary')));
    const xhtmlBody = raw(node, 'body')[0] !== undefined ? 'body' : raw(node, 'xhtml:body')[0] !== undefined ? 'xhtml:body' : undefined;
    assign(
      item,
      'contentHtml',
      html('content:encoded', markupOrText(raw(node, 'content:encoded')[0], () => ordered.inner(index, 'content:encoded'))) ??
        (xhtmlBody === undefined ? undefined : html(xhtmlBody, ordered.inner(index, xhtmlBody)?.trim())) ??
        second ??
        // <fullitem>: the whole story, from Radio UserLand-era feeds.
        html('fullitem', markupOrText(raw(node, 'fullitem')[0], () => ordered.inner(index, 'fullitem'))),
    );
    assign(item, 'published', firstText(raw(node, 'pubDate')) ?? firstText(raw(node, 'dc:date')) ?? firstText(raw(node, 'dcterms:issued')));
    assign(item, 'updated', firstText(raw(node, 'atom:updated')) ?? firstText(raw(node, 'dcterms:modified')));
    const authors = [...allText(raw(node, 'author')), ...allText(raw(node, 'dc:creator')), ...allText(raw(node, 'dc:author'))];
    assignList(item, 'authors', authors.length > 0 ? authors : allText(raw(node, 'itunes:author')));
    assignList(item, 'categories', [
      ...allText(raw(node, 'category')),
      ...allText(raw(node, 'dc:subject')),
      ...raw(node, 'itunes:category').flatMap(itunesCategories),
      ...mediaCategories(node),
    ]);
    assign(item, 'language', attrs['xml:lang'] ?? firstText(raw(node, 'dc:language')) ?? language);
    assignList(item, 'images', itemBase === undefined ? rssImages(node) : rssImages(node).map((image) => (image.url === null ? image : { ...image, url: resolveUrl(image.url, itemBase) })));
    doc.items.push(item);
  });
  return doc;
}

/** `<itunes:category text="Technology"><itunes:category text="Gadgets"/></itunes:category>`: both names. */
function itunesCategories(node: unknown): string[] {
  const name = attributes(node).text;
  const nested = isNode(node) ? children(node, 'itunes:category').flatMap(itunesCategories) : [];
  return name === undefined ? nested : [name, ...nested];
}

/** Media RSS `<media:category>`, on the item or in its `<media:group>`: the story's topics, as written. */
function mediaCategories(node: XmlNode): string[] {
  return [...allText(raw(node, 'media:category')), ...raw(node, 'media:group').filter(isNode).flatMap((g) => allText(children(g, 'media:category')))];
}

function rssImages(node: XmlNode): ArticleImage[] {
  const images = new ImageList();
  const itemCaption = firstText(raw(node, 'media:description')) ?? firstText(raw(node, 'media:title'));
  const itemCredit = firstText(raw(node, 'media:credit'));
  const groups = raw(node, 'media:group').filter(isNode);
  for (const media of [...raw(node, 'media:content'), ...groups.flatMap((g) => children(g, 'media:content'))]) {
    const a = attributes(media);
    const isImage = a.medium ? a.medium === 'image' : a.type ? /^image\//i.test(a.type) : IMAGE_URL.test(a.url ?? '');
    if (!isImage || !a.url) continue;
    const m = isNode(media) ? media : {};
    images.add(a.url, firstText(children(m, 'media:description')) ?? firstText(children(m, 'media:title')) ?? itemCaption, firstText(children(m, 'media:credit')) ?? itemCredit);
  }
  // A thumbnail is a smaller copy of the story's picture: only worth it when there is no picture.
  if (images.size === 0) {
    const thumbs = [...raw(node, 'media:thumbnail'), ...groups.flatMap((g) => children(g, 'media:thumbnail'))];
    const url = attributes(thumbs[0]).url;
    if (url) images.add(url, itemCaption, itemCredit);
  }
  for (const enclosure of raw(node, 'enclosure')) {
    const a = attributes(enclosure);
    if (a.url && (a.type ? /^image\//i.test(a.type) : IMAGE_URL.test(a.url))) images.add(a.url, itemCaption, itemCredit);
  }
  return images.list;
}

// ---------------------------------------------------------------------------------------------
// Atom 1.0 / 0.3

function mapAtom(built: Built, feedAttrs: Record<string, string>, ordered: OrderedMarkup, atom10: boolean): RawDocument {
  const language = feedAttrs['xml:lang'];
  const doc: RawDocument = { format: 'atom', items: [] };
  // xml:base (RFC 4287 §2): links, ids and the HTML of text constructs resolve against the base
  // in scope at their element.
  const feedBase = baseInScope(feedAttrs['xml:base']);
  // xhtml: the base of the div that wraps the value (not part of it) applies too.
  const markup = (node: unknown, value: string | undefined, base: string | undefined, wrapper?: () => string | undefined) =>
    value === undefined || isPlainAtomText(node)
      ? value
      : resolveMarkup(value, baseInScope(base, attributes(node)['xml:base'], hasChildElements(node) ? wrapper?.() : undefined));
  const feedTitle = raw(built, 'title')[0];
  assign(doc, 'title', markup(feedTitle, atomText(feedTitle, () => ordered.feedInner('title'), atom10), feedBase, () => ordered.wrapperBase(undefined, 'title')));
  assign(doc, 'link', alternateLink(linksAgainst(raw(built, 'link'), feedBase)));
  assign(doc, 'language', language);
  const feedAuthors = atomAuthors(raw(built, 'author'));

  (built.items ?? []).forEach((node, index) => {
    const item: RawItem = {};
    const attrs = (raw(node, '$')[0] as Record<string, string> | undefined) ?? {};
    const entryBase = baseInScope(feedBase, attrs['xml:base']);
    const links = linksAgainst(raw(node, 'link'), entryBase);
    const idNode = raw(node, 'id')[0];
    const id = nonEmpty(firstText(raw(node, 'id')));
    assign(item, 'guid', id === undefined ? undefined : resolveUrl(id, baseInScope(entryBase, attributes(idNode)['xml:base'])));
    assign(item, 'url', alternateLink(links));
    const title = raw(node, 'title')[0];
    const summary = raw(node, 'summary')[0];
    assign(item, 'title', markup(title, atomText(title, () => ordered.inner(index, 'title'), atom10), entryBase, () => ordered.wrapperBase(index, 'title')));
    assign(item, 'summary', markup(summary, atomText(summary, () => ordered.inner(index, 'summary'), atom10), entryBase, () => ordered.wrapperBase(index, 'summary')));

    const content = raw(node, 'content')[0];
    const kind = atomContentKind(content, atom10);
    if (kind === 'text') assign(item, 'contentText', atomText(content, () => undefined, atom10));
    // Bytes of another MIME type, base64-encoded: kept when they are text (read as HTML, as
    // feedparser does: the sanitizer has the last word), else left out.
    else if (kind === 'base64') assign(item, 'contentHtml', markup(content, atomText(content, () => undefined, atom10), entryBase));
    else if (kind !== null) {
      assign(item, 'contentHtml', markup(content, atomText(content, () => ordered.inner(index, 'content'), atom10), entryBase, () => ordered.wrapperBase(index, 'content')));
    }

    assign(item, 'published', firstText(raw(node, 'published')) ?? firstText(raw(node, 'issued')));
    assign(item, 'updated', firstText(raw(node, 'updated')) ?? firstText(raw(node, 'modified')));
    const authors = atomAuthors(raw(node, 'author'));
    assignList(item, 'authors', authors.length > 0 ? authors : [...feedAuthors]);
    assignList(
      item,
      'categories',
      [...raw(node, 'category').map((c) => attributes(c).term ?? textOf(c)), ...mediaCategories(node)],
    );
    assign(item, 'language', attrs['xml:lang'] ?? firstText(raw(node, 'dc:language')) ?? attributes(content)['xml:lang'] ?? language);

    const images = new ImageList();
    const related: RelatedLink[] = [];
    for (const link of links) {
      const a = attributes(link);
      if (!a.href) continue;
      if (a.rel === 'enclosure' && (a.type ? /^image\//i.test(a.type) : IMAGE_URL.test(a.href))) images.add(a.href, a.title, undefined);
      if (a.rel === 'related') related.push({ title: a.title ?? a.href, url: a.href });
    }
    for (const media of raw(node, 'media:content')) {
      const a = attributes(media);
      if (a.url && (a.medium === 'image' || /^image\//i.test(a.type ?? '') || IMAGE_URL.test(a.url))) {
        images.add(resolveUrl(a.url, entryBase), firstText(children(isNode(media) ? media : {}, 'media:description')), firstText(children(isNode(media) ? media : {}, 'media:credit')));
      }
    }
    if (images.size === 0) {
      const url = attributes(raw(node, 'media:thumbnail')[0]).url;
      if (url) images.add(resolveUrl(url, entryBase), undefined, undefined);
    }
    assignList(item, 'images', images.list);
    assignList(item, 'related', related);
    doc.items.push(item);
  });
  return doc;
}

/**
 * RFC 4287 §4.1.3: how an Atom content element carries its value (null: out-of-line, or inline
 * XML of another type; base64: any other MIME type, whose value is base64, §4.1.3.3).
 */
function atomContentKind(content: unknown, atom10: boolean): 'text' | 'html' | 'xhtml' | 'base64' | null {
  if (content === undefined) return null;
  const a = attributes(content);
  if (a.src) return null;
  const type = (a.type ?? 'text').toLowerCase();
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  if (type === 'html' || type === 'text/html') return 'html';
  if (type === 'text' || type === 'text/plain') return hasChildElements(content) ? 'xhtml' : 'text';
  if (atom10 && isBase64Type(a)) return 'base64';
  return null;
}

/**
 * RFC 4287 §4.1.3.3: a value whose `type` is a MIME type that is neither XML (`+xml`, `/xml`) nor
 * text (`text/…`) is base64-encoded. Feeds send it on titles and summaries too. Atom 0.3 says so
 * with `mode="base64"` instead (its default mode is xml), so only Atom 1.0 asks this.
 */
function isBase64Type(a: Record<string, string>): boolean {
  const type = (a.type ?? '').trim().toLowerCase();
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(type)) return false;
  return !type.startsWith('text/') && !/(\+|\/)xml$/.test(type);
}

/** The text a base64 value encodes; undefined when it is not base64, not UTF-8, or not text. */
function decodeBase64Text(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    return undefined;
  }
  // Text is what a reader can read: no control characters but tab, line feed and carriage return.
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(decoded) ? undefined : decoded;
}

/** An Atom text construct: escaped text/html as written, xhtml re-read as markup in order, base64 decoded. */
function atomText(node: unknown, orderedInner: () => string | undefined, atom10: boolean): string | undefined {
  if (node === undefined) return undefined;
  if (hasChildElements(node)) return orderedInner();
  const a = attributes(node);
  // Atom 0.3 §3.1.2: mode="base64" carries the value base64-encoded (escaped and xml are as read);
  // Atom 1.0 §4.1.3.3: so does a MIME type that is neither text nor XML.
  if (atom10 ? isBase64Type(a) : a.mode?.toLowerCase() === 'base64') return decodeBase64Text(textOf(node));
  return textOf(node);
}

/** An Atom text construct of type text: plain text, no markup to resolve. */
function isPlainAtomText(node: unknown): boolean {
  const type = (attributes(node).type ?? 'text').toLowerCase();
  return (type === 'text' || type === 'text/plain') && !hasChildElements(node);
}

/** Atom links with their `href` resolved against the base in scope (each link's own xml:base too). */
function linksAgainst(links: unknown[], base: string | undefined): unknown[] {
  return links.map((link) => {
    const a = attributes(link);
    if (!a.href || !isNode(link)) return link;
    const href = resolveUrl(a.href, baseInScope(base, a['xml:base']));
    return href === a.href ? link : { ...link, $: { ...a, href } };
  });
}

function alternateLink(links: unknown[]): string | undefined {
  let otherType: string | undefined;
  let bareText: string | undefined;
  for (const link of links) {
    const a = attributes(link);
    if (!a.href) {
      // RSS habits in Atom: <link>http://…</link>. Used only when no real link exists.
      bareText ??= nonEmpty(textOf(link));
      continue;
    }
    if (a.rel === undefined || a.rel === 'alternate') {
      if (!a.type || /html/i.test(a.type)) return a.href;
      otherType ??= a.href;
    }
  }
  return otherType ?? bareText;
}

function atomAuthors(authors: unknown[]): string[] {
  return authors
    .map((a) => (isNode(a) ? (firstText(children(a, 'name')) ?? firstText(children(a, 'email'))) : nonEmpty(textOf(a))))
    .filter((name): name is string => name !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Markup in document order (rss-parser/xml2js groups children by name and loses their order)

class OrderedMarkup {
  private items: Map<string, DomElement>[] | undefined;
  private feed: Map<string, DomElement> | undefined;
  /** Whether some markup nested deeper than {@link MAX_DEPTH} was flattened to its text. */
  flattened = false;

  constructor(
    private readonly xml: string,
    private readonly atom: boolean,
    private readonly renameTag: (name: string) => string,
    /** Atom 1.0: the single xhtml div wraps the value and is not part of it. */
    private readonly unwrapDiv: boolean,
  ) {}

  inner(index: number, element: string): string | undefined {
    this.load();
    return this.serialize(this.items?.[index]?.get(element));
  }

  /** Whether item `index`'s first `a` element comes before its first `b` element. */
  precedes(index: number, a: string, b: string): boolean {
    this.load();
    const first = this.items?.[index]?.get(a);
    const other = this.items?.[index]?.get(b);
    if (first === undefined || other === undefined) return first !== undefined;
    const siblings = first.parent?.children ?? [];
    return siblings.indexOf(first) < siblings.indexOf(other);
  }

  feedInner(element: string): string | undefined {
    this.load();
    return this.serialize(this.feed?.get(element));
  }

  private load(): void {
    if (this.items !== undefined) return;
    const bounded = flattenDeepMarkup(this.xml, MAX_DEPTH);
    this.flattened = bounded.flattened;
    const doc = parseDocument(bounded.xml, { xmlMode: true });
    // Same element names as rss-parser saw them (an explicit stack: domutils' findAll shifts its
    // stacks, quadratic in depth).
    renameAll(doc.children, this.renameTag);
    const root = doc.children.find(isElement);
    const firstByName = (el: DomElement) => {
      const map = new Map<string, DomElement>();
      for (const child of el.children.filter(isElement)) if (!map.has(child.name)) map.set(child.name, child);
      return map;
    };
    let container = root;
    let itemName = 'entry';
    if (!this.atom) {
      itemName = 'item';
      // RSS 2.0 items live in <channel>, RSS 1.0 items beside it; rss-parser reads the same ones.
      if (root?.name === 'rss') container = root.children.filter(isElement).find((c) => c.name === 'channel') ?? root;
    }
    this.feed = container ? firstByName(container) : new Map();
    this.items = (container?.children ?? []).filter(isElement).filter((c) => c.name === itemName).map(firstByName);
  }

  /**
   * The xml:base of the Atom 1.0 xhtml div that wraps an element's value (item `index`, or the
   * feed's when undefined): the div is not part of the value, but its base still applies to it.
   */
  wrapperBase(index: number | undefined, element: string): string | undefined {
    this.load();
    const node = index === undefined ? this.feed?.get(element) : this.items?.[index]?.get(element);
    return node === undefined ? undefined : this.wrapperDiv(node)?.attribs['xml:base'];
  }

  /** Atom xhtml: the single wrapping div, which is not part of the content (RFC 4287 §4.1.3.3). */
  private wrapperDiv(node: DomElement): DomElement | undefined {
    if (!this.unwrapDiv) return undefined;
    const kids = node.children.filter((c) => isElement(c) || (c.type === 'text' && c.data.trim() !== ''));
    const only = kids[0];
    return kids.length === 1 && only !== undefined && isElement(only) && /(^|:)div$/.test(only.name) ? only : undefined;
  }

  private serialize(node: DomElement | undefined): string | undefined {
    if (node === undefined) return undefined;
    let el = node;
    const only = this.wrapperDiv(node);
    if (only !== undefined) {
      el = only;
      const prefix = only.name.includes(':') ? only.name.slice(0, only.name.indexOf(':') + 1) : '';
      if (prefix) {
        for (const d of DomUtils.findAll((e) => e.name.startsWith(prefix), el.children)) d.name = d.name.slice(prefix.length);
      }
    }
    // The XHTML namespace is what HTML elements are in anyway: its declaration says nothing.
    for (const d of DomUtils.findAll((e) => e.attribs.xmlns === 'http://www.w3.org/1999/xhtml', el.children)) delete d.attribs.xmlns;
    return DomUtils.getInnerHTML(el, { xmlMode: false, encodeEntities: 'utf8' });
  }
}

type DomNode = ReturnType<typeof parseDocument>['children'][number];
type DomElement = Extract<DomNode, { attribs: unknown }>;

function isElement(node: DomNode): node is DomElement {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/**
 * How deep markup is kept, from the document's root: deeper elements keep only their text (the
 * sanitizer keeps 64 levels anyway). See {@link flattenDeepMarkup} for why there is a bound.
 */
const MAX_DEPTH = 256;

function renameAll(nodes: DomNode[], renameTag: (name: string) => string): void {
  const stack = [...nodes];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (isElement(node)) node.name = renameTag(node.name);
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
}

function withChannel(rss: unknown): XmlNode {
  const root = isNode(rss) ? rss : {};
  return Array.isArray(root.channel) && isNode(root.channel[0]) ? root : { ...root, channel: [root] };
}

// ---------------------------------------------------------------------------------------------
// Namespace prefixes (rss-parser matches element names as written: `content:encoded`, `channel`)

/** The prefix rss-parser expects for a namespace ('' = unprefixed). */
const CANONICAL_PREFIX: Record<string, string> = {
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss': '',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
};

/**
 * Renames prefixed elements of known namespaces to the prefix rss-parser looks for, so that
 * `<rss:channel>`, `<atom:feed>`/`<atom:entry>` or `<c:encoded xmlns:c="…content/">` are read.
 * Bindings are read from the whole document (scoping is ignored; a prefix bound to two different
 * namespaces is left alone).
 */
function prefixNormalizer(xml: string, atomRoot: boolean): (name: string) => string {
  const atomPrefix = atomRoot ? '' : 'atom';
  const canonical: Record<string, string> = { ...CANONICAL_PREFIX, 'http://www.w3.org/2005/Atom': atomPrefix, 'http://purl.org/atom/ns#': atomPrefix };
  for (const ns of ATOM_DRAFT_NAMESPACES) canonical[ns] = atomPrefix;
  const bound = new Map<string, string | null>();
  for (const m of xml.matchAll(/\sxmlns:([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const prefix = m[1] as string;
    const uri = (m[2] ?? m[3] ?? '').trim();
    const target = Object.hasOwn(canonical, uri) ? (canonical[uri] as string) : prefix;
    const previous = bound.get(prefix);
    bound.set(prefix, previous === undefined || previous === target ? target : null);
  }
  const renames = new Map<string, string>();
  for (const [prefix, target] of bound) if (target !== null && target !== prefix) renames.set(prefix, target);
  if (renames.size === 0) return (name) => name;
  return (name) => {
    const colon = name.indexOf(':');
    if (colon === -1) return name;
    const target = renames.get(name.slice(0, colon));
    if (target === undefined) return name;
    return target === '' ? name.slice(colon + 1) : `${target}${name.slice(colon)}`;
  };
}

// ---------------------------------------------------------------------------------------------
// xml2js node helpers

class ImageList {
  readonly list: ArticleImage[] = [];
  private readonly seen = new Set<string>();
  get size(): number {
    return this.list.length;
  }
  add(url: string, caption: string | undefined, credit: string | undefined): void {
    const trimmed = url.trim();
    if (trimmed === '' || this.seen.has(trimmed)) return;
    this.seen.add(trimmed);
    this.list.push({ url: trimmed, caption: nonEmpty(caption) ?? null, credit: nonEmpty(credit) ?? null });
  }
}

function raw(node: XmlNode, element: string): unknown[] {
  const value = node[RAW + element];
  if (element === '$') return value === undefined ? [] : [value];
  return Array.isArray(value) ? value : [];
}

function children(node: XmlNode, element: string): unknown[] {
  const value = node[element];
  return Array.isArray(value) ? value : [];
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function attributes(value: unknown): Record<string, string> {
  return isNode(value) && isNode(value.$) ? (value.$ as Record<string, string>) : {};
}

function hasChildElements(value: unknown): boolean {
  return isNode(value) && Object.keys(value).some((k) => k !== '_' && k !== '$');
}

/** The element's own text (xml2js puts it in `_` when the element also has attributes). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isNode(value) && typeof value._ === 'string') return value._;
  return '';
}

/** Text, or the element's markup in document order when it has child elements. */
function markupOrText(value: unknown, orderedInner: () => string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return hasChildElements(value) ? orderedInner() : textOf(value);
}

function firstText(values: unknown[]): string | undefined {
  for (const v of values) {
    const text = textOf(v);
    if (text.trim() !== '') return text;
  }
  return undefined;
}

function firstHref(values: unknown[]): string | undefined {
  for (const v of values) {
    const href = attributes(v).href;
    if (href) return href;
  }
  return undefined;
}

function allText(values: unknown[]): string[] {
  return values.map(textOf).filter((t) => t.trim() !== '');
}

function linksWithAttributes(links: unknown): unknown[] | undefined {
  if (!Array.isArray(links)) return undefined;
  const kept = links.filter((l) => isNode(l) && isNode(l.$));
  return kept.length > 0 ? kept : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Sets a field unless the document left it out or empty. */
function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return;
  target[key] = value;
}

function assignList<T extends object, K extends keyof T>(target: T, key: K, values: (T[K] extends (infer E)[] | undefined ? E : never)[]): void {
  const seen = new Set<string>();
  const unique = values.filter((v) => {
    if (typeof v === 'string' && v.trim() === '') return false;
    const k = typeof v === 'string' ? v : JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (unique.length > 0) target[key] = unique as T[K];
}
