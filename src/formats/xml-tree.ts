/**
 * The small XML toolkit the wire-format parsers (NewsML-G2, NITF, NewsML 1.2) share: a strict
 * well-formedness check with line/column, a namespace-blind element tree that keeps mixed
 * content in document order, lookups by local name, and the conversion of body markup (NITF,
 * XHTML, HTML inside CDATA) into clean HTML.
 *
 * fast-xml-parser does the parsing (its validator reports line and column, its `preserveOrder`
 * tree keeps paragraphs and inline markup in order). Entities are decoded here, not by the
 * library: wire XML leans on HTML entities (`&eacute;`, `&nbsp;`) from DTDs it never ships,
 * and the library only knows a few of them.
 */
import { decodeHTML, escapeAttribute, escapeText } from 'entities';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseDocument } from 'htmlparser2';
import type { ArticleImage } from '../model/article-record.ts';
import { WireError } from '../model/wire-error.ts';

/** An element: `name` is the local name (prefix dropped), attributes keep their names as written. */
export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
  /** True for CDATA sections, whose content is markup-as-text in some feeds (ANSA, ANA). */
  readonly cdata: boolean;
}

export type XmlNode = XmlElement | XmlText;

const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
});

/** A bare `&` that starts no entity or character reference (`AT&T`, `R&D`). */
const BARE_AMPERSAND = /&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][\w.-]*;)/g;
const CDATA_SECTION = /(<!\[CDATA\[[\s\S]*?\]\]>)/;

/**
 * Parses a wire XML document into its root element.
 *
 * A bare `&` is read as `&amp;` (agencies send `AT&T` unescaped, and rejecting a whole story
 * for it helps nobody); the doctype is dropped unread (no DTD processing: entities it declares
 * stay as written); everything else that is not well-formed is rejected.
 *
 * @param label names the format in error messages (`NewsML-G2`, `NITF`…)
 * @throws WireError `EMPTY_DOCUMENT` for an empty or whitespace-only text; `PARSE_ERROR` naming
 *   the problem with its line and column when the XML is malformed or truncated.
 */
export function parseXml(xml: string, label: string): XmlElement {
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new WireError('EMPTY_DOCUMENT', `${label} document is empty`);
  const repaired = withoutDoctype(text)
    .split(CDATA_SECTION)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(BARE_AMPERSAND, '&amp;')))
    .join('');

  const result = XMLValidator.validate(repaired, { allowBooleanAttributes: true });
  if (result !== true) {
    const { line, col } = result.err;
    throw new WireError('PARSE_ERROR', `malformed ${label} document at line ${line}, column ${col}: ${describe(result.err.msg)}`);
  }
  let ordered: unknown;
  try {
    ordered = PARSER.parse(repaired);
  } catch (err) {
    throw new WireError('PARSE_ERROR', `malformed ${label} document: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const root = toNodes(ordered).find(isElement);
  if (root === undefined) throw new WireError('EMPTY_DOCUMENT', `${label} document has no root element`);
  return root;
}

/**
 * The document without its doctype: no DTD is processed, so internal entities (a billion laughs)
 * are never expanded and external ones never read or fetched; references to them stay as written.
 */
function withoutDoctype(xml: string): string {
  const at = xml.search(/<!DOCTYPE/i);
  if (at === -1) return xml;
  // Only a doctype in the prolog (before the root element) is one.
  const before = xml.slice(0, at).replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '');
  if (before.trim() !== '') return xml;
  return xml.slice(0, at) + skipDoctype(xml.slice(at));
}

/** The validator reports unclosed elements at the end as a dumped JavaScript array. */
function describe(message: string): string {
  const unclosed = /^Invalid '\[([\s\S]*)\]' found\.$/.exec(message);
  if (!unclosed) return message;
  const names = (unclosed[1] ?? '').split(',').map((n) => n.trim().replace(/^"|"$/g, '')).filter(Boolean);
  return `the document ends before ${names.map((n) => `<${n}>`).join(', ')} ${names.length === 1 ? 'is' : 'are'} closed (truncated?)`;
}

function toNodes(ordered: unknown): XmlNode[] {
  if (!Array.isArray(ordered)) return [];
  const nodes: XmlNode[] = [];
  for (const entry of ordered as Record<string, unknown>[]) {
    for (const key of Object.keys(entry)) {
      if (key === ':@') continue;
      const value = entry[key];
      if (key === '#text') {
        nodes.push({ kind: 'text', text: decodeHTML(String(value)), cdata: false });
      } else if (key === '#cdata') {
        const inner = Array.isArray(value) ? (value as Record<string, unknown>[]).map((v) => String(v['#text'] ?? '')).join('') : '';
        nodes.push({ kind: 'text', text: inner, cdata: true });
      } else if (key === '#comment' || key.startsWith('?') || key.startsWith('!')) {
        continue;
      } else {
        const rawAttrs = (entry[':@'] ?? {}) as Record<string, unknown>;
        const attrs: Record<string, string> = {};
        for (const [name, v] of Object.entries(rawAttrs)) attrs[name] = decodeHTML(v === true ? '' : String(v));
        nodes.push({ kind: 'element', name: localName(key), attrs, children: toNodes(value) });
      }
    }
  }
  return nodes;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

export function isElement(node: XmlNode | undefined): node is XmlElement {
  return node !== undefined && node.kind === 'element';
}

// ---------------------------------------------------------------------------------------------
// Lookups. Element names compare case-insensitively: producers write `Header`, `ednote`, `P`.

function same(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/** Child elements, all or those with one of the given local names. */
export function childElements(el: XmlElement | undefined, ...names: string[]): XmlElement[] {
  if (el === undefined) return [];
  return el.children.filter((c): c is XmlElement => isElement(c) && (names.length === 0 || names.some((n) => same(c.name, n))));
}

/** The first child element with one of the given local names. */
export function child(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  return childElements(el, ...names)[0];
}

/** Follows a path of local names (`itemMeta/pubStatus`), taking the first match at each step. */
export function at(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let current = el;
  for (const step of path.split('/')) current = child(current, step);
  return current;
}

/** Every element with the given local name below `el`, in document order. */
export function descendants(el: XmlElement | undefined, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (node: XmlElement) => {
    for (const c of node.children) {
      if (!isElement(c)) continue;
      if (same(c.name, name)) found.push(c);
      walk(c);
    }
  };
  if (el !== undefined) walk(el);
  return found;
}

/**
 * An attribute by name as written (`xml:lang`), else by local name (`ns1:msgType` for
 * `msgType`), matched case-insensitively; empty values count as absent.
 */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (el === undefined) return undefined;
  let value = el.attrs[name];
  if (value === undefined) {
    const lower = name.toLowerCase();
    const key = Object.keys(el.attrs).find((k) => k.toLowerCase() === lower || (!name.includes(':') && localName(k).toLowerCase() === lower));
    value = key === undefined ? undefined : el.attrs[key];
  }
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** All text below a node, as written. */
export function rawText(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (node.kind === 'text') return node.text;
  return node.children.map(rawText).join('');
}

/** Text with whitespace runs collapsed and trimmed; undefined when nothing is left. */
export function text(node: XmlNode | undefined): string | undefined {
  const value = collapse(rawText(node)).trim();
  return value === '' ? undefined : value;
}

export function collapse(value: string): string {
  return value.replace(/[\t\n\r ]+/g, ' ');
}

/** Items have a title or a body; anything else is not worth a record. */
export function hasContent(item: { title?: string; contentHtml?: string; contentText?: string }): boolean {
  return [item.title, item.contentHtml, item.contentText].some((v) => v !== undefined && v.trim() !== '');
}

/** Assigns a value only when it is defined, so items carry no `undefined` keys. */
export function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) return;
  if (Array.isArray(value) && value.length === 0) return;
  target[key] = value;
}

/** Removes duplicates keeping the first occurrence. */
export function unique<T>(values: T[], key: (v: T) => string = String): T[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = key(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Body markup → clean HTML

/** Elements kept as they are (lower-case HTML names). */
const KEEP_BLOCK = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'caption', 'thead', 'tbody',
  'tfoot', 'tr', 'td', 'th', 'colgroup', 'col', 'pre', 'blockquote', 'hr', 'figure', 'figcaption',
]);
const KEEP_INLINE = new Set([
  'a', 'em', 'strong', 'b', 'i', 'u', 's', 'sub', 'sup', 'q', 'br', 'code', 'cite', 'abbr', 'small', 'mark', 'del', 'ins', 'img',
]);
/** NITF elements that are HTML elements under another name. */
const RENAME: Record<string, string> = { hl1: 'h2', hl2: 'h3', bq: 'blockquote', credit: 'cite', 'nitf-table': 'div' };
/**
 * Dropped with their content: document heads and metadata (`header` is dpa's repeat of the
 * slugline, date and headline), NITF media (lifted into images), notes (editorial, not copy),
 * and active content — the sanitizer would remove it anyway, but as text it would reach readers.
 */
const DROP = new Set([
  'head', 'title', 'meta', 'link', 'header', 'nitf-table-metadata', 'media', 'note', 'ed-msg', 'body.head', 'body.end',
  'script', 'style', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math',
]);
/** Children that are only structure: whitespace text between them is not content. */
const STRUCTURAL = new Set(['ul', 'ol', 'dl', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup']);
const VOID = new Set(['br', 'hr', 'img', 'col']);
const KEEP_ATTRS: Record<string, string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start'],
  blockquote: ['cite'],
};

interface Fragment {
  block: boolean;
  html: string;
}

/** What {@link bodyToHtml} found besides the markup. */
export interface BodyExtras {
  /** Pictures of NITF `<media media-type="image">` elements, lifted out of the body. */
  images: ArticleImage[];
}

/**
 * Turns body markup (the children of NITF `body.content`, of an XHTML `body`, or a parsed HTML
 * fragment) into clean HTML: paragraphs, headings, lists, tables, links and emphasis survive in
 * document order; NITF wrappers (`block`, inline semantic tags such as `person`, `org`,
 * `chron`) give way to their content; attributes other than links, image sources, table spans
 * and `lang`/`dir` are dropped; empty paragraphs go; loose text between blocks becomes a
 * paragraph. Returns undefined when no visible content is left.
 */
export function bodyToHtml(nodes: readonly XmlNode[], extras?: BodyExtras): string | undefined {
  const html = blocksOf(flow(nodes, false, extras)).join('\n');
  return html.trim() === '' ? undefined : html;
}

/**
 * Parses an HTML string (CDATA bodies, `text/html` inline data) leniently with htmlparser2 and
 * hands it to {@link bodyToHtml}, so every format's bodies come out the same way.
 */
export function htmlStringToHtml(html: string): string | undefined {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  type DomNode = { type: string; data?: string; name?: string; attribs?: Record<string, string>; children?: DomNode[] };
  const convert = (n: DomNode): XmlNode | undefined => {
    if (n.type === 'text' || n.type === 'cdata') return { kind: 'text', text: n.data ?? rawDomText(n), cdata: false };
    if (n.type === 'tag' || n.type === 'script' || n.type === 'style') {
      const children = (n.children ?? []).map(convert).filter((c) => c !== undefined);
      return { kind: 'element', name: n.name ?? '', attrs: { ...n.attribs }, children };
    }
    return undefined;
  };
  const rawDomText = (n: DomNode): string => (n.children ?? []).map((c) => c.data ?? rawDomText(c)).join('');
  return bodyToHtml((doc.children as unknown as DomNode[]).map(convert).filter((c) => c !== undefined));
}

/** True when a text looks like HTML markup rather than prose (for bodies labelled text/plain). */
export function looksLikeMarkup(value: string): boolean {
  return /<(p|br|div|ul|ol|table|h[1-6]|span|b|i|em|strong|a)\b[^>]*>/i.test(value);
}

function blocksOf(fragments: Fragment[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    const inline = trimInline(run.join(''));
    if (inline !== '') out.push(`<p>${inline}</p>`);
    run = [];
  };
  for (const f of fragments) {
    if (f.block) {
      flush();
      out.push(f.html);
    } else {
      run.push(f.html);
    }
  }
  flush();
  return out;
}

function flow(nodes: readonly XmlNode[], pre: boolean, extras: BodyExtras | undefined): Fragment[] {
  const out: Fragment[] = [];
  for (const node of nodes) {
    if (node.kind === 'text') {
      out.push({ block: false, html: escapeText(pre ? node.text : collapse(node.text)) });
      continue;
    }
    const name = node.name.toLowerCase();
    if (name === 'media' && extras) extras.images.push(...mediaImages(node));
    if (DROP.has(name)) continue;
    const tag = RENAME[name] ?? name;
    if (!KEEP_BLOCK.has(tag) && !KEEP_INLINE.has(tag)) {
      // Wrappers (body, div, section, block) and NITF inline semantics: their content stays.
      out.push(...flow(node.children, pre, extras));
      continue;
    }
    const block = KEEP_BLOCK.has(tag);
    const open = `<${tag}${attributes(node, tag)}>`;
    if (VOID.has(tag)) {
      if (tag === 'img' && attr(node, 'src') === undefined) continue;
      out.push({ block, html: open });
      continue;
    }
    const inner = flow(node.children, pre || tag === 'pre', extras);
    if (tag === 'p' && inner.some((f) => f.block)) {
      // A block inside a paragraph (NITF allows <block> almost anywhere): split, never nest.
      for (const html of blocksOf(inner)) out.push({ block: true, html });
      continue;
    }
    let content: string;
    if (STRUCTURAL.has(tag)) content = inner.filter((f) => f.block || f.html.trim() !== '').map((f) => f.html).join('');
    else if (tag === 'pre') content = inner.map((f) => f.html).join('');
    else content = trimInline(inner.map((f) => f.html).join(''));
    if (content === '' && tag !== 'td' && tag !== 'th') continue;
    if (/^(p|h[1-6]|li|dt|dd|caption|figcaption|blockquote|a|em|strong|b|i|u|s|q|code|cite|small|mark)$/.test(tag) && !hasVisible(content)) continue;
    out.push({ block, html: `${open}${content}</${tag}>` });
  }
  return out;
}

function attributes(el: XmlElement, tag: string): string {
  const names = [...(KEEP_ATTRS[tag] ?? []), 'lang', 'dir'];
  let out = '';
  for (const name of names) {
    const value = name === 'lang' ? (attr(el, 'xml:lang') ?? attr(el, 'lang')) : attr(el, name);
    if (value === undefined) continue;
    if (tag === 'a' && name === 'href' && /^\s*(javascript|vbscript|data):/i.test(value)) continue;
    out += ` ${name}="${escapeAttribute(value)}"`;
  }
  return out;
}

/** Strips whitespace at the edges of inline content (markup-aware: tags are left alone). */
function trimInline(html: string): string {
  return html.replace(/^\s+/, '').replace(/\s+$/, '');
}

function hasVisible(html: string): boolean {
  if (/<img\b/.test(html)) return true;
  return decodeHTML(html.replace(/<[^>]*>/g, '')).replace(/[\s\u00A0\u200B]+/g, '') !== '';
}

/** NITF `<media>`: one picture, its caption and its producer (the credit). */
function mediaImages(media: XmlElement): ArticleImage[] {
  const type = attr(media, 'media-type');
  if (type !== undefined && type.toLowerCase() !== 'image' && type.toLowerCase() !== 'photo') return [];
  const refs = childElements(media, 'media-reference');
  const ref = refs.find((r) => /^image\//i.test(attr(r, 'mime-type') ?? '')) ?? refs[0];
  const url = attr(ref, 'source') ?? attr(ref, 'data-location');
  if (url === undefined || !isImageLocation(url)) return [];
  return [{ url, caption: text(child(media, 'media-caption')) ?? attr(ref, 'alternate-text') ?? null, credit: text(child(media, 'media-producer')) ?? null }];
}

/**
 * True for a location a reader's client can load: an http(s) URL, or a relative path naming an
 * image file. Agencies also put internal ids (`iJIJyyF0tiE`) and `tag:` URIs in these fields.
 */
export function isImageLocation(value: string): boolean {
  if (/^https?:\/\//i.test(value)) return true;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return false;
  return /\.(jpe?g|png|gif|webp|avif|bmp|svg)(?:[?#]|$)/i.test(value);
}

/** The root element's local name (prefix dropped, case as written) in the head of a document, if any. */
export function rootName(head: string): string | undefined {
  let s = head.replace(/^\uFEFF/, '');
  for (;;) {
    s = s.replace(/^\s+/, '');
    if (s.startsWith('<?')) s = after(s, '?>');
    else if (s.startsWith('<!--')) s = after(s, '-->');
    else if (/^<!DOCTYPE/i.test(s)) s = skipDoctype(s);
    else break;
    if (s === '') return undefined;
  }
  const m = /^<([A-Za-z_][\w.:-]*)/.exec(s);
  if (!m) return undefined;
  const name = m[1] ?? '';
  return name.slice(name.indexOf(':') + 1);
}

function after(s: string, marker: string): string {
  const end = s.indexOf(marker);
  return end === -1 ? '' : s.slice(end + marker.length);
}

function skipDoctype(s: string): string {
  const bracket = s.indexOf('[');
  const close = s.indexOf('>');
  if (bracket !== -1 && bracket < close) {
    const end = s.indexOf(']>', bracket);
    return end === -1 ? '' : s.slice(end + 2);
  }
  return close === -1 ? '' : s.slice(close + 1);
}
