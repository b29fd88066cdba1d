/**
 * RFC 5005 archive links in the rendered documents: the subscription feed names its newest
 * archive page (`prev-archive`), an archive page names the feed (`current`), its neighbours and
 * says it is an archive (`fh:archive`); every document stays strictly well-formed and parses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { archiveUrls, FH_NAMESPACE, withPagingLinks, type FeedPaging } from '../../src/render/archive.ts';
import { renderAtom } from '../../src/render/atom.ts';
import { renderJsonFeed } from '../../src/render/json-feed.ts';
import { renderRss } from '../../src/render/rss.ts';
import { ARABIC, ENGLISH, FRENCH_WIRE, HOSTILE, feedMeta } from '../fixtures/render/articles.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

const PUBLIC = 'https://feeds.example.org';
const ARTICLES = [ARABIC, ENGLISH, FRENCH_WIRE, HOSTILE];
const feedUrls = { rss: `${PUBLIC}/feeds/all.rss`, atom: `${PUBLIC}/feeds/all.atom`, json: `${PUBLIC}/feeds/all.json` };
const page = (n: number): FeedPaging => ({
  kind: 'archive',
  current: feedUrls,
  ...(n > 1 ? { prevArchive: archiveUrls(PUBLIC, '/feeds/all', n - 1) } : {}),
  nextArchive: archiveUrls(PUBLIC, '/feeds/all', n + 1),
});
const pageMeta = (n: number) => feedMeta({ selfUrls: archiveUrls(PUBLIC, '/feeds/all', n) });

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name.endsWith('link') || name === 'item' || name === 'entry' });

/** rel → href of the feed-level links (`atom:link` in the RSS channel, `link` in the Atom feed). */
function headLinks(doc: string, format: 'rss' | 'atom'): Map<string, string> {
  const parsed = xml.parse(doc) as Record<string, any>;
  const links: { '@rel'?: string; '@href': string; '@type'?: string }[] =
    format === 'rss' ? parsed.rss.channel['atom:link'] : parsed.feed.link;
  const out = new Map<string, string>();
  for (const l of links) {
    const rel = l['@rel'] ?? 'alternate';
    assert.ok(!out.has(rel), `one ${rel} link`);
    out.set(rel, l['@href']);
    if (['current', 'prev-archive', 'next-archive'].includes(rel)) assert.equal(l['@type'], format === 'rss' ? 'application/rss+xml' : 'application/atom+xml');
  }
  return out;
}

describe('archive links (RFC 5005)', () => {
  it('archiveUrls: /feeds/{id}/archive/{n}.{rss,atom,json}', () => {
    assert.deepEqual(archiveUrls(PUBLIC, '/feeds/source/wire', 3), {
      rss: `${PUBLIC}/feeds/source/wire/archive/3.rss`,
      atom: `${PUBLIC}/feeds/source/wire/archive/3.atom`,
      json: `${PUBLIC}/feeds/source/wire/archive/3.json`,
    });
  });

  it('the subscription feed links prev-archive to the newest archive page, in RSS and Atom; no fh:archive', () => {
    const paging: FeedPaging = { kind: 'current', prevArchive: archiveUrls(PUBLIC, '/feeds/all', 7) };
    for (const format of ['rss', 'atom'] as const) {
      const doc: string = format === 'rss' ? renderRss(feedMeta(), ARTICLES, paging) : renderAtom(feedMeta(), ARTICLES, paging);
      assert.deepEqual(xmlProblems(doc), [], format);
      const links = headLinks(doc, format);
      assert.equal(links.get('prev-archive'), `${PUBLIC}/feeds/all/archive/7.${format}`);
      assert.equal(links.get('self'), `${PUBLIC}/feeds/all.${format}`);
      assert.ok(!links.has('current') && !links.has('next-archive'));
      assert.doesNotMatch(doc, /fh:archive|xmlns:fh/);
    }
  });

  it('without an archive page yet the feed is rendered exactly as before', () => {
    assert.equal(renderRss(feedMeta(), ARTICLES, { kind: 'current' }), renderRss(feedMeta(), ARTICLES));
    assert.equal(renderAtom(feedMeta(), ARTICLES, { kind: 'current' }), renderAtom(feedMeta(), ARTICLES));
    assert.equal(renderJsonFeed(feedMeta(), ARTICLES, { kind: 'current' }), renderJsonFeed(feedMeta(), ARTICLES));
  });

  it('an archive page: self is the page, current the feed, prev-archive and next-archive its neighbours, fh:archive declared', async () => {
    for (const format of ['rss', 'atom'] as const) {
      const doc: string = format === 'rss' ? renderRss(pageMeta(2), ARTICLES, page(2)) : renderAtom(pageMeta(2), ARTICLES, page(2));
      assert.deepEqual(xmlProblems(doc), [], format);
      const links = headLinks(doc, format);
      assert.equal(links.get('self'), `${PUBLIC}/feeds/all/archive/2.${format}`);
      assert.equal(links.get('current'), `${PUBLIC}/feeds/all.${format}`);
      assert.equal(links.get('prev-archive'), `${PUBLIC}/feeds/all/archive/1.${format}`);
      assert.equal(links.get('next-archive'), `${PUBLIC}/feeds/all/archive/3.${format}`);
      assert.ok(doc.includes(`xmlns:fh="${FH_NAMESPACE}"`));
      const parsed = xml.parse(doc) as Record<string, any>;
      const head = format === 'rss' ? parsed.rss.channel : parsed.feed;
      assert.ok('fh:archive' in head, `${format}: fh:archive in the feed head`);
      assert.equal((format === 'rss' ? head.item : head.entry).length, ARTICLES.length);
      // Readers parse it as a feed with all its items.
      const feed = await new Parser().parseString(doc);
      assert.equal(feed.items.length, ARTICLES.length);
    }
  });

  it('page 1 has no prev-archive; an Atom page keeps the feed’s atom:id', () => {
    const atom = renderAtom(pageMeta(1), ARTICLES, page(1));
    const links = headLinks(atom, 'atom');
    assert.ok(!links.has('prev-archive'));
    assert.equal(links.get('next-archive'), `${PUBLIC}/feeds/all/archive/2.atom`);
    assert.equal((xml.parse(atom) as Record<string, any>).feed.id, `${PUBLIC}/feeds/all.atom`);
    assert.ok(!headLinks(renderRss(pageMeta(1), ARTICLES, page(1)), 'rss').has('prev-archive'));
  });

  it('look-alike markup in the feed title or in an article does not receive the links', () => {
    const tricky = feedMeta({ title: 'Feeds <atom:link rel="self" href="x"/> <link rel="self" href="y"/>', selfUrls: archiveUrls(PUBLIC, '/feeds/all', 4) });
    for (const format of ['rss', 'atom'] as const) {
      const doc: string = format === 'rss' ? renderRss(tricky, [HOSTILE, ...ARTICLES], page(4)) : renderAtom(tricky, [HOSTILE, ...ARTICLES], page(4));
      assert.deepEqual(xmlProblems(doc), [], format);
      assert.equal(doc.match(/rel="next-archive"/g)?.length, 1);
      assert.equal(headLinks(doc, format).get('next-archive'), `${PUBLIC}/feeds/all/archive/5.${format}`);
    }
  });

  it('withPagingLinks refuses a document without a self link rather than dropping the links', () => {
    assert.throws(() => withPagingLinks('<rss><channel><title>x</title></channel></rss>', 'rss', page(2)), /no self link/);
  });

  it('JSON Feed: next_url names the older items; an archive page keeps the feed’s feed_url', () => {
    const feed = JSON.parse(renderJsonFeed(feedMeta(), ARTICLES, { kind: 'current', prevArchive: archiveUrls(PUBLIC, '/feeds/all', 7) }));
    assert.equal(feed.next_url, `${PUBLIC}/feeds/all/archive/7.json`);
    assert.equal(feed.feed_url, `${PUBLIC}/feeds/all.json`);
    const p2 = JSON.parse(renderJsonFeed(pageMeta(2), ARTICLES, page(2)));
    assert.equal(p2.next_url, `${PUBLIC}/feeds/all/archive/1.json`);
    assert.equal(p2.feed_url, `${PUBLIC}/feeds/all.json`);
    assert.equal(p2.items.length, ARTICLES.length);
    assert.ok(!('next_url' in JSON.parse(renderJsonFeed(pageMeta(1), ARTICLES, page(1)))));
  });
});
