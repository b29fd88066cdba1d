/**
 * Which parser a document needs, decided from its content (servers mislabel feeds too often for
 * the Content-Type to lead).
 */
import type { FormatName } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { looksLikeAnpa1312 } from './anpa1312.ts';
import { skipDoctype, skipPast } from './xml-scan.ts';
import { isBareRssChannel, isCdfRoot } from './cdf.ts';
import { looksLikeEmail } from './email.ts';
import { looksLikeIptc7901 } from './iptc7901.ts';
import { looksLikeNewsml1 } from './newsml-1.ts';
import { looksLikeNewsmlG2 } from './newsml-g2.ts';
import { looksLikeNinjs } from './ninjs.ts';
import { looksLikeNitf } from './nitf.ts';

/** How much of a document the wire-format sniffers look at. */
const HEAD = 4096;

const ATOM_NAMESPACES = ['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#'];
/**
 * Namespaces the Atom drafts used before 0.3 settled on http://purl.org/atom/ns# (Echo, Pie,
 * Necho and their examples, 2003): such a `<feed>` is read as Atom 0.3.
 */
export const ATOM_DRAFT_NAMESPACES = ['http://purl.org/echo/', 'http://purl.org/pie/', 'http://example.com/necho', 'http://example.com/newformat#'];
/** Namespaces UserLand gave RSS 2.0 (`<r:rss xmlns:r="…">`). */
const RSS_NAMESPACES = ['http://backend.userland.com/rss2', 'http://backend.userland.com/rss'];
const HTML_ROOTS = new Set(['html', 'head', 'body']);

/**
 * Detects the format of a decoded document.
 *
 * Skips a BOM, whitespace, the XML declaration, processing instructions, comments and a doctype,
 * (or, when something else comes first, junk before an `<?xml` declaration in the first KiB),
 * then looks at the root: `<rss` → `rss`, `<feed` in the Atom namespace (1.0 or 0.3, a
 * pre-0.3 draft's, or with no namespace declared) → `atom`, `<rdf:RDF` → `rdf`, a CDF `<CHANNEL` (any case) → `cdf`; a JSON object whose `version` contains `jsonfeed.org`
 * → `json-feed`; text that is neither XML nor JSON → `plain-text`.
 *
 * The Content-Type only breaks ties: JSON labelled `application/feed+json` with an `items`
 * array is a JSON Feed without its version, and unparseable JSON labelled as JSON goes to the
 * JSON Feed parser so that the syntax error is reported as such.
 *
 * @throws WireError `EMPTY_DOCUMENT` for an empty/whitespace document or one without a root
 *   element; `NOT_A_FEED` for an HTML page, any other XML root (named in the message), or JSON
 *   that is not a JSON Feed.
 */
export function detectFormat(body: string, contentType?: string | null): FormatName {
  let i = skipWhitespace(body, body.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (i >= body.length) throw new WireError('EMPTY_DOCUMENT', 'the document is empty');
  // Agency transmission formats open with control characters (SYN, SOH), before any markup.
  const head = body.slice(0, HEAD);
  if (looksLikeAnpa1312(head)) return 'anpa1312';
  if (looksLikeIptc7901(head)) return 'iptc7901';
  if (looksLikeEmail(head)) return 'email';

  const first = body[i];
  if (first === '<') return detectMarkup(body, i);
  if (first === '{' || first === '[') {
    const json = detectJson(body.slice(i), contentType);
    if (json !== null) return json;
  }
  // Junk before the XML declaration (a PHP warning, a stray line): the document is XML from there.
  const declaration = body.slice(i, i + 1024).search(/<\?xml\s/);
  if (declaration !== -1) return detectMarkup(body, i + declaration);
  if (contentType && /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) {
    throw new WireError('NOT_A_FEED', `not a feed: served as ${contentType.trim()} and looks like an HTML page`);
  }
  return 'plain-text';
}

function detectMarkup(body: string, start: number): FormatName {
  let i = start;
  // An HTML doctype says "HTML page" unless a feed root follows (templates put one on feeds).
  let htmlDoctype = false;
  for (;;) {
    i = skipWhitespace(body, i);
    if (body.startsWith('<?', i)) {
      i = skipPast(body, i, '?>');
    } else if (body.startsWith('<!--', i)) {
      i = skipPast(body, i, '-->');
    } else if (/^<!doctype\b/i.test(body.slice(i, i + 9))) {
      if (/^<!doctype\s+html\b/i.test(body.slice(i, i + 64))) htmlDoctype = true;
      i = skipDoctype(body, i);
    } else {
      break;
    }
  }
  if (i >= body.length) {
    if (htmlDoctype) throw htmlPage();
    throw new WireError('EMPTY_DOCUMENT', 'the XML document has no root element');
  }

  const tag = /^<([A-Za-z_][\w.:-]*)([^>]*)/.exec(body.slice(i, i + 4096));
  if (!tag) {
    if (htmlDoctype) throw htmlPage();
    // "<" followed by no element name: prose that happens to start with "<".
    return 'plain-text';
  }
  const name = tag[1] ?? '';
  const attributes = tag[2] ?? '';
  const colon = name.indexOf(':');
  const local = colon === -1 ? name : name.slice(colon + 1);

  if (name === 'rss' || (local === 'rss' && RSS_NAMESPACES.includes(namespaceOf(attributes, name.slice(0, colon)) ?? ''))) return 'rss';
  if (local === 'RDF') return 'rdf';
  if (local === 'feed') {
    const ns = namespaceOf(attributes, colon === -1 ? null : name.slice(0, colon));
    if (ns === null || ATOM_NAMESPACES.includes(ns) || ATOM_DRAFT_NAMESPACES.includes(ns)) return 'atom';
    throw new WireError('NOT_A_FEED', `not a feed: root element <${name}> is not in the Atom namespace (${ns})`);
  }
  if (HTML_ROOTS.has(local.toLowerCase()) || htmlDoctype) throw htmlPage();
  if (isCdfRoot(local, attributes)) return 'cdf';
  if (isBareRssChannel(local, attributes)) return 'rss';
  const head = body.slice(start, start + HEAD);
  if (looksLikeNewsmlG2(head)) return 'newsml-g2';
  if (looksLikeNewsml1(head)) return 'newsml-1.2';
  if (looksLikeNitf(head)) return 'nitf';
  throw new WireError('NOT_A_FEED', `not a feed: unsupported XML document with root element <${name}>`);
}

function detectJson(text: string, contentType: string | null | undefined): FormatName | null {
  const jsonLabelled = contentType ? /json/i.test(contentType) : false;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Truncated or broken JSON Feed: let its parser report the syntax error.
    if (jsonLabelled || text.includes('jsonfeed.org')) return 'json-feed';
    return null;
  }
  if (isObject(value)) {
    if (typeof value.version === 'string' && value.version.includes('jsonfeed.org')) return 'json-feed';
    if (contentType && /feed\+json/i.test(contentType) && Array.isArray(value.items)) return 'json-feed';
  }
  if (looksLikeNinjs(text.slice(0, HEAD))) return 'ninjs';
  throw new WireError('NOT_A_FEED', 'not a feed: JSON document that is neither a JSON Feed (https://jsonfeed.org/version/…) nor a ninjs item');
}

function htmlPage(): WireError {
  return new WireError('NOT_A_FEED', 'not a feed: the document looks like an HTML page');
}

/** The namespace URI bound to `prefix` (or the default namespace) in a start tag's attributes. */
function namespaceOf(attributes: string, prefix: string | null): string | null {
  const attr = prefix === null ? 'xmlns' : `xmlns:${prefix}`;
  const re = new RegExp(`(?:^|\\s)${attr.replace(/[.:-]/g, '\\$&')}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
  const match = re.exec(attributes);
  if (!match) return null;
  return match[1] ?? match[2] ?? '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i] as string)) i++;
  return i;
}

