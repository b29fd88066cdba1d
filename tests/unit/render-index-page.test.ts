/** The home page: topics titled in every feed language, languages headed in their own, every feed discoverable. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import { feedCatalog } from '../../src/render/feed-catalog.ts';
import { INDEX_NEWEST, languageName, renderIndexPage } from '../../src/render/index-page.ts';
import { ARABIC, ENGLISH, HOSTILE } from '../fixtures/render/articles.ts';

const config = loadConfig('config', { PUBLIC_URL: 'https://news.example.org' });
const catalog = feedCatalog(config);
const html = renderIndexPage(catalog, 'https://news.example.org', '9.9.9');

describe('the index page', () => {
  it('names each language in that language', () => {
    const cases: Array<[string, string]> = [['ar', 'العربية'], ['en', 'English'], ['fr', 'Français'], ['zz', 'zz']];
    for (const [lang, name] of cases) assert.equal(languageName(lang), name, lang);
  });

  it('heads each language section in its own language, laid out in its direction', () => {
    assert.match(html, /<section lang="ar" dir="rtl">\n<h2>العربية<\/h2>/);
    assert.match(html, /<section lang="en" dir="ltr">\n<h2>English<\/h2>/);
    assert.match(html, /<section lang="fr" dir="ltr">\n<h2>Français<\/h2>/);
    assert.doesNotMatch(html, /<h2[^>]*>(ar|en|fr)<\/h2>/, 'no bare language codes as headings');
  });

  it('lists each topic with its Arabic, English and French titles, each linking to that language\'s feed', () => {
    const economy = html.split('\n').find((l) => l.startsWith('<li>') && l.includes('/feeds/economy.ar.atom'));
    assert.ok(economy, 'a row for economy');
    const title = config.topics.find((t) => t.slug === 'economy')!.title;
    for (const [lang, dir] of [['ar', 'rtl'], ['en', 'ltr'], ['fr', 'ltr']] as const) {
      const expected = `<a lang="${lang}" dir="${dir}" href="https://news.example.org/feeds/economy.${lang}.atom">${title[lang]}</a>`;
      assert.ok(economy.includes(expected), expected);
    }
    assert.match(economy, /economy\.rss">RSS<\/a> · <a href="[^"]+economy\.atom">Atom<\/a> · <a href="[^"]+economy\.json">JSON Feed<\/a>/);
  });

  it('has an autodiscovery link for every feed in every format', () => {
    const links = [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)"/g)];
    assert.equal(links.length, catalog.length * 3);
    for (const f of catalog) {
      for (const [ext, type] of [['rss', 'application/rss+xml'], ['atom', 'application/atom+xml'], ['json', 'application/feed+json']] as const) {
        assert.ok(links.some((l) => l[1] === type && l[2] === `https://news.example.org${f.path}.${ext}`), `${f.path}.${ext}`);
      }
    }
  });

  describe('with the newest stories of each topic', () => {
    const stories = Array.from({ length: INDEX_NEWEST + 2 }, (_, i) => ({ ...ENGLISH, id: `e${i}`.padEnd(16, '0'), headline: `Story ${i}` }));
    const page = renderIndexPage(catalog, 'https://news.example.org', '9.9.9', new Map([['economy', stories], ['politics', [ARABIC, { ...HOSTILE, id: 'h'.padEnd(16, '0') }]]]), new Date('2020-04-10T12:30:00Z'));
    /** A topic's row in the Topics list: from its start tag to the next row's, or the list's end. */
    const row = (slug: string) => {
      const start = page.indexOf(`<li><a lang="ar" dir="rtl" href="https://news.example.org/feeds/${slug}.ar.atom"`);
      assert.ok(start > 0, `a row for ${slug}`);
      const ends = [page.indexOf('\n<li><a lang=', start + 1), page.indexOf('\n</ul>', start)].filter((i) => i > 0);
      return page.slice(start, Math.min(...ends));
    };

    it(`lists at most ${INDEX_NEWEST} under their topic, each linking to its page, with its time in UTC`, () => {
      const items = [...row('economy').matchAll(/<li lang="en" dir="ltr"><a href="([^"]+)">([^<]+)<\/a> <time datetime="([^"]+)" dir="ltr">([^<]+)<\/time><\/li>/g)];
      assert.deepEqual(items.map((m) => m[2]), ['Story 0', 'Story 1', 'Story 2', 'Story 3', 'Story 4']);
      assert.equal(items[0]![1], 'https://news.example.org/articles/e000000000000000');
      assert.equal(items[0]![3], '2020-04-10T09:15:00.000Z');
      assert.equal(items[0]![4], '10 Apr 2020, 09:15 UTC');
      assert.match(page, /Under each topic, its newest stories \(times in UTC\)/);
    });

    it('lays an Arabic story out right to left and escapes a hostile headline', () => {
      const politics = row('politics');
      assert.ok(politics.includes(`<li lang="ar" dir="rtl"><a href="https://news.example.org/articles/${encodeURIComponent(ARABIC.id)}">${ARABIC.headline}</a>`), politics);
      assert.doesNotMatch(politics, /<script/i);
      assert.match(politics, /&lt;script&gt;/);
    });

    it('lists no stories for a topic that has none, and none at all before the first publish', () => {
      assert.doesNotMatch(row('sport'), /<ol/);
      assert.doesNotMatch(html, /<ol class="newest">|newest stories/);
    });
  });
});
