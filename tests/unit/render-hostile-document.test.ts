/**
 * Hostile copy end to end (issue 10, "Bad input"): a document whose items carry control
 * characters, unpaired surrogates, `]]>`, `<script>`, a 1 MB headline and URLs with spaces and
 * quotes goes through the ingest's core and still gives well-formed, inert RSS, Atom, JSON Feed
 * and article pages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Parser } from 'htmlparser2';
import { loadConfig } from '../../src/config/load-config.ts';
import type { SourceConfig } from '../../src/config/schema.ts';
import { ingestDocument } from '../../src/ingest/ingest-document.ts';
import { createPipeline } from '../../src/ingest/pipeline.ts';
import { pageContext, renderArticlePage } from '../../src/render/article-page.ts';
import { renderAtom } from '../../src/render/atom.ts';
import { feedCatalog, feedMeta } from '../../src/render/feed-catalog.ts';
import { renderJsonFeed } from '../../src/render/json-feed.ts';
import { renderRss } from '../../src/render/rss.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

const config = loadConfig('config', { PUBLIC_URL: 'https://news.example.org' });
const pipeline = createPipeline(config);
const source: SourceConfig = { id: 'hostile', type: 'directory', path: '.', every: 5000, topics: [], categories: {}, enabled: true };

const NASTY = [
  'control \u0001\u0007\u001b\u007f\u0085 characters',
  'a lone surrogate \ud800 and another \udfff here',
  'CDATA end ]]> in the text ]]]]><![CDATA[>',
  '<script>alert(1)</script><img src=x onerror=alert(2)>',
  '\u202e reversed \u2066 isolates \u2069 and U+2028\u2028 U+2029\u2029',
];

const items = NASTY.map((text, i) => ({
  id: `https://news.example.org/a b/"quoted"/${i}?q=<x>&y='z'`,
  url: `https://news.example.org/a b/"quoted"/${i}?q=<x>&y='z'`,
  title: i === 0 ? `${text} ${'long headline '.repeat(75_000)}` : `${text} headline ${i}`,
  content_html: `<p>${text}</p><p>Second paragraph with ${text} again.</p><script>alert(3)</script><a href="javascript:alert(4)">x</a>`,
  summary: text,
  authors: [{ name: `${text} author` }],
  tags: [text],
  image: `https://img.example.org/a b/"${i}".jpg`,
  date_published: new Date(Date.now() - i * 60_000).toISOString(),
}));
// JSON.stringify writes lone surrogates as \u escapes: the document itself is valid JSON.
const body = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'hostile', items });

describe('a hostile document', async () => {
  const { articles } = await ingestDocument({ body, contentType: 'application/feed+json' }, source, pipeline, new Date());
  const entry = feedCatalog(config).find((f) => f.id === 'all')!;
  const meta = feedMeta(entry, 'https://news.example.org', articles, new Date(), 'Wirefeed test', config.topics);

  it('is ingested whole, its headline capped', () => {
    assert.equal(articles.length, NASTY.length);
    assert.ok(articles.every((a) => a.headline.length <= 300));
  });

  for (const [name, render] of [['RSS', renderRss], ['Atom', renderAtom]] as const) {
    it(`gives a well-formed ${name} feed with nothing executable`, () => {
      const xml = render(meta, articles);
      assert.deepEqual(xmlProblems(xml), []);
      assert.doesNotMatch(xml, /[\u0001-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
      assert.doesNotMatch(xml, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/, 'no lone surrogate');
      assert.doesNotMatch(xml, /<script|javascript:|onerror=/i);
    });
  }

  it('gives a JSON Feed that parses, with nothing executable in its HTML', () => {
    const feed = JSON.parse(renderJsonFeed(meta, articles)) as { items: { content_html?: string; url?: string }[] };
    assert.equal(feed.items.length, NASTY.length);
    for (const item of feed.items) assert.doesNotMatch(item.content_html ?? '', /<script|javascript:|onerror=/i);
    for (const item of feed.items) if (item.url) assert.doesNotThrow(() => new URL(item.url!), item.url);
  });

  it('gives article pages that parse, run no script and keep their JSON-LD valid', () => {
    const ctx = pageContext(config);
    for (const a of articles) {
      const page = renderArticlePage(a, ctx).body;
      const scripts: { type: string; text: string }[] = [];
      let current: { type: string; text: string } | null = null;
      const parser = new Parser({
        onopentag(name, attrs) {
          if (name === 'script') current = { type: attrs.type ?? '', text: '' };
          for (const [k, v] of Object.entries(attrs)) {
            assert.ok(!/^on/i.test(k), `event handler ${k}`);
            assert.doesNotMatch(v, /^\s*javascript:/i, `${k}=${v}`);
          }
        },
        ontext(text) {
          if (current) current.text += text;
        },
        onclosetag(name) {
          if (name === 'script' && current) scripts.push(current), (current = null);
        },
      });
      parser.write(page);
      parser.end();
      assert.deepEqual(scripts.map((s) => s.type), ['application/ld+json'], 'the JSON-LD is the only script');
      assert.doesNotThrow(() => JSON.parse(scripts[0]!.text));
    }
  });
});
