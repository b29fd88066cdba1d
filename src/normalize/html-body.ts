/**
 * Post-sanitizing pass over an HTML body: the dateline opening the first block and the trailers
 * closing the last ones are lifted out of the markup, as they are for plain-text copy. Works on
 * top-level blocks only, which is where publishers put both; anything deeper stays as it is.
 */
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';
import type { ArticleImage, Dateline, RelatedLink } from '../model/article-record.ts';
import { matchInlineDateline, parseStandaloneDateline } from './dateline.ts';
import { htmlToText } from './sanitize-html.ts';
import { extractTrailers, type TrailerUnit } from './trailers.ts';

type DomDocument = ReturnType<typeof parseDocument>;
type DomNode = DomDocument['children'][number];
// Node types come from domhandler through htmlparser2's own signatures: domhandler is not a
// direct dependency of ours, so it is not imported by name.
type DomElement = Parameters<typeof DomUtils.getAttributeValue>[0];
type DomText = Extract<DomNode, { type: ElementType.ElementType.Text }>;
type DomParent = DomDocument | DomElement;

export interface HtmlBody {
  /** The body without dateline and trailers, serialized as UTF-8 HTML. */
  html: string;
  /** Plain text of `html`: paragraphs separated by a blank line. */
  text: string;
  dateline: Dateline | null;
  /** The dateline's calendar date when it names a complete one. */
  datelineDate: Date | null;
  images: ArticleImage[];
  related: RelatedLink[];
}

const BLOCK_ELEMENTS = new Set([
  'p', 'div', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'blockquote', 'figure', 'table',
  'pre', 'hr',
]);
/** Wrappers that carry no meaning of their own once sanitized. */
const WRAPPERS = new Set(['div']);

/**
 * Lifts the dateline and trailers out of sanitized article HTML.
 *
 * @param cleanHtml output of `sanitizeArticleHtml` (this function trusts its input).
 */
export function processHtmlBody(cleanHtml: string): HtmlBody {
  const doc = parseDocument(cleanHtml, { decodeEntities: true });
  const container = unwrap(doc);
  dropEmptyBlocks(container);

  let blocks = blocksOf(container);
  let dateline: Dateline | null = null;
  let datelineDate: Date | null = null;
  const first = blocks[0];
  if (first !== undefined) {
    const found = liftDateline(first);
    if (found !== null) {
      dateline = found.dateline;
      datelineDate = found.date;
      blocks = blocksOf(container);
    }
  }

  const units: TrailerUnit[] = blocks.map((nodes) => ({
    opaque: DomUtils.findOne((el) => el.name === 'img', nodes) !== null,
    text: htmlToText(DomUtils.getOuterHTML(nodes)),
    links: DomUtils.findAll((el) => el.name === 'a' && el.attribs['href'] !== undefined, nodes).map((a) => ({
      text: DomUtils.textContent(a),
      href: a.attribs['href'] as string,
    })),
  }));
  const trailers = extractTrailers(units);
  blocks.forEach((nodes, i) => {
    if (trailers.removed.has(i)) for (const node of nodes) DomUtils.removeElement(node);
  });

  // Serializing the container's blocks drops wrappers that carried nothing; one block per line
  // keeps stored records readable.
  const html = blocksOf(container)
    .map((nodes) => DomUtils.getOuterHTML(nodes, { encodeEntities: 'utf8' }).trim())
    .join('\n');
  return {
    html,
    text: htmlToText(html),
    dateline,
    datelineDate,
    images: trailers.images,
    related: trailers.related,
  };
}

function isElement(node: DomNode): node is DomElement {
  return node.type === ElementType.Tag;
}

function isText(node: DomNode): node is DomText {
  return node.type === ElementType.Text;
}

function isBlank(node: DomNode): boolean {
  return isText(node) && node.data.trim() === '';
}

/** `<div><p>…</p><p>…</p></div>` → the paragraphs are the blocks, not the div. */
function unwrap(doc: DomDocument): DomParent {
  let parent: DomParent = doc;
  for (;;) {
    const significant: DomNode[] = parent.children.filter((n) => !isBlank(n) && n.type !== ElementType.Comment);
    const only: DomNode | undefined = significant[0];
    if (significant.length !== 1 || only === undefined || !isElement(only) || !WRAPPERS.has(only.name)) return parent;
    // A wrapper setting dir or lang still means something; keep it.
    if (Object.keys(only.attribs).length > 0) return parent;
    if (!only.children.some((c) => isElement(c) && BLOCK_ELEMENTS.has(c.name))) return parent;
    parent = only;
  }
}

/** `<p>&nbsp;</p>` spacers publishers use instead of CSS. */
function dropEmptyBlocks(parent: DomParent): void {
  for (const node of [...parent.children]) {
    if (!isElement(node) || (node.name !== 'p' && node.name !== 'div')) continue;
    const hasImage = DomUtils.findOne((el) => el.name === 'img', node.children) !== null;
    if (!hasImage && DomUtils.textContent(node).replace(/[\s\u00A0\u200B]+/g, '') === '') {
      DomUtils.removeElement(node);
    }
  }
}

/** Top-level blocks: each block element alone, runs of inline nodes and text together. */
function blocksOf(parent: DomParent): DomNode[][] {
  const blocks: DomNode[][] = [];
  let run: DomNode[] = [];
  const flush = (): void => {
    if (run.some((n) => !isBlank(n))) blocks.push(run);
    run = [];
  };
  for (const node of parent.children) {
    if (node.type === ElementType.Comment) continue;
    if (isElement(node) && BLOCK_ELEMENTS.has(node.name)) {
      flush();
      blocks.push([node]);
    } else {
      run.push(node);
    }
  }
  flush();
  return blocks;
}

/** Removes a dateline opening the first block; returns it, or `null` when there is none. */
function liftDateline(block: DomNode[]): { dateline: Dateline; date: Date | null } | null {
  const text = htmlToText(DomUtils.getOuterHTML(block));
  const firstLine = text.split('\n')[0] ?? '';
  const standalone = parseStandaloneDateline(firstLine);
  if (standalone !== null && firstLine === text.trim()) {
    for (const node of block) DomUtils.removeElement(node);
    return standalone;
  }
  const textNodes = block.flatMap((n) => (isText(n) ? [n] : (DomUtils.filter(isText, n, true) as DomText[])));
  const raw = textNodes.map((t) => t.data).join('');
  if (standalone !== null) {
    // "DATELINE<br>story…": the dateline is the block's first line.
    const at = raw.indexOf(standalone.dateline.text);
    if (at < 0 || raw.slice(0, at).trim() !== '') return null;
    cutText(textNodes, at + standalone.dateline.text.length);
    const br = DomUtils.findOne((el) => el.name === 'br', block);
    if (br !== null) DomUtils.removeElement(br);
    pruneEmptyInline(block);
    return standalone;
  }
  const inline = matchInlineDateline(raw);
  if (inline === null) return null;
  cutText(textNodes, inline.length);
  pruneEmptyInline(block);
  return inline;
}

/** Removes the first `length` characters of the text spread over `nodes`. */
function cutText(nodes: DomText[], length: number): void {
  let remaining = length;
  for (const node of nodes) {
    if (remaining <= 0) break;
    const cut = Math.min(remaining, node.data.length);
    node.data = node.data.slice(cut);
    remaining -= cut;
  }
}

/** After cutting text, `<strong></strong>` shells of the dateline remain; drop them. */
function pruneEmptyInline(nodes: DomNode[]): void {
  for (const node of nodes) {
    if (isText(node)) {
      if (node.data === '') DomUtils.removeElement(node);
      continue;
    }
    if (!isElement(node)) continue;
    pruneEmptyInline([...node.children]);
    const empty = node.children.length === 0 && node.name !== 'img' && node.name !== 'br' && node.name !== 'hr';
    if (empty) DomUtils.removeElement(node);
  }
}
