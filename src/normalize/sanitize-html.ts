/**
 * Article HTML: the allowlist every body passes through before it can reach a feed reader,
 * and the HTML → plain text conversion used for `bodyText`, summaries and matching.
 */
import sanitizeHtml from 'sanitize-html';
import { Parser } from 'htmlparser2';
import { resolveHref } from './urls.ts';

/** Structure and emphasis an article needs; nothing that runs, styles, embeds or submits. */
const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'div', 'a', 'img', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'q', 'cite', 'figure', 'figcaption',
  'em', 'strong', 'b', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark', 'abbr', 'code', 'pre',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];

const ALLOWED_ATTRIBUTES: Record<string, sanitizeHtml.AllowedAttribute[]> = {
  // Direction and language matter in mixed Arabic/Latin copy; nothing else is global.
  '*': ['dir', 'lang'],
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  blockquote: ['cite'],
  q: ['cite'],
  abbr: ['title'],
  ol: ['start'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
};

/** Elements whose content is code, UI chrome or an embed, never article text. */
const DROP_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'template', 'iframe', 'object',
  'embed', 'svg', 'math', 'title', 'head', 'nav', 'form', 'button', 'select', 'video', 'audio',
];

const URL_ATTRIBUTES = ['href', 'src', 'cite'];
const DIRECTIONS = new Set(['ltr', 'rtl', 'auto']);

/**
 * Sanitizes article HTML with a conservative allowlist: paragraphs, headings (an `h1` becomes
 * `h2`, the headline being the record's own), lists, quotes, figures, tables, emphasis, links
 * and images. Scripts, styles, iframes, forms and event-handler attributes are removed;
 * `javascript:`/`data:` and other non-web URLs are dropped (an image left without `src` is
 * removed, a link without `href` keeps its text). Relative `href`/`src`/`cite` become absolute
 * against `baseUrl` when one is given.
 */
export function sanitizeArticleHtml(html: string, baseUrl?: string | null): string {
  return sanitizeHtml(boundNesting(html, NESTING_BOUND), {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: URL_ATTRIBUTES,
    allowProtocolRelative: true,
    nonTextTags: DROP_WITH_CONTENT,
    disallowedTagsMode: 'discard',
    nestingLimit: 64,
    parseStyleAttributes: false,
    transformTags: {
      '*': (tagName, attribs) => {
        const out: sanitizeHtml.Attributes = {};
        for (const [name, value] of Object.entries(attribs)) {
          if (URL_ATTRIBUTES.includes(name)) out[name] = resolveHref(value, baseUrl);
          else if (name === 'dir') {
            const dir = value.trim().toLowerCase();
            if (DIRECTIONS.has(dir)) out[name] = dir;
          } else out[name] = value;
        }
        return { tagName: tagName === 'h1' ? 'h2' : tagName, attribs: out };
      },
    },
    exclusiveFilter: (frame) => {
      if (frame.tag === 'img') return !frame.attribs['src'];
      if (frame.tag === 'a' && !frame.attribs['href']) return 'excludeTag';
      return false;
    },
  });
}

/** True when a string is HTML (tags or entities) rather than plain text. */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/i.test(text) || /&(?:[a-z][a-z0-9]{1,31}|#\d{1,7}|#x[0-9a-f]{1,6});/i.test(text);
}

const BLOCK_TAGS = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'blockquote', 'figure',
  'figcaption', 'table', 'caption', 'pre', 'hr', 'section', 'article', 'header', 'footer',
  'aside', 'main', 'address', 'details', 'summary', 'center',
]);
const LINE_TAGS = new Set(['br', 'li', 'dt', 'dd', 'tr']);
const SKIP_TAGS = new Set(DROP_WITH_CONTENT);
const BLOCK_BREAK = '\u0000B';
const LINE_BREAK = '\u0000L';
/** End of a list item or row: a line break unless another break follows anyway. */
const LINE_END = '\u0000E';

/**
 * Converts HTML to plain text the way a reader sees it: entities decoded, scripts and styles
 * dropped, whitespace collapsed (except in `<pre>`), block elements separated by a blank line,
 * `<br>` and list items on lines of their own.
 */
export function htmlToText(html: string): string {
  let out = '';
  let skipDepth = 0;
  let preDepth = 0;
  const open = (name: string): void => {
    if (SKIP_TAGS.has(name)) skipDepth++;
    if (name === 'pre') preDepth++;
    if (BLOCK_TAGS.has(name)) out += BLOCK_BREAK;
    else if (LINE_TAGS.has(name)) out += LINE_BREAK;
    else if (name === 'td' || name === 'th') out += ' ';
  };
  const close = (name: string): void => {
    if (SKIP_TAGS.has(name) && skipDepth > 0) skipDepth--;
    if (name === 'pre' && preDepth > 0) preDepth--;
    if (BLOCK_TAGS.has(name)) out += BLOCK_BREAK;
    else if (name === 'li' || name === 'dd' || name === 'dt' || name === 'tr') out += LINE_END;
  };
  const parser = new Parser(
    {
      onopentagname: open,
      onclosetag: close,
      ontext: (text) => {
        if (skipDepth > 0) return;
        // Our break markers use NUL, which cannot survive in text anyway.
        const safe = text.replace(/\u0000/g, '');
        out += preDepth > 0 ? safe.replace(/\r?\n/g, LINE_BREAK) : safe.replace(/[ \t\n\r\f]+/g, ' ');
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();

  return out
    .replace(/\u0000E(?=[ ]*\u0000[BLE])/g, '')
    .replace(/\u0000E/g, '\n')
    .replace(/\u0000B/g, '\n\n')
    .replace(/\u0000L/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Depth past which tags are dropped before parsing: far above sanitize-html's `nestingLimit` (64), which discards them anyway. */
const NESTING_BOUND = 256;
/** Elements that hold no content, and elements HTML closes by themselves when a sibling opens: they add no depth. */
const NO_DEPTH = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'rt', 'rp', 'tbody', 'thead', 'tfoot']);
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>/g;

/**
 * Drops the start and end tags of elements nested deeper than `bound` (their text stays), in one
 * linear pass. htmlparser2, under sanitize-html, keeps its open elements in an array it shifts
 * and unshifts: quadratic in depth (HTML nested 100,000 deep, 700 kB escaped in a description,
 * held the event loop for seconds). What sanitize-html makes of the rest is unchanged: it drops
 * every tag past 64 levels itself.
 */
function boundNesting(html: string, bound: number): string {
  let depth = 0;
  let deepest = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    if (NO_DEPTH.has(m[2]!.toLowerCase()) || m[0].endsWith('/>')) continue;
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > deepest) deepest = depth;
  }
  if (deepest <= bound) return html;
  depth = 0;
  return html.replace(TAG, (tag, close: string, name: string) => {
    if (NO_DEPTH.has(name.toLowerCase()) || tag.endsWith('/>')) return tag;
    if (close) {
      depth = Math.max(0, depth - 1);
      return depth >= bound ? '' : tag;
    }
    depth++;
    return depth > bound ? '' : tag;
  });
}

