/**
 * Hostile markup for the property tests (fast-check arbitraries), and the checker that says
 * whether an ArticleRecord carries anything a reader would run: a script element (or another
 * element that runs or embeds code), an event-handler attribute, or a `javascript:` /
 * `vbscript:` / `data:text/html` URL in bodyHtml, url, images or related.
 *
 * bodyHtml is read with htmlparser2 the way a browser reads it (entities decoded, names
 * lower-cased); a URL is judged as a browser does: tabs and newlines dropped, leading controls
 * and spaces trimmed, scheme case-insensitive.
 */
import fc from 'fast-check';
import { Parser } from 'htmlparser2';

import type { ArticleRecord } from '../../src/model/article-record.ts';

export const SCRIPT_URLS = [
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', '\u0001javascript:alert(1)', 'java\tscript:alert(1)',
  'java\nscript:alert(1)', 'jav&#x09;ascript:alert(1)', '&#106;avascript:alert(1)', '&#x6A;avascript:alert(1)',
  '&#0000106&#0000097vascript:alert(1)', 'javascript&colon;alert(1)', 'vbscript:msgbox(1)', 'VBScript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>', 'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', ' data:text/html;charset=utf-8,x',
  'livescript:alert(1)',
];
export const FINE_URLS = ['http://127.0.0.1/story/1', 'https://127.0.0.1/a?b=1&c=2#d', '//127.0.0.1/x.jpg', '/relative/path', 'story.html', 'mailto:desk@127.0.0.1', ''];
export const url = fc.oneof(fc.constantFrom(...SCRIPT_URLS), fc.constantFrom(...FINE_URLS), fc.webUrl(), fc.string({ unit: 'grapheme', maxLength: 20 }));

/** HTML that must come out inert, with the URLs above in every attribute that takes one. */
export const hostileHtml = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>', '<SCRIPT SRC=//127.0.0.1/x.js></SCRIPT>', '<scr<script>ipt>alert(1)</scr</script>ipt>', '<<script>script>alert(1)</script>',
    '<img src=x onerror=alert(1)>', '<img src="x" ONERROR="alert(1)">', '<img/src="x"/onerror=alert(1)>', '<svg onload=alert(1)>', '<svg><script>alert(1)</script></svg>',
    '<body onload=alert(1)>', '<div onclick="alert(1)">x</div>', '<p onmouseover=alert(1)>', '<a href="x" onfocus=alert(1) autofocus>', "' onmouseover='alert(1)",
    '"><script>alert(1)</script>', '</textarea><script>alert(1)</script>', '</title><script>alert(1)</script>', '<!--<script>alert(1)</script>-->',
    '<![CDATA[<script>alert(1)</script>]]>', '<iframe srcdoc="<script>alert(1)</script>"></iframe>', '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">', '<form action="javascript:alert(1)"><button>go</button></form>', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">', '<base href="javascript:alert(1)//">', '<img srcset="javascript:alert(1) 1x">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', '<div style="background:url(javascript:alert(1))">', '<style>*{x:expression(alert(1))}</style>',
    '<isindex action="javascript:alert(1)">', '<details open ontoggle=alert(1)>', '<video><source onerror=alert(1)></video>', '<template><script>alert(1)</script></template>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '<a href="http://127.0.0.1/ok">ok</a>', '<p>Paragraph</p>', '<b>bold</b>', '<br>',
  ),
  fc.tuple(fc.constantFrom('a href', 'img src', 'q cite', 'blockquote cite', 'iframe src', 'area href', 'form action', 'img lowsrc', 'image href', 'a xlink:href'), fc.constantFrom(...SCRIPT_URLS, ...FINE_URLS), fc.constantFrom('"', "'", ''))
    .map(([tagAttr, u, q]) => {
      const [tag, attr] = tagAttr.split(' ');
      const value = q === '' ? u.replace(/[\s"'<>`=]/g, '') : u.replace(new RegExp(q, 'g'), '');
      return `<${tag} ${attr}=${q}${value}${q}>text</${tag}>`;
    }),
);

/** Text pieces: entities (XML's, HTML's, unknown, numeric), controls, bidi marks, scripts of every direction. */
export const textPiece = fc.constantFrom(
  '&', '&amp;', '&lt;script&gt;alert(1)&lt;/script&gt;', '&amp;lt;script&amp;gt;', '&#60;script&#62;', '&nbsp;', '&eacute;', '&bogus;', '&#0;', '&#xFFFF;',
  '<', '>', '"', "'", ']]>', 'onerror=alert(1)', 'javascript:alert(1)', '\u0001', '\u0007', '\u000B', '\u001B', '\u007F', '\u0085', '\u0092', '\uFEFF', '\uFFFE',
  '\uD800', '\u202E', '\u202B', '\u200F', '\u200E', '\u061C', '\u2066', 'عاجل', 'القدس', 'été', '😀', '\n', '\t', ' ', 'x',
);
export const hostileString = fc.array(fc.oneof({ weight: 3, arbitrary: textPiece }, { weight: 2, arbitrary: hostileHtml }, { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) }), { maxLength: 8 }).map((parts) => parts.join(''));

/** A URL a browser would run: tabs and newlines dropped, leading C0 controls and spaces trimmed, any case. */
// eslint-disable-next-line no-control-regex
export const runnable = (value: string) => /^(?:javascript:|vbscript:|livescript:|data:text\/html)/.test(value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '').toLowerCase()) || /^(?:javascript|vbscript):/i.test(value.replace(/[\u0000-\u0020]/g, ''));
const SCRIPTING_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'frame', 'frameset', 'applet', 'base', 'meta', 'link', 'form', 'svg', 'math', 'style', 'template', 'noscript']);

/** Everything in one record that could run in a reader. */
export function unsafeParts(a: ArticleRecord): string[] {
  const found: string[] = [];
  if (/<\s*\/?\s*script/i.test(a.bodyHtml)) found.push('bodyHtml: the text "<script"');
  const parser = new Parser(
    {
      onopentag: (name, attribs) => {
        if (SCRIPTING_ELEMENTS.has(name)) found.push(`bodyHtml: a <${name}> element`);
        for (const [attr, value] of Object.entries(attribs)) {
          if (/^on/i.test(attr)) found.push(`bodyHtml: the event handler ${attr}="${value}" on <${name}>`);
          if (runnable(value)) found.push(`bodyHtml: ${attr}="${value}" on <${name}>`);
          if (attr === 'srcset' || attr === 'style') found.push(`bodyHtml: a ${attr} attribute on <${name}>`);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(a.bodyHtml);
  parser.end();
  if (a.url !== null && runnable(a.url)) found.push(`url: ${a.url}`);
  for (const image of a.images) if (image.url !== null && runnable(image.url)) found.push(`images: ${image.url}`);
  for (const link of a.related) if (link.url !== null && runnable(link.url)) found.push(`related: ${link.url}`);
  return found;
}
