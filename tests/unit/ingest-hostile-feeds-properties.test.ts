/**
 * Property: a well-formed RSS 2.0, Atom 1.0 or JSON Feed 1.1 document whose every field is an
 * arbitrary string — hostile ones included: `<script>`, event handlers, `javascript:` /
 * `vbscript:` / `data:text/html` URLs (in every disguise a browser still runs: case, entities,
 * tabs, leading spaces), entities, control characters, RTL marks — ingests without throwing
 * (decodeBody → ingestDocument, the pure path of an ingest job), and no stored article (the
 * ArticleRecord) carries a script element, an event-handler attribute or such a URL in
 * bodyHtml, url, images or related.
 *
 * The HTML of bodyHtml is read with htmlparser2 the way a browser reads it (entities decoded);
 * a URL is judged as a browser does: tabs and newlines dropped, leading controls and spaces
 * trimmed, scheme case-insensitive. fast-check runs with a fixed seed; a failure prints it
 * and the shrunk feed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';
import { Parser } from 'htmlparser2';

import { loadConfig } from '../../src/config/load-config.ts';
import type { SourceConfig } from '../../src/config/schema.ts';
import { decodeBody } from '../../src/fetch/decode-body.ts';
import { ingestDocument } from '../../src/ingest/ingest-document.ts';
import { createPipeline } from '../../src/ingest/pipeline.ts';
import type { ArticleRecord } from '../../src/model/article-record.ts';

const SEED = 20200410;
const RUNS = 200;

const pipeline = createPipeline(loadConfig('config', {}));
const source: SourceConfig = { id: 'prop-feeds', type: 'feed', url: 'http://127.0.0.1:9/feed', every: 60_000, topics: [], categories: {}, enabled: true };
const NOW = new Date('2026-11-21T12:00:00.000Z');

const SCRIPT_URLS = [
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', '\u0001javascript:alert(1)', 'java\tscript:alert(1)',
  'java\nscript:alert(1)', 'jav&#x09;ascript:alert(1)', '&#106;avascript:alert(1)', '&#x6A;avascript:alert(1)',
  '&#0000106&#0000097vascript:alert(1)', 'javascript&colon;alert(1)', 'vbscript:msgbox(1)', 'VBScript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>', 'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', ' data:text/html;charset=utf-8,x',
  'livescript:alert(1)',
];
const FINE_URLS = ['http://127.0.0.1/story/1', 'https://127.0.0.1/a?b=1&c=2#d', '//127.0.0.1/x.jpg', '/relative/path', 'story.html', 'mailto:desk@127.0.0.1', ''];
const url = fc.oneof(fc.constantFrom(...SCRIPT_URLS), fc.constantFrom(...FINE_URLS), fc.webUrl(), fc.string({ unit: 'grapheme', maxLength: 20 }));

/** HTML that must come out inert, with the URLs above in every attribute that takes one. */
const hostileHtml = fc.oneof(
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
const textPiece = fc.constantFrom(
  '&', '&amp;', '&lt;script&gt;alert(1)&lt;/script&gt;', '&amp;lt;script&amp;gt;', '&#60;script&#62;', '&nbsp;', '&eacute;', '&bogus;', '&#0;', '&#xFFFF;',
  '<', '>', '"', "'", ']]>', 'onerror=alert(1)', 'javascript:alert(1)', '\u0001', '\u0007', '\u000B', '\u001B', '\u007F', '\u0085', '\u0092', '\uFEFF', '\uFFFE',
  '\uD800', '\u202E', '\u202B', '\u200F', '\u200E', '\u061C', '\u2066', 'عاجل', 'القدس', 'été', '😀', '\n', '\t', ' ', 'x',
);
const hostileString = fc.array(fc.oneof({ weight: 3, arbitrary: textPiece }, { weight: 2, arbitrary: hostileHtml }, { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) }), { maxLength: 8 }).map((parts) => parts.join(''));

const item = fc.record({
  title: hostileString,
  body: hostileString,
  summary: hostileString,
  link: url,
  image: url,
  related: url,
  author: hostileString,
  category: hostileString,
  guid: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
  cdata: fc.boolean(),
});
const feed = fc.record({
  format: fc.constantFrom('rss', 'atom', 'json-feed'),
  title: hostileString,
  link: url,
  items: fc.array(item, { minLength: 1, maxLength: 3 }),
});
type Feed = typeof feed extends fc.Arbitrary<infer T> ? T : never;

/** XML 1.0 cannot carry these at all (not even as character references): a well-formed feed leaves them out. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const xmlText = (s: string) => s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlAttr = (s: string) => xmlText(s).replace(/"/g, '&quot;');
const cdata = (s: string) => `<![CDATA[${s.replace(NOT_XML, '').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
/** Every story has a plain word in its headline: an item with neither title nor body is rejected by design. */
const headline = (s: string) => `Story ${s}`;

function render(f: Feed): string {
  const ids = f.items.map((it, i) => `${it.guid}-${i}`);
  if (f.format === 'json-feed') {
    return JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: f.title,
      home_page_url: f.link,
      items: f.items.map((it, i) => ({
        id: ids[i],
        url: it.link,
        external_url: it.related,
        title: headline(it.title),
        content_html: it.body,
        summary: it.summary,
        image: it.image,
        attachments: [{ url: it.image, mime_type: 'image/jpeg' }],
        authors: [{ name: it.author, url: it.related }],
        tags: [it.category],
        date_published: '2026-11-20T08:00:00Z',
      })),
    });
  }
  if (f.format === 'atom') {
    const entries = f.items.map((it, i) => `<entry><id>urn:x:${xmlText(ids[i]!)}</id><title type="html">${xmlText(headline(it.title))}</title>`
      + `<link rel="alternate" href="${xmlAttr(it.link)}"/><link rel="enclosure" type="image/jpeg" href="${xmlAttr(it.image)}"/><link rel="related" href="${xmlAttr(it.related)}"/>`
      + `<updated>2026-11-20T08:00:00Z</updated><author><name>${xmlText(it.author)}</name><uri>${xmlText(it.related)}</uri></author><category term="${xmlAttr(it.category)}"/>`
      + `<summary type="html">${xmlText(it.summary)}</summary><content type="html">${it.cdata ? cdata(it.body) : xmlText(it.body)}</content></entry>`);
    return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">${xmlText(f.title)}</title><id>urn:x:feed</id>`
      + `<link href="${xmlAttr(f.link)}"/><updated>2026-11-20T08:00:00Z</updated>${entries.join('')}</feed>`;
  }
  const items = f.items.map((it, i) => `<item><guid isPermaLink="false">${xmlText(ids[i]!)}</guid><title>${xmlText(headline(it.title))}</title><link>${xmlText(it.link)}</link>`
    + `<description>${it.cdata ? cdata(it.summary) : xmlText(it.summary)}</description><content:encoded>${it.cdata ? cdata(it.body) : xmlText(it.body)}</content:encoded>`
    + `<enclosure url="${xmlAttr(it.image)}" type="image/jpeg" length="1"/><media:content url="${xmlAttr(it.image)}" medium="image"/>`
    + `<dc:creator>${xmlText(it.author)}</dc:creator><category>${xmlText(it.category)}</category><source url="${xmlAttr(it.related)}">${xmlText(it.title)}</source>`
    + `<pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item>`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">`
    + `<channel><title>${xmlText(f.title)}</title><link>${xmlText(f.link)}</link><description>d</description>${items.join('')}</channel></rss>`;
}

const CONTENT_TYPE = { rss: 'application/rss+xml; charset=utf-8', atom: 'application/atom+xml', 'json-feed': 'application/feed+json' } as const;

/** A URL a browser would run: tabs and newlines dropped, leading C0 controls and spaces trimmed, any case. */
// eslint-disable-next-line no-control-regex
const runnable = (value: string) => /^(?:javascript|vbscript|livescript|data:text\/html)/.test(value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '').toLowerCase()) || /^(?:javascript|vbscript):/i.test(value.replace(/[\u0000-\u0020]/g, ''));
const SCRIPTING_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'frame', 'frameset', 'applet', 'base', 'meta', 'link', 'form', 'svg', 'math', 'style', 'template', 'noscript']);

/** Everything in one record that could run in a reader. */
function unsafeParts(a: ArticleRecord): string[] {
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

describe('hostile well-formed feeds through one ingest job (pure path, no Redis)', () => {
  it('the checker itself finds every kind of danger it is meant to find', () => {
    const base = { url: null, images: [], related: [] } as unknown as ArticleRecord;
    const cases: Array<[Partial<ArticleRecord>, RegExp]> = [
      [{ bodyHtml: '<p>x</p><SCRIPT>1</SCRIPT>' }, /<script>|"<script"/],
      [{ bodyHtml: '<img src="http://127.0.0.1/a.jpg" OnError="x()">' }, /event handler onerror/],
      [{ bodyHtml: '<a href="&#106;ava&#x09;script:x()">a</a>' }, /href="javascript:x\(\)"|href="java\tscript/],
      [{ bodyHtml: '<a href=" VBScript:x">a</a>' }, /href=" VBScript:x"/],
      [{ bodyHtml: '<iframe src="data:text/html,x"></iframe>' }, /<iframe>/],
      [{ bodyHtml: '', url: '\u0001javascript:x' }, /^url:/],
      [{ bodyHtml: '', images: [{ url: 'DATA:text/html,x', caption: null, credit: null }] }, /^images:/],
      [{ bodyHtml: '', related: [{ title: 't', url: 'java\nscript:x' }] }, /^related:/],
    ];
    for (const [fields, expected] of cases) {
      const found = unsafeParts({ ...base, ...fields } as ArticleRecord);
      assert.ok(found.some((f) => expected.test(f)), `${JSON.stringify(fields)} → ${JSON.stringify(found)}`);
    }
    assert.deepEqual(unsafeParts({ ...base, bodyHtml: '<p>onerror=alert(1) &lt;script&gt; javascript:x</p><a href="http://127.0.0.1/">ok</a>' } as ArticleRecord), []);
  });

  it(`ingest without throwing and store nothing that runs (${RUNS} runs, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(feed, async (f) => {
        const text = render(f);
        const contentType = CONTENT_TYPE[f.format as keyof typeof CONTENT_TYPE];
        const body = decodeBody(new Uint8Array(Buffer.from(text, 'utf8')), contentType);
        const { articles, skipped } = await ingestDocument({ body, contentType, url: 'http://127.0.0.1:9/feed' }, source, pipeline, NOW);
        assert.deepEqual(skipped, [], text);
        assert.equal(articles.length, f.items.length, `every item is an article: ${text}`);
        const unsafe = articles.flatMap(unsafeParts);
        assert.deepEqual(unsafe, [], `stored articles that could run code, from ${text}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
