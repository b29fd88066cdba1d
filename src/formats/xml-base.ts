/**
 * xml:base (XML Base, W3C 2001; RFC 4287 §2 for Atom): the base URI in scope at an element is its
 * own `xml:base` resolved against its parent's, up to the root. Relative links in a feed, and in
 * the HTML it carries, mean what they say against that base, and only there: once the value has
 * left its element the base is lost. So a feed that declares one is resolved in the parse step;
 * a feed that declares none comes out exactly as before (normalization resolves what stays
 * relative against the feed link).
 *
 * Pure: strings in, strings out.
 */
import { DomUtils, parseDocument } from 'htmlparser2';

/** Attributes that hold a URL in the HTML a feed carries (HTML 4/5: links, media, quotes, forms). */
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite', 'longdesc', 'poster', 'background', 'action', 'usemap', 'data']);

/** Markup nested deeper than this is not re-serialised (see {@link resolveMarkup}). */
const MAX_DEPTH = 256;

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * The base in scope after `bases`, outermost first (each an element's `xml:base`, or undefined
 * where the element has none). Undefined while no absolute base is in scope: a relative base
 * with nothing absolute above it resolves nothing.
 */
export function baseInScope(...bases: (string | undefined)[]): string | undefined {
  let current: string | undefined;
  for (const raw of bases) {
    const base = raw?.trim();
    if (base === undefined) continue;
    if (current === undefined) {
      if (SCHEME.test(base) && isUrl(base)) current = base;
      continue;
    }
    current = resolveUrl(base, current);
  }
  return current;
}

/**
 * A URL resolved against `base` (undefined base: unchanged). An absolute URL is returned as
 * written, not re-serialised. Non-ASCII characters stay as written (an IRI stays an IRI, as
 * feedparser keeps it) rather than percent-encoded.
 */
export function resolveUrl(url: string, base: string | undefined): string {
  const trimmed = url.trim();
  if (base === undefined || trimmed === '' || SCHEME.test(trimmed)) return url;
  let resolved: string;
  try {
    resolved = new URL(trimmed, base).href;
  } catch {
    return url;
  }
  // What URL percent-encoded of the non-ASCII characters goes back to them (when neither side
  // had a '%' of its own, every escape sequence is URL's).
  if (!trimmed.includes('%') && !base.includes('%')) resolved = resolved.replace(/(?:%[89A-Fa-f][0-9A-Fa-f])+/g, decodeUtf8Escapes);
  return resolved;
}

/**
 * HTML (escaped or serialised xhtml) with the URLs of its links and media resolved against
 * `base`, honouring the `xml:base` attributes inside it (xhtml). Returned unchanged (the same
 * string, not re-serialised) when no URL changes, or when it is nested deeper than 256 levels.
 */
export function resolveMarkup(html: string, base: string | undefined): string {
  if (base === undefined || !/\s(?:href|src|cite|longdesc|poster|background|action|usemap|data|xml:base)\s*=/i.test(html)) return html;
  const dom = parseDocument(html, { decodeEntities: true });
  let changed = false;
  const stack: { nodes: typeof dom.children; base: string; depth: number }[] = [{ nodes: dom.children, base, depth: 0 }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    // Hostile nesting: dom-serializer recurses (its stack overflows near 3,000 levels). Such
    // markup keeps its links as written; the sanitizer keeps 64 levels of it anyway.
    if (frame.depth > MAX_DEPTH) return html;
    for (const node of frame.nodes) {
      if (!('attribs' in node)) continue;
      const own = node.attribs['xml:base'];
      const scope = own === undefined ? frame.base : resolveUrl(own, frame.base);
      for (const [name, value] of Object.entries(node.attribs)) {
        if (!URL_ATTRIBUTES.has(name.toLowerCase())) continue;
        const resolved = resolveUrl(value, scope);
        if (resolved !== value) {
          node.attribs[name] = resolved;
          changed = true;
        }
      }
      stack.push({ nodes: node.children, base: scope, depth: frame.depth + 1 });
    }
  }
  return changed ? DomUtils.getOuterHTML(dom.children, { xmlMode: false, encodeEntities: 'utf8' }) : html;
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function decodeUtf8Escapes(escapes: string): string {
  try {
    return decodeURIComponent(escapes);
  } catch {
    return escapes;
  }
}
