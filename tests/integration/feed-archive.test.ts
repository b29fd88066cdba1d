/**
 * RFC 5005 archived feeds on a real redis-server, through the running service (push intake,
 * ingest and publish workers, HTTP) with FEED_SIZE=5: archive pages of five articles, oldest
 * first, cut when they fill and then never changed; the feed links the newest page, a reader
 * walking prev-archive from it reaches every article once; pages are served immutable; a
 * correction does not move an article between pages; an article withdrawn before its page
 * filled is not in it; retention takes away a page once all its articles are pruned (410).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { ArticleStore } from '../../src/store/article-store.ts';
import { FeedStore } from '../../src/store/feed-store.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor, type TestService } from '../helpers/service.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
const TOKEN = 'archive-token-0123456789abcdef';
const FEED = '/feeds/source/wire-push';

let redis: TestRedis;
before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

const two = (n: number) => String(n).padStart(2, '0');
/** Story n of the wire: "Story 07", published at 10:07 on 20 November 2026. */
function story(n: number, opts: { body?: string; time?: string; status?: string } = {}): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0"><channel><title>Archive wire</title><link>https://wire.example/</link><description>wire</description>',
    `<item><title>Story ${two(n)}</title><link>https://wire.example/story-${n}</link><guid>story-${n}</guid>`,
    `<pubDate>${opts.time ?? `Fri, 20 Nov 2026 10:${two(n)}:00 GMT`}</pubDate><description>${opts.body ?? `The ${n}th story of the day.`}</description></item>`,
    '</channel></rss>',
  ].join('');
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'link' || name === 'entry' || name === 'atom:link' || name === 'item' });

interface AtomDoc {
  links: Map<string, string>;
  titles: string[];
  archive: boolean;
  raw: string;
}
function atom(raw: string): AtomDoc {
  assert.deepEqual(xmlProblems(raw), []);
  const feed = (xml.parse(raw) as { feed: Record<string, any> }).feed;
  const links = new Map<string, string>((feed.link ?? []).map((l: Record<string, string>) => [l['@rel'] ?? 'alternate', l['@href']]));
  const titles = (feed.entry ?? []).map((e: { title: string | { '#text': string } }) => (typeof e.title === 'string' ? e.title : e.title['#text']));
  return { links, titles, archive: 'fh:archive' in feed, raw };
}

describe('archived feeds through the running service', { skip }, () => {
  let svc: TestService;
  let base: string;
  let publicUrl: string;
  before(async () => {
    svc = await startTestService(redis, ['sources:', '  - id: wire-push', '    type: push', '    tokenEnv: WIRE_PUSH_TOKEN', '  - id: bulk', '    type: push', '    tokenEnv: WIRE_PUSH_TOKEN', ''].join('\n'), {
      roles: { http: true, queues: ['ingest', 'publish'], scheduler: false },
      env: { WIRE_PUSH_TOKEN: TOKEN, FEED_SIZE: '5' },
    });
    base = svc.service.url!;
    publicUrl = svc.config.settings.publicUrl;
  });
  let redisDown = false;
  after(async () => {
    if (redisDown) await redis.restart();
    await svc?.service.stop();
  });

  const push = async (body: string, source = 'wire-push') => {
    const res = await fetch(`${base}/ingest/${source}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/rss+xml; charset=utf-8', authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(res.status, 202);
  };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, { headers, signal: AbortSignal.timeout(5_000) });
    return { res, body: await res.text() };
  };
  /** A public URL of the service as the address it listens on. */
  const local = (url: string) => {
    assert.ok(url.startsWith(publicUrl), `${url} is under ${publicUrl}`);
    return url.slice(publicUrl.length);
  };
  const feedWhen = (what: string, ok: (doc: AtomDoc) => boolean) =>
    waitFor(what, async () => {
      const r = await get(`${FEED}.atom`);
      if (r.res.status !== 200) return undefined;
      const doc = atom(r.body);
      return ok(doc) ? doc : undefined;
    });
  /** Walks prev-archive from the feed: the pages, newest first. */
  const walk = async (feed: AtomDoc) => {
    const pages: { path: string; doc: AtomDoc; res: Response }[] = [];
    for (let next = feed.links.get('prev-archive'); next; ) {
      const path = local(next);
      const r = await get(path);
      assert.equal(r.res.status, 200, path);
      const doc = atom(r.body);
      pages.push({ path, doc, res: r.res });
      next = doc.links.get('prev-archive');
      assert.ok(pages.length <= 10, 'the walk ends');
    }
    return pages;
  };

  test('2.4 pages of stories: the feed links the newest page, walking back reaches each story once, pages immutable, a correction stays in its page, retention empties page 1 (410)', { timeout: 90_000 }, async () => {
    for (let n = 1; n <= 12; n++) await push(story(n));
    const feed = await feedWhen('the feed naming archive page 2', (d) => d.titles.includes('Story 12') && d.links.get('prev-archive') !== undefined && d.links.get('prev-archive')!.endsWith('/archive/2.atom'));
    assert.equal(feed.links.get('prev-archive'), `${publicUrl}${FEED}/archive/2.atom`);
    assert.equal(feed.archive, false, 'the subscription feed is no archive');
    assert.deepEqual(feed.titles, ['Story 12', 'Story 11', 'Story 10', 'Story 09', 'Story 08']);

    const pages = await walk(feed);
    assert.deepEqual(pages.map((p) => p.path), [`${FEED}/archive/2.atom`, `${FEED}/archive/1.atom`]);
    // Oldest first: page 1 holds stories 1-5, page 2 stories 6-10; stories 11 and 12 wait in the feed for page 3.
    assert.deepEqual(pages[1]!.doc.titles.sort(), ['Story 01', 'Story 02', 'Story 03', 'Story 04', 'Story 05']);
    assert.deepEqual(pages[0]!.doc.titles.sort(), ['Story 06', 'Story 07', 'Story 08', 'Story 09', 'Story 10']);
    const seen = [...feed.titles, ...pages.flatMap((p) => p.doc.titles)];
    const archived = pages.flatMap((p) => p.doc.titles);
    assert.equal(new Set(archived).size, archived.length, 'no story in two pages');
    assert.deepEqual([...new Set(seen)].sort(), Array.from({ length: 12 }, (_, i) => `Story ${two(i + 1)}`));

    for (const [i, { doc, res }] of pages.entries()) {
      const n = 2 - i;
      assert.ok(doc.archive, `page ${n} says fh:archive`);
      assert.equal(doc.links.get('current'), `${publicUrl}${FEED}.atom`);
      assert.equal(doc.links.get('self'), `${publicUrl}${FEED}/archive/${n}.atom`);
      assert.equal(doc.links.get('next-archive'), `${publicUrl}${FEED}/archive/${n + 1}.atom`);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(res.headers.get('vary')!, /\bAccept-Encoding\b/);
      assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    }
    assert.equal(pages[1]!.doc.links.has('prev-archive'), false, 'page 1 is the oldest');
    const feedRes = await get(`${FEED}.atom`);
    assert.doesNotMatch(feedRes.res.headers.get('cache-control')!, /immutable/);

    // RSS and JSON Feed have the same pages.
    const rss = await get(`${FEED}/archive/2.rss`);
    assert.equal(rss.res.status, 200);
    assert.deepEqual(xmlProblems(rss.body), []);
    assert.match(rss.body, /<atom:link rel="current" type="application\/rss\+xml" href="[^"]+\/feeds\/source\/wire-push\.rss"\/>/);
    assert.match(rss.body, /<atom:link rel="prev-archive" type="application\/rss\+xml" href="[^"]+\/archive\/1\.rss"\/>/);
    assert.match(rss.body, /<fh:archive\/>/);
    assert.match((await get(`${FEED}.rss`)).body, /<atom:link rel="prev-archive" type="application\/rss\+xml" href="[^"]+\/feeds\/source\/wire-push\/archive\/2\.rss"\/>/);
    const json = JSON.parse((await get(`${FEED}/archive/2.json`)).body) as { next_url: string; items: unknown[] };
    assert.equal(json.next_url, `${publicUrl}${FEED}/archive/1.json`);
    assert.equal(json.items.length, 5);
    assert.equal((JSON.parse((await get(`${FEED}.json`)).body) as { next_url: string }).next_url, `${publicUrl}${FEED}/archive/2.json`);

    // Stored bytes, compressed at publish; validators and 304 as for feeds.
    const page1 = pages[1]!;
    const etag = page1.res.headers.get('etag')!;
    assert.equal((await get(page1.path, { 'if-none-match': etag })).res.status, 304);
    const gz = await fetch(`${base}${page1.path}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gz.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    // Page 3 has not filled; unknown feeds, page 0 and malformed names are 404.
    for (const path of [`${FEED}/archive/3.atom`, `${FEED}/archive/0.atom`, `${FEED}/archive/1.xml`, `${FEED}/archive/01.atom`, '/feeds/source/nobody/archive/1.atom', '/feeds/no-such-topic/archive/1.rss', '/feeds/all/archive/9.atom']) {
      const r = await get(path);
      assert.equal(r.res.status, 404, path);
      assert.match(r.body, /^no such archive page/, path);
    }

    // A correction of story 7 (page 2) rises to the top of the feed and stays in page 2, whose bytes do not change.
    await push(story(7, { body: 'Corrected: the seventh story, with the right figures.', time: 'Fri, 20 Nov 2026 11:30:00 GMT' }));
    await feedWhen('the corrected story in the feed', (d) => d.titles[0] === 'Story 07' && d.raw.includes('Corrected: the seventh story'));
    const page2 = await get(`${FEED}/archive/2.atom`);
    assert.equal(page2.body, pages[0]!.doc.raw, 'page 2 is as it was');
    assert.equal(page2.res.headers.get('etag'), pages[0]!.res.headers.get('etag'));
    // Three more fill page 3: stories 11-15, story 7 not among them.
    for (let n = 13; n <= 15; n++) await push(story(n));
    const feed3 = await feedWhen('the feed naming archive page 3', (d) => d.links.get('prev-archive')?.endsWith('/archive/3.atom') === true);
    const walked = await walk(feed3);
    assert.equal(walked.length, 3);
    assert.deepEqual(walked[0]!.doc.titles.sort(), ['Story 11', 'Story 12', 'Story 13', 'Story 14', 'Story 15']);
    assert.equal(walked[0]!.doc.links.get('prev-archive'), `${publicUrl}${FEED}/archive/2.atom`);
    assert.equal(walked[1]!.doc.raw, pages[0]!.doc.raw);
    assert.equal(walked[2]!.doc.raw, pages[1]!.doc.raw);

    // Retention: stories 1-5 pruned; the next publish takes page 1 away (410), page 2 stays.
    const store = new ArticleStore(redis.client(), svc.prefix);
    const pruned = await store.prune(Date.parse('2026-11-20T10:05:30Z'));
    assert.equal(pruned.removed, 5);
    await push(story(16));
    await waitFor('page 1 gone', async () => ((await get(`${FEED}/archive/1.atom`)).res.status === 410 ? true : undefined));
    assert.match((await get(`${FEED}/archive/1.rss`)).body, /^archive page 1 is gone/);
    assert.equal((await get(`${FEED}/archive/1.json`)).res.status, 410);
    assert.equal((await get(`${FEED}/archive/2.atom`)).res.status, 200);
    assert.equal((await get(`${FEED}/archive/2.atom`)).body, pages[0]!.doc.raw);
    const state = await new FeedStore(redis.client(), svc.prefix).archives.state('source:wire-push');
    assert.deepEqual(state, { size: 5, next: 16, pages: 3, first: 2 });
  });

  test('one document of 23 pages of stories: the first job renders 20 pages, the next ones the rest; the walk back meets all 115 once', { timeout: 90_000 }, async () => {
    const items = Array.from({ length: 115 }, (_, i) => {
      const t = new Date(Date.parse('2026-11-21T00:00:00Z') + i * 60_000).toUTCString();
      return `<item><title>Bulk ${String(i + 1).padStart(3, '0')}</title><link>https://wire.example/bulk-${i + 1}</link><guid>bulk-${i + 1}</guid><pubDate>${t}</pubDate><description>Bulk story ${i + 1}.</description></item>`;
    });
    await push(['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0"><channel><title>Bulk</title><link>https://wire.example/</link><description>bulk</description>', ...items, '</channel></rss>'].join(''), 'bulk');
    const bulk = '/feeds/source/bulk';
    const feed = await waitFor('the bulk feed naming page 23', async () => {
      const r = await get(`${bulk}.atom`);
      if (r.res.status !== 200) return undefined;
      const doc = atom(r.body);
      return doc.links.get('prev-archive')?.endsWith('/archive/23.atom') ? doc : undefined;
    }, 60_000);
    const pages = await (async () => {
      const out: AtomDoc[] = [];
      for (let next = feed.links.get('prev-archive'); next; next = out.at(-1)!.links.get('prev-archive')) {
        const r = await get(local(next));
        assert.equal(r.res.status, 200, next);
        out.push(atom(r.body));
        assert.ok(out.length <= 30);
      }
      return out;
    })();
    assert.equal(pages.length, 23);
    const titles = pages.flatMap((p) => p.titles);
    assert.equal(titles.length, 115);
    assert.equal(new Set(titles).size, 115);
    assert.deepEqual(pages.at(-1)!.titles.sort(), ['Bulk 001', 'Bulk 002', 'Bulk 003', 'Bulk 004', 'Bulk 005']);
    const jobs = svc.logs().filter((l) => l.msg === 'published' && l.feed === 'source:bulk');
    assert.deepEqual(jobs.map((j) => j.archivePages).filter((n) => n !== 0).slice(0, 2), [20, 23], 'a first job of 20 pages, then the rest');
  });

  test('while Redis is down an archive page served before is served stale at once, one never served answers 503 with Retry-After', async () => {
    const served = await get('/feeds/source/bulk/archive/3.atom');
    assert.equal(served.res.status, 200);
    redisDown = true;
    await redis.kill();
    try {
      const t0 = performance.now();
      const stale = await get('/feeds/source/bulk/archive/3.atom');
      assert.ok(performance.now() - t0 < 1_000, 'at once, not after a timeout');
      assert.equal(stale.res.status, 200);
      assert.equal(stale.res.headers.get('x-wirefeed-stale'), '1');
      assert.equal(stale.body, served.body);
      const never = await get('/feeds/all/archive/1.atom');
      assert.equal(never.res.status, 503);
      assert.equal(never.res.headers.get('retry-after'), '10');
    } finally {
      await redis.restart();
      redisDown = false;
    }
    // No persistence in this test's Redis: back up, its store is empty and the page is not found.
    await waitFor('an answer from Redis again', async () => ((await get('/feeds/source/bulk/archive/9.atom')).res.status === 404 ? true : undefined));
  });
});

describe('archive numbering (ArchiveStore on redis-server)', { skip }, () => {
  test('numbers follow the index order once; a number is kept through a correction, a withdrawal and a return; the page size is fixed at the start; batches say when more remain', async () => {
    const { article } = await import('../helpers/article.ts');
    const prefix = redis.prefix();
    const articles = new ArticleStore(redis.client(), prefix);
    const archives = new FeedStore(redis.client(), prefix).archives;
    const at = (minute: number) => `2026-11-20T10:${two(minute)}:00.000Z`;
    // Stored out of order: numbering follows the index (last update), then the id.
    await articles.upsertBatch([article('c', { updated: at(3) }), article('a', { updated: at(1) }), article('b2', { updated: at(2) }), article('b1', { updated: at(2) })]);
    // Two found by score per call, one looked at by the sweep: the next call goes on from there.
    const first = await archives.sequence('economy', 3, 2, 1);
    assert.deepEqual(first, { size: 3, next: 2, pages: 0, first: 1, more: true });
    assert.deepEqual(await archives.sequence('economy', 3), { size: 3, next: 4, pages: 0, first: 1, more: false });
    assert.deepEqual(await archives.pageIds('economy', 1, 3), ['b2', 'b1', 'a']);
    assert.deepEqual(await archives.pageIds('economy', 2, 3), ['c']);

    // A correction of a (its last update now the newest) keeps its number; withdrawn, c leaves
    // its page before it fills; back again it has its old number, not a new one.
    await articles.upsertBatch([article('a', { updated: at(9), contentHash: 'hash-a-2' }), article('c', { updated: at(4), status: 'canceled', contentHash: 'hash-c-2' })]);
    assert.equal((await archives.sequence('economy', 3)).next, 4);
    assert.deepEqual(await archives.pageIds('economy', 1, 3), ['b2', 'b1', 'a']);
    assert.deepEqual(await archives.pageIds('economy', 2, 3), []);
    assert.deepEqual(await archives.pageIds('economy', 2, 3, false), ['c']);
    await articles.upsertBatch([article('c', { updated: at(5), contentHash: 'hash-c-3' }), article('d', { updated: at(6) })]);
    // A later FEED_SIZE does not recut the pages already begun.
    assert.deepEqual(await archives.sequence('economy', 50), { size: 3, next: 5, pages: 0, first: 1, more: false });
    assert.deepEqual(await archives.pageIds('economy', 2, 3), ['d', 'c']);
    // A story stored now with an older last update than the feed's newest: the sweep numbers it.
    await articles.upsertBatch([article('late', { updated: at(0) })]);
    assert.equal((await archives.sequence('economy', 3)).next, 6);
    assert.deepEqual(await archives.pageIds('economy', 2, 3), ['late', 'd', 'c']);
    assert.equal((await archives.sequence('economy', 3)).next, 6, 'numbered once');
    assert.deepEqual(await archives.mark('economy', 1), { pages: 1, first: 1 });
    assert.deepEqual(await archives.mark('economy', 0), { pages: 1, first: 1 }, 'never moves back');
  });
});
