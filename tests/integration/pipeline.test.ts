/**
 * The pipeline through BullMQ on a real Redis: ingest batches per document, publishing coalesces
 * per feed, bad documents fail alone, failing sources back off.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { JOB, type IngestJobData } from '../../src/queue/registry.ts';
import { ArticleStore } from '../../src/store/article-store.ts';
import { FeedStore } from '../../src/store/feed-store.ts';
import { keys } from '../../src/store/keys.ts';
import { SourceStateStore } from '../../src/store/source-state.ts';
import { startOrigin, type Origin } from '../helpers/origin-server.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { ROOT, startTestService, waitFor } from '../helpers/service.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
let redis: TestRedis;
let origin: Origin;
before(async () => {
  if (skip) return;
  redis = await startRedis();
  origin = await startOrigin();
});
after(async () => {
  await origin?.close();
  await redis?.stop();
});

function rss(items: { guid: string; title: string; body: string }[]): string {
  const xml = items
    .map((i) => `<item><guid isPermaLink="false">${i.guid}</guid><title>${i.title}</title><description>${i.body}</description><pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item>`)
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link><description>d</description>${xml}</channel></rss>`;
}

const PUSH_SOURCE = 'sources:\n  - id: bulk\n    type: directory\n    path: ./unused\n    topics: [economy]\n    enabled: false\n';

test('a burst of 1,000 items in 100 documents renders each feed a bounded number of times', { skip, timeout: 120_000 }, async () => {
  const svc = await startTestService(redis, PUSH_SOURCE, { env: { PUBLISH_WINDOW: '500ms' } });
  try {
    const q = new Queue('ingest', { connection: redis.client(), prefix: keys(svc.prefix).queuePrefix });
    const started = Date.now();
    await q.addBulk(
      Array.from({ length: 100 }, (_, d) => ({
        name: JOB.ingest,
        data: {
          sourceId: 'bulk',
          body: rss(Array.from({ length: 10 }, (_, i) => ({ guid: `g-${d}-${i}`, title: `Item ${d}-${i}`, body: `Body of item ${d}-${i}` }))),
          contentType: 'application/rss+xml',
          url: null,
          receivedAt: new Date().toISOString(),
        } satisfies IngestJobData,
      })),
    );
    const store = new ArticleStore(redis.client(), svc.prefix);
    await waitFor('1,000 articles', async () => ((await store.count('economy')) === 1000 ? true : undefined), 90_000);
    const feeds = new FeedStore(redis.client(), svc.prefix);
    // The last render happens within one window after the last upsert.
    const feed = await waitFor('economy.json with 50 items', async () => {
      const f = await feeds.get('economy', 'json');
      return f && (JSON.parse(f.body) as { items: unknown[] }).items.length === 50 ? f : undefined;
    });
    const elapsed = Date.now() - started;
    assert.ok(feed);
    await new Promise((r) => setTimeout(r, 800));
    const renders = svc.logs().filter((l) => l.msg === 'published' && l.feed === 'economy').length;
    const windows = Math.ceil(elapsed / 500) + 2;
    assert.ok(renders >= 1 && renders <= windows, `economy rendered ${renders} times over ${windows} windows`);
    assert.ok(renders < 100, `economy rendered ${renders} times for 100 documents`);
    const ingests = svc.logs().filter((l) => l.msg === 'ingested');
    assert.equal(ingests.length, 100, 'one ingest job per document, not per item');
    await q.close();
  } finally {
    await svc.service.stop();
  }
});

test('re-ingesting the same document changes nothing and publishes nothing', { skip, timeout: 60_000 }, async () => {
  const svc = await startTestService(redis, PUSH_SOURCE);
  try {
    const q = new Queue('ingest', { connection: redis.client(), prefix: keys(svc.prefix).queuePrefix });
    const data: IngestJobData = {
      sourceId: 'bulk',
      body: rss([{ guid: 'once', title: 'Once', body: 'Only once' }]),
      contentType: null,
      url: null,
      receivedAt: '2026-11-20T10:00:00.000Z',
    };
    await q.add(JOB.ingest, data);
    await waitFor('first ingest', async () => (svc.logs().some((l) => l.msg === 'ingested') ? true : undefined));
    await q.add(JOB.ingest, { ...data, receivedAt: '2026-11-21T10:00:00.000Z' });
    const second = await waitFor('second ingest', async () => svc.logs().filter((l) => l.msg === 'ingested')[1]);
    assert.deepEqual(
      { inserted: second.inserted, updated: second.updated, unchanged: second.unchanged, changedFeeds: second.changedFeeds },
      { inserted: 0, updated: 0, unchanged: 1, changedFeeds: 0 },
    );
    await q.close();
  } finally {
    await svc.service.stop();
  }
});

test('a malformed document fails alone with the source and cause logged; the next one flows', { skip, timeout: 60_000 }, async () => {
  const svc = await startTestService(redis, PUSH_SOURCE);
  try {
    const q = new Queue('ingest', { connection: redis.client(), prefix: keys(svc.prefix).queuePrefix });
    const base = { sourceId: 'bulk', contentType: null, url: null, receivedAt: '2026-11-20T10:00:00.000Z' };
    await q.add(JOB.ingest, { ...base, body: '<?xml version="1.0"?><rss version="2.0"><channel><title>broken' });
    await q.add(JOB.ingest, { ...base, body: rss([{ guid: 'after', title: 'After the broken one', body: 'still flowing' }]) });
    const store = new ArticleStore(redis.client(), svc.prefix);
    await waitFor('the good document', async () => ((await store.count()) === 1 ? true : undefined));
    const rejected = await waitFor('rejection log', async () => svc.logs().find((l) => l.msg?.toString().includes('document rejected')));
    assert.equal(rejected.sourceId, 'bulk');
    assert.match(String(rejected.msg), /^source bulk: document rejected: PARSE_ERROR: /);
    const failed = await q.getFailed();
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.attemptsMade, 1, 'a bad document is not retried');
    await q.close();
  } finally {
    await svc.service.stop();
  }
});

test('a feed source polls conditionally, stops on 304, and backs off on 500, 404 and HTML', { skip, timeout: 60_000 }, async () => {
  origin.set('/good.xml', { body: rss([{ guid: 'g1', title: 'Oil prices rise', body: 'oil prices' }]), contentType: 'application/rss+xml', etag: '"v1"', lastModified: 'Fri, 20 Nov 2026 10:00:00 GMT' });
  origin.set('/down.xml', { status: 500, body: 'oops' });
  origin.set('/gone.xml', { status: 404, body: 'no' });
  origin.set('/page.xml', { body: '<!doctype html><html><body>hi</body></html>', contentType: 'text/html' });
  const sources = ['good', 'down', 'gone', 'page']
    .map((id) => `  - id: ${id}\n    type: feed\n    url: ${origin.url(`/${id}.xml`)}\n    every: 10s\n`)
    .join('');
  const svc = await startTestService(redis, `sources:\n${sources}`);
  try {
    const state = new SourceStateStore(redis.client(), svc.prefix);
    const store = new ArticleStore(redis.client(), svc.prefix);
    await waitFor('good ingested', async () => ((await store.count('source:good')) === 1 ? true : undefined));
    for (const [id, code] of [['down', 'HTTP_5XX'], ['gone', 'HTTP_4XX'], ['page', 'NOT_A_FEED']] as const) {
      const s = await waitFor(`${id} failure recorded`, async () => {
        const st = await state.get(id);
        return st.failures > 0 ? st : undefined;
      });
      assert.equal(s.lastStatus, code);
      assert.ok(s.backoffUntil > Date.now(), `${id} backs off`);
    }
    const good = await state.get('good');
    assert.deepEqual({ etag: good.etag, lastModified: good.lastModified, failures: good.failures }, { etag: '"v1"', lastModified: 'Fri, 20 Nov 2026 10:00:00 GMT', failures: 0 });
    // The next poll (forced now) sends the validators back exactly and stops at 304.
    const fetchQueue = new Queue('fetch', { connection: redis.client(), prefix: keys(svc.prefix).queuePrefix });
    await fetchQueue.add(JOB.poll, { sourceId: 'good' });
    await waitFor('conditional poll', async () => (origin.stats('/good.xml').notModified >= 1 ? true : undefined));
    assert.equal(origin.stats('/good.xml').lastHeaders?.['if-none-match'], '"v1"');
    assert.equal(origin.stats('/good.xml').lastHeaders?.['if-modified-since'], 'Fri, 20 Nov 2026 10:00:00 GMT');
    assert.match(String(origin.stats('/good.xml').lastHeaders?.['user-agent']), /^Wirefeed\/0\.1\.0/);
    await fetchQueue.close();
  } finally {
    await svc.service.stop();
  }
});

test('an article ingested after start reaches the language variant of its topic feeds', { skip, timeout: 60_000 }, async () => {
  const svc = await startTestService(redis, PUSH_SOURCE);
  try {
    const feeds = new FeedStore(redis.client(), svc.prefix);
    // Wait for the publish of every feed at start, so only the ingest can bring the seed in.
    await waitFor('economy.ar.json published at start', async () => ((await feeds.get('economy.ar', 'json')) ? true : undefined));
    const q = new Queue('ingest', { connection: redis.client(), prefix: keys(svc.prefix).queuePrefix });
    const seed = readFileSync(join(ROOT, 'tests/fixtures/wire/seed-ar-kremlin.txt'), 'utf8');
    await q.add(JOB.ingest, { sourceId: 'bulk', body: seed, contentType: null, url: null, receivedAt: new Date().toISOString() } satisfies IngestJobData);
    for (const feed of ['economy.ar', 'all.ar', 'health.ar']) {
      await waitFor(`the seed in ${feed}.json`, async () => ((await feeds.get(feed, 'json'))?.body.includes('أوبك+') ? true : undefined));
    }
    assert.ok(!(await feeds.get('economy.en', 'json'))?.body.includes('أوبك+'));
    await q.close();
  } finally {
    await svc.service.stop();
  }
});
