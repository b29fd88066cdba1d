/** The home page: topics titled in every feed language, languages headed in their own, every feed discoverable. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import { feedCatalog } from '../../src/render/feed-catalog.ts';
import { languageName, renderIndexPage } from '../../src/render/index-page.ts';

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
});
