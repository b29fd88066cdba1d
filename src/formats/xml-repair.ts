/**
 * Repairs for feed XML that real servers send and a strict parser refuses. Pure functions over
 * decoded text; each returns the repaired text and names what it changed, so a document read
 * through a repair says so ({@link RawDocument.repaired}).
 *
 * Two stages, used by the RSS/Atom adapter (rss-atom.ts):
 *
 * - {@link prepareXml}, always: drops junk before `<?xml`, XML-invalid control characters and
 *   entity problems (bare `&`, HTML named entities XML does not declare, references to
 *   forbidden characters). A well-formed document comes back unchanged.
 * - {@link rebalanceXml}, only after the strict parse failed: wraps naked HTML of
 *   `<description>`/`<content:encoded>` in CDATA, drops stray close tags, closes elements left
 *   open, and cuts a truncated document after its last complete item. The result is well-formed
 *   XML without comments, processing instructions or doctype (no DTD is ever read).
 */
import { XMLValidator } from 'fast-xml-parser';
import { decodeHTMLStrict } from 'entities';
import { isBareRssChannel } from './cdf.ts';
import { skipDoctype, skipPast } from './xml-scan.ts';

/** The names a repair goes by in {@link RawDocument.repaired} and in the ingest log line. */
export const REPAIRS = {
  junkBeforeDeclaration: 'junk before the XML declaration',
  controlCharacters: 'XML-invalid control characters',
  bareAmpersand: 'bare ampersand',
  htmlEntity: 'HTML named entity',
  unknownEntity: 'undeclared entity',
  invalidCharacterReference: 'reference to an XML-invalid character',
  versionlessRss: 'RSS without a version',
  /** An RSS `<channel>` as the root, without its `<rss>` element: wrapped in one. */
  bareChannel: 'RSS channel without its rss element',
  nakedHtml: 'naked HTML in a text element',
  strayCloseTag: 'stray close tag',
  unclosedElement: 'unclosed element',
  truncated: 'truncated document',
  /** Markup in a text element nested deeper than the adapter keeps (256 levels): flattened to its text. */
  deepMarkup: 'markup nested too deep',
  /** Anything else the strict parser refused and the lenient stage rewrote (a `<` in text, odd attributes). */
  malformedMarkup: 'malformed markup',
} as const;
export type RepairName = (typeof REPAIRS)[keyof typeof REPAIRS];

export interface Repaired {
  xml: string;
  repairs: RepairName[];
  /**
   * rebalanceXml only: the document was cut off after its RSS `<channel>` closed, so only the
   * root's end tag is missing and nothing of the channel was lost (an item-less feed read so is
   * whole, not garbage).
   */
  wholeChannel?: boolean;
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
/** Characters XML 1.0 forbids (§2.2), lone surrogates included. */
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The always-on stage: see the module comment. */
export function prepareXml(text: string): Repaired {
  const repairs = new Set<RepairName>();
  let xml = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const declaration = xml.indexOf('<?xml');
  if (declaration > 0 && declaration < 4096 && xml.slice(0, declaration).trim() !== '' && /^<\?xml\s/.test(xml.slice(declaration, declaration + 6))) {
    xml = xml.slice(declaration);
    repairs.add(REPAIRS.junkBeforeDeclaration);
  } else if (declaration > 0 && xml.slice(0, declaration).trim() === '') {
    // Whitespace before the declaration: sax refuses it, and nothing is lost by dropping it.
    xml = xml.slice(declaration);
  }
  const cleaned = xml.replace(INVALID_CHARS, '');
  if (cleaned.length !== xml.length) {
    xml = cleaned;
    repairs.add(REPAIRS.controlCharacters);
  }
  xml = repairEntities(xml, repairs);
  const bare = BARE_CHANNEL.exec(xml);
  if (bare && isBareRssChannel('channel', bare[2] ?? '')) {
    const at = bare.index + bare[0].length - bare[1]!.length;
    xml = `${xml.slice(0, at)}<rss version="2.0">${xml.slice(at)}</rss>`;
    repairs.add(REPAIRS.bareChannel);
  }
  return { xml, repairs: [...repairs] };
}

/**
 * The root element when it is `<channel>`: after the declaration, comments and a doctype. Group 1:
 * its attributes; group 2: the start tag itself (the `<rss>` goes right before it).
 */
const BARE_CHANNEL = /^(?:\s|<\?[^]*?\?>|<!--[^]*?-->|<!DOCTYPE[^>]*>)*(<channel(\s[^>]*)?>)/;

/**
 * Applies `repair` to the text outside CDATA sections, comments and the doctype, in one pass
 * (an unclosed section runs to the end; nothing is searched twice, so hostile input stays
 * linear). A `<!` that opens none of them is not XML and is escaped: sax reads it as a
 * declaration and slows down quadratically until the next `>`.
 */
function outsideSections(xml: string, repair: (text: string) => string, found?: Set<RepairName>): string {
  let out = '';
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<!', i);
    if (lt === -1) {
      out += repair(xml.slice(i));
      break;
    }
    out += repair(xml.slice(i, lt));
    let end: number;
    if (xml.startsWith('<![CDATA[', lt)) end = skipPast(xml, lt + 9, ']]>');
    else if (xml.startsWith('<!--', lt)) end = skipPast(xml, lt + 4, '-->');
    else if (/^<!DOCTYPE\s/i.test(xml.slice(lt, lt + 10))) end = skipDoctype(xml, lt);
    else {
      found?.add(REPAIRS.malformedMarkup);
      out += '&lt;!';
      i = lt + 2;
      continue;
    }
    out += xml.slice(lt, end);
    i = end;
  }
  return out;
}

/**
 * Makes entity references acceptable to sax, outside CDATA sections, comments and the doctype:
 * HTML named entities become numeric references, unknown ones and bare `&` are escaped (shown
 * as written, never expanded from a DTD), numeric references to characters XML forbids (`&#0;`)
 * are dropped. A well-formed document comes back unchanged.
 */
export function repairEntities(xml: string, found?: Set<RepairName>): string {
  if (!xml.includes('&') && !xml.includes('<!')) return xml;
  const fix = (text: string) => (text.includes('&') ? text.replace(ENTITY, (match, dec: string | undefined, hex: string | undefined, name: string | undefined) => entity(match, dec, hex, name, found)) : text);
  return outsideSections(xml, fix, found);
}

const ENTITY = /&(?:#(\d+);|#[xX]([0-9a-fA-F]+);|([A-Za-z][A-Za-z0-9]*);)?/g;

/** One entity or character reference (or a bare `&`) as sax will accept it. */
function entity(match: string, dec: string | undefined, hex: string | undefined, name: string | undefined, found: Set<RepairName> | undefined): string {
  if (dec !== undefined || hex !== undefined) {
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex as string, 16);
    if (isXmlChar(cp)) return match;
    found?.add(REPAIRS.invalidCharacterReference);
    return '';
  }
  if (name === undefined) {
    found?.add(REPAIRS.bareAmpersand);
    return '&amp;';
  }
  if (XML_ENTITIES.has(name)) return match;
  const decoded = decodeHTMLStrict(match);
  if (decoded === match) {
    found?.add(REPAIRS.unknownEntity);
    return `&amp;${name};`;
  }
  found?.add(REPAIRS.htmlEntity);
  return Array.from(decoded, (ch) => `&#${ch.codePointAt(0)};`).join('');
}

export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

// ---------------------------------------------------------------------------------------------
// The lenient stage

/** Elements whose content is HTML as text in RSS: naked markup in them is wrapped in CDATA. */
const TEXT_ELEMENT = /<((?:[A-Za-z_][\w.-]*:)?(?:description|encoded|summary))(\s[^<>]{0,4096})?>/g;
/** Items and entries never nest: a new one closes the one left open. */
const ITEM_NAMES = new Set(['item', 'entry']);

const TOKEN =
  /<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<\?[\s\S]*?(?:\?>|$)|<!(?:[^[>]|\[[^\]]*\]?)*(?:>|$)|<\/([A-Za-z_][\w.:-]*)\s*>|<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>"']+(?:\s*=\s*(?:"[^"]{0,8192}"|'[^']{0,8192}'|[^\s"'>]+))?)*)\s*(\/?)>|[^<]+|</g;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/**
 * The lenient stage: see the module comment. Entities must have gone through
 * {@link prepareXml} first (text is copied as it is, apart from a stray `<` escaped).
 *
 * @param atom true for an Atom document, whose text constructs may hold XHTML as XML (never
 *   wrapped in CDATA)
 */
export function rebalanceXml(xml: string, atom: boolean): Repaired {
  const repairs = new Set<RepairName>();
  let source = xml;
  if (!atom) {
    source = wrapNakedHtml(source, repairs);
  }

  let out = '';
  const stack = new OpenElements();
  let rootClosed = false;
  let channelClosed = false;
  // A '<' after the last '>' starts a tag cut off by the end (looked up once, not per '<').
  const lastGt = source.lastIndexOf('>');
  for (const m of source.matchAll(TOKEN)) {
    const [token, cdata, closeName, openName, attrs, selfClosing] = m;
    if (rootClosed) continue; // anything after the root element is not part of the document
    if (cdata !== undefined) {
      if (stack.length > 0) out += `<![CDATA[${cdata}]]>`;
    } else if (closeName !== undefined) {
      const index = stack.lastIndexOf(closeName);
      if (index === -1) {
        repairs.add(REPAIRS.strayCloseTag);
        continue;
      }
      if (index < stack.length - 1) repairs.add(REPAIRS.unclosedElement);
      channelClosed = index === 1 && stack.length === 2 && localName(closeName) === 'channel';
      while (stack.length > index) out += `</${stack.pop()}>`;
      if (stack.length === 0) rootClosed = true;
    } else if (openName !== undefined) {
      if (ITEM_NAMES.has(localName(openName))) {
        const open = stack.openItem;
        if (open !== -1) {
          repairs.add(REPAIRS.unclosedElement);
          while (stack.length > open) out += `</${stack.pop()}>`;
        }
      }
      const tag = `<${openName}${attributesOf(attrs ?? '')}`;
      if (selfClosing) {
        out += `${tag}/>`;
        if (stack.length === 0) rootClosed = true;
      } else {
        stack.push(openName, out.length);
        out += `${tag}>`;
      }
    } else if (token.startsWith('<!') || token.startsWith('<?')) {
      continue; // comments, processing instructions, doctype: dropped
    } else if (stack.length > 0) {
      if (token === '<') {
        if (m.index > lastGt) break; // a tag cut off by the end of the document
        repairs.add(REPAIRS.malformedMarkup);
      }
      out += token === '<' ? '&lt;' : token.replaceAll(']]>', ']]&gt;');
    }
  }
  const wholeChannel = stack.length === 1 && channelClosed && localName(stack.bottom ?? '') === 'rss';
  if (stack.length > 0) {
    repairs.add(REPAIRS.truncated);
    // Keep the complete items only: an item or entry still open is cut with everything after it.
    const open = stack.openItem;
    if (open !== -1) {
      out = out.slice(0, stack.at(open));
      while (stack.length > open) stack.pop();
    }
    while (stack.length > 0) out += `</${stack.pop()}>`;
  }
  return { xml: out, repairs: [...repairs], wholeChannel };
}

/** Naked HTML in RSS text elements into CDATA; one pass, each close tag searched for once. */
function wrapNakedHtml(xml: string, repairs: Set<RepairName>): string {
  let out = '';
  let last = 0;
  const unclosed = new Set<string>();
  const re = new RegExp(TEXT_ELEMENT.source, 'g');
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    const name = m[1] as string;
    if (unclosed.has(name)) continue;
    const start = m.index + m[0].length;
    const close = xml.indexOf(`</${name}`, start);
    if (close === -1) {
      unclosed.add(name); // no later one can be closed either
      continue;
    }
    const inner = xml.slice(start, close);
    re.lastIndex = close;
    if (!inner.includes('<') || inner.trimStart().startsWith('<![CDATA[')) continue;
    if (XMLValidator.validate(`<x>${inner}</x>`) === true) continue;
    repairs.add(REPAIRS.nakedHtml);
    out += `${xml.slice(last, start)}<![CDATA[${inner.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
    last = close;
  }
  return last === 0 ? xml : out + xml.slice(last);
}

/**
 * Keeps markup at most `maxDepth` elements deep: the start and end tags of elements nested
 * deeper are dropped, their text and CDATA kept, in one linear pass. For a document sax has
 * already accepted (well-formed). htmlparser2 keeps its open elements with `unshift`/`shift`,
 * quadratic in depth (100,000 nested `<b>`, 700 KB, took 6 s), and dom-serializer recurses once
 * per level (a stack overflow near 3,000).
 */
export function flattenDeepMarkup(xml: string, maxDepth: number): { xml: string; flattened: boolean } {
  let out = '';
  let copied = 0;
  let depth = 0;
  let i = 0;
  const drop = (from: number, to: number) => {
    out += xml.slice(copied, from);
    copied = to;
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) break;
    if (xml.startsWith('<![CDATA[', lt)) i = skipPast(xml, lt + 9, ']]>');
    else if (xml.startsWith('<!--', lt)) i = skipPast(xml, lt + 4, '-->');
    else if (xml.startsWith('<?', lt)) i = skipPast(xml, lt + 2, '?>');
    else if (xml.startsWith('<!', lt)) i = skipDoctype(xml, lt);
    else if (xml.startsWith('</', lt)) {
      i = skipPast(xml, lt + 2, '>');
      if (depth > maxDepth) drop(lt, i);
      depth--;
    } else {
      i = tagEnd(xml, lt + 1);
      const selfClosing = xml[i - 2] === '/';
      if (depth + 1 > maxDepth) drop(lt, i);
      if (!selfClosing) depth++;
    }
  }
  if (copied === 0) return { xml, flattened: false };
  return { xml: out + xml.slice(copied), flattened: true };
}

/** Just past the `>` that ends a start tag, skipping quoted attribute values (which may hold `>`). */
function tagEnd(xml: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < xml.length; j++) {
    const c = xml[j];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j + 1;
  }
  return xml.length;
}

function attributesOf(attrs: string): string {
  const seen = new Set<string>();
  let out = '';
  for (const m of attrs.matchAll(ATTRIBUTE)) {
    const name = m[1] as string;
    if (seen.has(name) || !/^[A-Za-z_][\w.:-]*$/.test(name)) continue;
    seen.add(name);
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    out += ` ${name}="${value.replace(/&(?![A-Za-z][A-Za-z0-9]*;|#\d+;|#[xX][0-9a-fA-F]+;)/g, '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;')}"`;
  }
  return out;
}

/**
 * The elements open in the lenient stage, with what it asks of them in constant time (a stray
 * close tag or a new item under 40,000 open elements searched the whole stack each, quadratic).
 */
class OpenElements {
  private readonly names: string[] = [];
  private readonly offsets: number[] = [];
  private readonly counts = new Map<string, number>();
  /** Where the open item or entry is (items never nest), or -1. */
  openItem = -1;

  get length(): number {
    return this.names.length;
  }

  /** The outermost open element (the root). */
  get bottom(): string | undefined {
    return this.names[0];
  }

  push(name: string, at: number): void {
    if (this.openItem === -1 && ITEM_NAMES.has(localName(name))) this.openItem = this.names.length;
    this.names.push(name);
    this.offsets.push(at);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  pop(): string {
    const name = this.names.pop() as string;
    this.offsets.pop();
    this.counts.set(name, (this.counts.get(name) as number) - 1);
    if (this.openItem === this.names.length) this.openItem = -1;
    return name;
  }

  /** Where the output was when element `index` opened. */
  at(index: number): number {
    return this.offsets[index] as number;
  }

  /** The innermost open element called `name`, or -1 (searched only when one is open: the pops that follow pay for it). */
  lastIndexOf(name: string): number {
    if ((this.counts.get(name) ?? 0) === 0) return -1;
    return this.names.lastIndexOf(name);
  }
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}
