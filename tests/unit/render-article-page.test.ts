import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Parser } from 'htmlparser2';
import { loadConfig } from '../../src/config/load-config.ts';
import type { SourceConfig } from '../../src/config/schema.ts';
import { ingestDocument } from '../../src/ingest/ingest-document.ts';
import { createPipeline } from '../../src/ingest/pipeline.ts';
import type { ArticleRecord } from '../../src/model/article-record.ts';
import { NEVER, pageContext, renderArticlePage } from '../../src/render/article-page.ts';
import { article } from '../helpers/article.ts';

const config = loadConfig('config', { PUBLIC_URL: 'https://news.example.net' });
const pipeline = createPipeline(config);
const ctx = pageContext(config);
const inbox: SourceConfig = { id: 'agency-inbox', type: 'directory', path: '.', every: 5000, topics: [], categories: {}, enabled: true };
const NOW = new Date('2026-11-21T12:00:00.000Z');

interface Element {
  name: string;
  attrs: Record<string, string>;
  text: string;
}

/** Every element of `html` with its attributes and its own text (what a browser's parser sees). */
function elements(html: string): Element[] {
  const out: Element[] = [];
  const open: Element[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const el = { name, attrs, text: '' };
        out.push(el);
        open.push(el);
      },
      ontext(text) {
        for (const el of open) el.text += text;
      },
      onclosetag() {
        open.pop();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

async function normalized(body: string, source = inbox): Promise<ArticleRecord> {
  const { articles } = await ingestDocument({ body }, source, pipeline, NOW);
  assert.equal(articles.length, 1);
  return articles[0]!;
}

function jsonLdOf(html: string): Record<string, unknown> {
  const blocks = elements(html).filter((e) => e.name === 'script');
  assert.equal(blocks.length, 1, 'one script element: the JSON-LD data block');
  assert.equal(blocks[0]!.attrs.type, 'application/ld+json');
  return JSON.parse(blocks[0]!.text) as Record<string, unknown>;
}

describe('renderArticlePage: the Arabic seed through the normalize pipeline', async () => {
  const seed = await normalized(readFileSync('tests/fixtures/wire/seed-ar-kremlin.txt', 'utf8'));
  const page = renderArticlePage(seed, ctx);
  const els = elements(page.body);

  it('is an Arabic right-to-left document, served at once', () => {
    const html = els.find((e) => e.name === 'html')!;
    assert.equal(html.attrs.lang, 'ar');
    assert.equal(html.attrs.dir, 'rtl');
    assert.equal(page.status, 200);
    assert.equal(page.availableAt, 0);
    assert.match(page.body, /^<!doctype html>\n/);
  });

  it('opens the story with the dateline as the agency printed it, after the headline', () => {
    const dateline = els.find((e) => e.attrs.class === 'dateline');
    assert.equal(dateline?.text, 'أخبار الآن | موسكو – روسيا (وكالات)');
    assert.equal(els.find((e) => e.name === 'h1')?.text, seed.headline);
    const lede = page.body.indexOf('<p>أعلن الكرملين');
    assert.ok(lede > 0 && page.body.indexOf('class="dateline"') < lede, 'the dateline stands before the lede');
  });

  it('credits the image REUTERS in a figure caption, labelled in Arabic', () => {
    const credit = els.find((e) => e.attrs.class === 'credit');
    assert.equal(credit?.text, 'مصدر الصورة: REUTERS');
    assert.ok(els.some((e) => e.name === 'figcaption' && e.text.includes('REUTERS')));
    // No image to show: the credit stays after the story, where the copy printed it.
    assert.ok(page.body.indexOf('class="credit"') > page.body.lastIndexOf('<p>وأرسلت موسكو'));
  });

  it('lists the read-also story under an Arabic heading', () => {
    const related = els.find((e) => e.attrs.class === 'related');
    assert.ok(related, 'a related section');
    assert.match(related.text, /إقرأ أيضاً/);
    assert.match(related.text, /الاتحاد الأوروبي يعقد قمة في 23 نيسان\/أبريل لبحث الانتعاش الاقتصادي/);
  });

  it('links each topic to its Arabic feed, titled in Arabic', () => {
    const links = els.filter((e) => e.name === 'a' && e.attrs.href?.includes('/feeds/') && !e.attrs.href.includes('/source/'));
    assert.deepEqual(
      links.map((a) => [a.attrs.href, a.text]).sort(),
      [
        ['https://news.example.net/feeds/economy.ar.rss', 'اقتصاد، اعمال ومال'],
        ['https://news.example.net/feeds/health.ar.rss', 'صحة'],
        ['https://news.example.net/feeds/politics.ar.rss', 'سياسة'],
        ['https://news.example.net/feeds/science-technology.ar.rss', 'علوم وتكنولوجيا'],
      ],
    );
  });

  it('gives the publication time in a <time> element; no canonical link without a source URL; the record as alternate', () => {
    const time = els.find((e) => e.name === 'time');
    assert.equal(time?.attrs.datetime, new Date(seed.published).toISOString());
    assert.match(time!.text, /2026|٢٠٢٦/);
    assert.equal(els.find((e) => e.name === 'link' && e.attrs.rel === 'canonical'), undefined);
    const alt = els.find((e) => e.name === 'link' && e.attrs.rel === 'alternate');
    assert.equal(alt?.attrs.type, 'application/json');
    assert.equal(alt?.attrs.href, `https://news.example.net/articles/${seed.id}.json`);
  });

  it('carries schema.org NewsArticle JSON-LD with headline, datePublished and inLanguage', () => {
    const ld = jsonLdOf(page.body);
    assert.equal(ld['@type'], 'NewsArticle');
    assert.equal(ld['@context'], 'https://schema.org');
    assert.equal(ld.headline, seed.headline);
    assert.equal(ld.datePublished, new Date(seed.published).toISOString());
    assert.match(String(ld.datePublished), /^2026-11-20T/);
    assert.equal(ld.inLanguage, 'ar');
    assert.equal(ld.dateline, 'أخبار الآن | موسكو – روسيا (وكالات)');
    assert.equal(ld.url, `https://news.example.net/articles/${seed.id}`);
  });

  it('has no external asset: styles inline, no stylesheet link, no script source, no image without its story', () => {
    assert.ok(els.some((e) => e.name === 'style'));
    assert.ok(!els.some((e) => e.name === 'link' && e.attrs.rel === 'stylesheet'));
    assert.ok(!els.some((e) => e.name === 'script' && 'src' in e.attrs));
    assert.ok(!els.some((e) => e.name === 'img'), 'the seed has an image credit but no image URL');
    assert.ok(els.some((e) => e.name === 'meta' && e.attrs.name === 'viewport'));
  });
});

describe('renderArticlePage: hostile input', () => {
  it('keeps a </script> headline and line separators inside the JSON-LD block, which still parses', async () => {
    const a = article('00ff00ff00ff', {
      headline: 'Markets </script><script>alert(1)</script> <!-- fall \u2028 again \u2029',
      authors: ['</SCRIPT >x'],
    });
    const page = renderArticlePage(a, ctx);
    const ld = jsonLdOf(page.body);
    assert.equal(ld.headline, 'Markets </script><script>alert(1)</script> <!-- fall again');
    assert.deepEqual(ld.author, [{ '@type': 'Person', name: '</SCRIPT >x' }]);
    // The raw block holds neither `<` nor a raw line separator.
    const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.body)![1]!;
    assert.doesNotMatch(block, /[<>\u2028\u2029]/);
    assert.equal(elements(page.body).find((e) => e.name === 'h1')?.text, ld.headline);
    assert.equal(elements(page.body).find((e) => e.name === 'title')?.text, ld.headline);
  });

  it('a <script> or event handler in a pushed body never reaches the page (pipeline and page both sanitize)', async () => {
    const item =
      '<item><guid>evil-1</guid><title>Council &lt;/script&gt; vote</title><link>https://news.example.org/evil</link>' +
      '<description><![CDATA[<p>Before</p><script>alert(1)</script><img src="https://img.example.org/a.jpg" onerror="alert(2)"><a href="javascript:alert(3)">x</a><p>After</p>]]></description></item>';
    const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://news.example.org/</link><description>d</description>${item}</channel></rss>`;
    const a = await normalized(body);
    // A record stored by anything else: the page sanitizes again.
    for (const record of [a, { ...a, bodyHtml: `${a.bodyHtml}<script>alert(4)</script><p onclick="alert(5)">tail</p><iframe src="https://evil.example"></iframe>` }]) {
      const page = renderArticlePage(record, ctx);
      const els = elements(page.body);
      assert.deepEqual(els.filter((e) => e.name === 'script').map((e) => e.attrs.type), ['application/ld+json']);
      assert.ok(!els.some((e) => e.name === 'iframe'));
      for (const e of els) {
        for (const [name, value] of Object.entries(e.attrs)) {
          assert.ok(!name.startsWith('on'), `no event handler attribute (${e.name} ${name})`);
          assert.doesNotMatch(value, /^\s*javascript:/i);
        }
      }
      assert.doesNotMatch(page.body, /alert\(\d\)/);
      assert.match(page.body, /<p>After<\/p>/);
      assert.equal(els.find((e) => e.name === 'link' && e.attrs.rel === 'canonical')?.attrs.href, 'https://news.example.org/evil');
      assert.equal(jsonLdOf(page.body).headline, a.headline);
    }
  });
});

describe('renderArticlePage: status', () => {
  it('a canceled story becomes a short withdrawn page with status 410 and none of the story', () => {
    const page = renderArticlePage(article('aa11aa11aa11', { status: 'canceled', headline: 'Secret headline', bodyHtml: '<p>Secret body</p>' }), ctx);
    assert.equal(page.status, 410);
    assert.doesNotMatch(page.body, /Secret/);
    assert.match(page.body, /withdrawn/);
  });

  it('an embargoed story is available from its embargo, a withheld one not at all', () => {
    assert.equal(renderArticlePage(article('bb22bb22bb22', { embargoUntil: '2026-11-22T06:00:00.000Z' }), ctx).availableAt, Date.parse('2026-11-22T06:00:00.000Z'));
    assert.equal(renderArticlePage(article('bb22bb22bb22', { status: 'withheld' }), ctx).availableAt, NEVER);
  });

  it('an English story: ltr, authors, a photo with caption and credit, canonical source URL, the updated time', () => {
    const page = renderArticlePage(
      article('cc33cc33cc33', {
        authors: ['Jane Doe'],
        updated: '2026-11-20T12:30:00.000Z',
        images: [{ url: 'https://img.example.org/p.jpg', caption: 'The harbour', credit: 'AFP' }],
        related: [{ title: 'Earlier story', url: 'https://news.example.org/earlier' }],
      }),
      ctx,
    );
    const els = elements(page.body);
    const html = els.find((e) => e.name === 'html')!;
    assert.deepEqual([html.attrs.lang, html.attrs.dir], ['en', 'ltr']);
    assert.equal(els.find((e) => e.name === 'img')?.attrs.src, 'https://img.example.org/p.jpg');
    assert.equal(els.find((e) => e.name === 'figcaption')?.text, 'The harbour Image: AFP');
    assert.equal(els.find((e) => e.name === 'link' && e.attrs.rel === 'canonical')?.attrs.href, 'https://news.example.org/cc33cc33cc33');
    assert.deepEqual(els.filter((e) => e.name === 'time').map((e) => e.attrs.datetime), ['2026-11-20T10:00:00.000Z', '2026-11-20T12:30:00.000Z']);
    assert.ok(els.some((e) => e.name === 'a' && e.attrs.href === 'https://news.example.org/earlier' && e.text === 'Earlier story'));
    assert.ok(els.some((e) => e.name === 'a' && e.attrs.href === 'https://news.example.net/feeds/economy.en.rss' && e.text === 'Economy, business and finance'));
    const ld = jsonLdOf(page.body);
    assert.equal(ld.dateModified, '2026-11-20T12:30:00.000Z');
    assert.deepEqual(ld.image, ['https://img.example.org/p.jpg']);
  });
});
