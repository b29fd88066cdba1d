/**
 * Article pages on a real redis-server: rendered when the ingest stores an article (only the
 * inserted and updated ones), served by the HTTP server as stored bytes at `/articles/{id}` and
 * `/articles/{id}.json` with validators, updated when the story changes, gone after retention,
 * withdrawn (410) when canceled, hidden under embargo, 503 at once while Redis is down.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { loadConfig } from '../../src/config/load-config.ts';
import { registerArticleRoutes } from '../../src/http/article-route.ts';
import type { ArticleRecord } from '../../src/model/article-record.ts';
import { pageContext, renderArticlePage } from '../../src/render/article-page.ts';
import { ArticleStore } from '../../src/store/article-store.ts';
import { keys } from '../../src/store/keys.ts';
import { PageStore } from '../../src/store/page-store.ts';
import { article } from '../helpers/article.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor, type TestService } from '../helpers/service.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
const TOKEN = 'pages-token-0123456789abcdef';
const ctx = pageContext(loadConfig('config', { PUBLIC_URL: 'https://news.example.net' }));
const render = (a: ArticleRecord) => renderArticlePage(a, ctx);

let redis: TestRedis;
before(async () => {
  if (!skip) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

function item(guid: string, title: string, body: string, pubDate: string): string {
  return `<item><title>${title}</title><link>https://wire.example/${guid}</link><guid>${guid}</guid><pubDate>${pubDate}</pubDate><description>${body}</description></item>`;
}

function rss(guid: string, title: string, body: string, pubDate: string, more = ''): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0"><channel><title>Page wire</title><link>https://wire.example/</link><description>wire</description>',
    item(guid, title, body, pubDate),
    more,
    '</channel></rss>',
  ].join('');
}

describe('pages through the running service', { skip }, () => {
  let svc: TestService;
  let base: string;
  let store: ArticleStore;
  let redisDown = false;
  before(async () => {
    svc = await startTestService(redis, ['sources:', '  - id: wire-push', '    type: push', '    tokenEnv: WIRE_PUSH_TOKEN', ''].join('\n'), {
      roles: { http: true, queues: ['ingest', 'publish'], scheduler: false },
      env: { WIRE_PUSH_TOKEN: TOKEN },
    });
    base = svc.service.url!;
    store = new ArticleStore(redis.client(), svc.prefix);
  });
  after(async () => {
    if (redisDown) await redis.restart();
    await svc?.service.stop();
  });

  const push = async (body: string) => {
    const res = await fetch(`${base}/ingest/wire-push`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/rss+xml; charset=utf-8', authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(res.status, 202);
  };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(5_000) });
    return { res, body: await res.text() };
  };

  test('a pushed story gets its page and its record; 304 on either validator; 404 for unknown and malformed ids; a correction replaces the page; retention removes it', async () => {
    await push(rss('harbour-1', 'Harbour reopens after the storm', 'Ships entered the harbour again on Friday morning.', 'Fri, 20 Nov 2026 10:00:00 GMT'));
    const id = await waitFor('the stored story', async () => (await store.newest('source:wire-push', 1))[0]?.id);
    const page = await waitFor('its page', async () => {
      const r = await get(`/articles/${id}`);
      return r.res.status === 200 ? r : undefined;
    });
    assert.equal(page.res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(page.res.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.match(page.res.headers.get('cache-control')!, /max-age=\d+/);
    assert.match(page.body, /<h1>Harbour reopens after the storm<\/h1>/);
    assert.match(page.body, /Ships entered the harbour again on Friday morning\./);
    assert.match(page.body, /<link rel="canonical" href="https:\/\/wire\.example\/harbour-1">/);
    const etag = page.res.headers.get('etag')!;
    const lastModified = page.res.headers.get('last-modified')!;
    assert.match(etag, /^"[^"]+"$/);

    const record = await get(`/articles/${id}.json`);
    assert.equal(record.res.status, 200);
    assert.equal(record.res.headers.get('content-type'), 'application/json; charset=utf-8');
    const parsed = JSON.parse(record.body) as ArticleRecord;
    assert.equal(parsed.id, id);
    assert.equal(parsed.headline, 'Harbour reopens after the storm');
    const jsonEtag = record.res.headers.get('etag')!;
    assert.notEqual(jsonEtag, etag);

    assert.equal((await get(`/articles/${id}`, { 'if-none-match': etag })).res.status, 304);
    assert.equal((await get(`/articles/${id}`, { 'if-modified-since': lastModified })).res.status, 304);
    assert.equal((await get(`/articles/${id}.json`, { 'if-none-match': `W/${jsonEtag}` })).res.status, 304);
    assert.equal((await get(`/articles/${id}.json`, { 'if-none-match': etag })).res.status, 200);

    for (const path of ['/articles/0123456789abcdef0123456789abcdef', '/articles/0123456789abcdef.json', '/articles/NOT-AN-ID', `/articles/${id}.json.json`, `/articles/${id}.html`, '/articles/..%2F..%2Fetc', '/articles/abc']) {
      const r = await get(path);
      assert.equal(r.res.status, 404, path);
      assert.equal(r.res.headers.get('content-type'), 'text/plain; charset=utf-8', path);
      assert.match(r.body, /^no such article/, path);
    }

    // The correction: same guid, new copy, a later time.
    await push(rss('harbour-1', 'Harbour reopens after the storm, two ships damaged', 'Two ships were damaged as they entered the harbour.', 'Fri, 20 Nov 2026 12:00:00 GMT'));
    const corrected = await waitFor('the corrected page', async () => {
      const r = await get(`/articles/${id}`, { 'if-none-match': etag });
      return r.res.status === 200 ? r : undefined;
    });
    assert.match(corrected.body, /two ships damaged/);
    assert.doesNotMatch(corrected.body, /Ships entered the harbour again/);
    assert.notEqual(corrected.res.headers.get('etag'), etag);
    const json2 = await get(`/articles/${id}.json`, { 'if-none-match': jsonEtag });
    assert.equal(json2.res.status, 200);
    assert.match((JSON.parse(json2.body) as ArticleRecord).headline, /two ships damaged/);

    // The story again beside a new one: only the new one is rendered, the validators stay.
    const before = corrected.res.headers.get('etag')!;
    const beforeModified = corrected.res.headers.get('last-modified')!;
    await new Promise((r) => setTimeout(r, 1_100)); // a Last-Modified rewritten now would differ
    await push(
      rss('harbour-1', 'Harbour reopens after the storm, two ships damaged', 'Two ships were damaged as they entered the harbour.', 'Fri, 20 Nov 2026 12:00:00 GMT',
        item('bridge-1', 'Bridge closed for repairs', 'The old bridge closes until March.', 'Fri, 20 Nov 2026 13:00:00 GMT')),
    );
    const repeat = await waitFor('the second document ingested', async () => svc.logs().filter((l) => l.msg === 'ingested' && l.items === 2).at(-1));
    assert.deepEqual([repeat.inserted, repeat.unchanged, repeat.pages], [1, 1, 1]);
    const same = await get(`/articles/${id}`, { 'if-none-match': before });
    assert.equal(same.res.status, 304);
    assert.equal(same.res.headers.get('last-modified'), beforeModified);

    // Retention (the prune job's script): the page and the record go with the article.
    const pruned = await store.prune(Date.now() + 86_400_000);
    assert.equal(pruned.removed, 2);
    assert.equal((await get(`/articles/${id}`)).res.status, 404);
    assert.equal((await get(`/articles/${id}.json`)).res.status, 404);
    assert.equal(await redis.client().exists(keys(svc.prefix).page(id)), 0);
  });

  test('while Redis is down a page answers 503 with Retry-After at once, and comes back with Redis', async () => {
    await push(rss('outage-1', 'Ferry timetable changes', 'The winter timetable starts on Monday.', 'Fri, 20 Nov 2026 10:00:00 GMT'));
    const id = await waitFor('the stored story', async () => (await store.newest('source:wire-push', 1))[0]?.id);
    await waitFor('its page', async () => ((await get(`/articles/${id}`)).res.status === 200 ? true : undefined));
    redisDown = true;
    await redis.kill();
    try {
      for (const path of [`/articles/${id}`, `/articles/${id}.json`]) {
        const t0 = performance.now();
        const r = await get(path);
        const ms = performance.now() - t0;
        assert.equal(r.res.status, 503, path);
        assert.equal(r.res.headers.get('retry-after'), '10', path);
        assert.ok(ms < 1_000, `${path} answered in ${ms.toFixed(0)} ms, not at once`);
      }
    } finally {
      await redis.restart();
      redisDown = false;
    }
    // No persistence in this test's Redis: back up, the store is empty, and the page is not found.
    await waitFor('an answer from Redis again', async () => ((await get(`/articles/${id}`)).res.status === 404 ? true : undefined));
  });
});

describe('the page store and the routes on their own', { skip }, () => {
  test('only inserted and updated articles are rendered; a page left due by a failed write is rendered on the retry; an older render never overwrites a newer page', async () => {
    const client = redis.client();
    const prefix = redis.prefix();
    const store = new ArticleStore(client, prefix);
    const rendered: string[] = [];
    const counting = (a: ArticleRecord) => {
      rendered.push(a.id);
      return render(a);
    };
    const a1 = article('a1a1a1a1a1a1');
    const b1 = article('b2b2b2b2b2b2');
    const first = await store.upsertWithPages([a1, b1], 1_000, counting);
    assert.deepEqual([first.inserted, first.pages, rendered.sort()], [2, 2, ['a1a1a1a1a1a1', 'b2b2b2b2b2b2']]);
    assert.equal(await store.pages.due(), 0);

    rendered.length = 0;
    const a2 = article('a1a1a1a1a1a1', { headline: 'Corrected', contentHash: 'h-a2', updated: '2026-11-20T11:00:00.000Z' });
    const second = await store.upsertWithPages([a2, b1], 2_000, counting);
    assert.deepEqual([second.updated, second.unchanged, second.pages, rendered], [1, 1, 1, ['a1a1a1a1a1a1']]);
    assert.match((await store.pages.get('a1a1a1a1a1a1'))!.body, /<h1>Corrected<\/h1>/);

    // A stale version (older update) is neither stored nor rendered.
    rendered.length = 0;
    const stale = await store.upsertWithPages([article('a1a1a1a1a1a1', { contentHash: 'h-old', updated: '2026-11-20T09:00:00.000Z' })], 3_000, counting);
    assert.deepEqual([stale.stale, rendered], [1, []]);

    // The upsert went through but the page write did not (the process died in between): the
    // page is due, and the retried document renders it although the article is unchanged.
    const c = article('c3c3c3c3c3c3');
    await store.upsertBatch([c], 4_000);
    assert.equal(await store.pages.due(), 1);
    assert.equal(await store.pages.get(c.id), null);
    rendered.length = 0;
    const retry = await store.upsertWithPages([c], 5_000, counting);
    assert.deepEqual([retry.unchanged, retry.pages, rendered], [1, 1, [c.id]]);
    assert.ok(await store.pages.get(c.id));
    assert.equal(await store.pages.due(), 0);

    // Stored by a version before pages (no page, not due): the next document carrying it renders it.
    const d = article('d7d7d7d7d7d7');
    await store.upsertBatch([d], 5_500);
    await client.srem(keys(prefix).pagesDue, d.id);
    rendered.length = 0;
    const backfill = await store.upsertWithPages([d, c], 5_600, counting);
    assert.deepEqual([backfill.unchanged, backfill.pages, rendered], [2, 1, [d.id]]);
    assert.ok(await store.pages.get(d.id));

    // Two jobs racing on one story: the page of the version no longer stored is refused.
    const pages = new PageStore(client, prefix);
    const old = await pages.put([{ id: a1.id, storeHash: 'not-the-stored-version', recordJson: JSON.stringify(a1), page: render(a1) }], new Date(6_000));
    assert.deepEqual(old, { written: 0, skipped: 1 });
    assert.match((await store.pages.get('a1a1a1a1a1a1'))!.body, /<h1>Corrected<\/h1>/);
  });

  test('a canceled story answers 410 with a withdrawn page and no record; an embargoed one is not found until its time', async () => {
    const client = redis.client();
    const prefix = redis.prefix();
    const store = new ArticleStore(client, prefix);
    let now = Date.parse('2026-11-21T00:00:00.000Z');
    const app = Fastify();
    registerArticleRoutes(app, store.pages, () => now);
    try {
      const killed = article('d4d4d4d4d4d4', { headline: 'Secret merger talks', bodyHtml: '<p>Secret body</p>' });
      await store.upsertWithPages([killed], now, render);
      assert.equal((await app.inject(`/articles/${killed.id}`)).statusCode, 200);
      await store.upsertWithPages([{ ...killed, status: 'canceled', contentHash: 'h-kill', updated: '2026-11-20T11:00:00.000Z' }], now, render);
      const gone = await app.inject(`/articles/${killed.id}`);
      assert.equal(gone.statusCode, 410);
      assert.match(gone.headers['content-type'] as string, /^text\/html; charset=utf-8/);
      assert.match(gone.body, /withdrawn/);
      assert.doesNotMatch(gone.body, /Secret/);
      const goneJson = await app.inject(`/articles/${killed.id}.json`);
      assert.equal(goneJson.statusCode, 410);
      assert.doesNotMatch(goneJson.body, /Secret/);

      const held = article('e5e5e5e5e5e5', { embargoUntil: '2026-11-21T06:00:00.000Z' });
      await store.upsertWithPages([held], now, render);
      assert.equal((await app.inject(`/articles/${held.id}`)).statusCode, 404);
      assert.equal((await app.inject(`/articles/${held.id}.json`)).statusCode, 404);
      now = Date.parse('2026-11-21T06:00:00.000Z');
      assert.equal((await app.inject(`/articles/${held.id}`)).statusCode, 200);
      assert.equal((await app.inject(`/articles/${held.id}.json`)).statusCode, 200);

      const withheld = article('f6f6f6f6f6f6', { status: 'withheld' });
      await store.upsertWithPages([withheld], now, render);
      assert.equal((await app.inject(`/articles/${withheld.id}`)).statusCode, 404);
    } finally {
      await app.close();
    }
  });
});
