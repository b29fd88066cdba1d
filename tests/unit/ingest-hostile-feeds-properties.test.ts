/**
 * Property: a well-formed RSS 2.0, Atom 1.0 or JSON Feed 1.1 document whose every field is an
 * arbitrary string — hostile ones included: `<script>`, event handlers, `javascript:` /
 * `vbscript:` / `data:text/html` URLs (in every disguise a browser still runs: case, entities,
 * tabs, leading spaces), entities, control characters, RTL marks — ingests without throwing
 * (decodeBody → ingestDocument, the pure path of an ingest job), and no stored article (the
 * ArticleRecord) carries a script element, an event-handler attribute or such a URL in
 * bodyHtml, url, images or related (tests/helpers/hostile-markup.ts says how that is judged).
 * fast-check runs with a fixed seed; a failure prints it and the shrunk feed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { loadConfig } from '../../src/config/load-config.ts';
import type { SourceConfig } from '../../src/config/schema.ts';
import { decodeBody } from '../../src/fetch/decode-body.ts';
import { ingestDocument } from '../../src/ingest/ingest-document.ts';
import { createPipeline } from '../../src/ingest/pipeline.ts';
import type { ArticleRecord } from '../../src/model/article-record.ts';
import { hostileString, unsafeParts, url } from '../helpers/hostile-markup.ts';

const SEED = 20200410;
const RUNS = 200;

const pipeline = createPipeline(loadConfig('config', {}));
const source: SourceConfig = { id: 'prop-feeds', type: 'feed', url: 'http://127.0.0.1:9/feed', every: 60_000, topics: [], categories: {}, enabled: true };
const NOW = new Date('2026-11-21T12:00:00.000Z');

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
