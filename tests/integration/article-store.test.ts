import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArticleStore, UPSERT_CHUNK } from '../../src/store/article-store.ts';
import { article, topics } from '../helpers/article.ts';
import { useTestRedis } from '../helpers/redis-server.ts';

const { skip, redis } = useTestRedis();

test('a batch is stored with its topic, all and source indexes; re-storing it changes nothing', { skip }, async () => {
  const store = new ArticleStore(redis.client(), redis.prefix());
  const batch = [
    article('a1', { topics: topics('economy', 'politics'), updated: '2026-11-20T10:00:00.000Z' }),
    article('a2', { topics: topics('economy'), updated: '2026-11-20T11:00:00.000Z' }),
  ];
  const first = await store.upsertBatch(batch);
  assert.deepEqual({ ...first, changedFeeds: first.changedFeeds.sort() }, {
    inserted: 2,
    updated: 0,
    unchanged: 0,
    stale: 0,
    heldUntil: [],
    changedFeeds: ['all', 'economy', 'politics', 'source:test-source'],
  });
  assert.deepEqual((await store.newest('economy', 10)).map((a) => a.id), ['a2', 'a1']);
  assert.deepEqual((await store.newest('politics', 10)).map((a) => a.id), ['a1']);
  assert.deepEqual((await store.newest('source:test-source', 1)).map((a) => a.id), ['a2']);
  assert.deepEqual(await store.get('a1'), batch[0]);

  const again = await store.upsertBatch(batch);
  assert.deepEqual(again, { inserted: 0, updated: 0, unchanged: 2, stale: 0, heldUntil: [], changedFeeds: [] });
});

test('an update replaces the record, leaves the topics it lost and rises to the top', { skip }, async () => {
  const store = new ArticleStore(redis.client(), redis.prefix());
  await store.upsertBatch([
    article('b1', { topics: topics('economy', 'health'), updated: '2026-11-20T09:00:00.000Z' }),
    article('b2', { topics: topics('economy'), updated: '2026-11-20T10:00:00.000Z' }),
  ]);
  const corrected = article('b1', {
    headline: 'Corrected headline',
    contentHash: 'hash-b1-v2',
    topics: topics('economy'),
    updated: '2026-11-20T12:00:00.000Z',
  });
  const r = await store.upsertBatch([corrected]);
  assert.deepEqual({ ...r, changedFeeds: r.changedFeeds.sort() }, {
    inserted: 0,
    updated: 1,
    unchanged: 0,
    stale: 0,
    heldUntil: [],
    changedFeeds: ['all', 'economy', 'health', 'source:test-source'],
  });
  assert.deepEqual((await store.newest('health', 10)).map((a) => a.id), []);
  assert.deepEqual((await store.newest('economy', 10)).map((a) => a.headline), ['Corrected headline', 'Headline b2']);
});

test('a topic change alone (same content) is an update', { skip }, async () => {
  const store = new ArticleStore(redis.client(), redis.prefix());
  await store.upsertBatch([article('c1', { topics: topics('sport') })]);
  const r = await store.upsertBatch([article('c1', { topics: topics('sport', 'health') })]);
  assert.equal(r.updated, 1);
  assert.deepEqual((await store.newest('health', 10)).map((a) => a.id), ['c1']);
});

test('retention removes old articles from every index and the record itself', { skip }, async () => {
  const store = new ArticleStore(redis.client(), redis.prefix());
  await store.upsertBatch([
    article('old', { topics: topics('weather'), updated: '2026-01-01T00:00:00.000Z' }),
    article('new', { topics: topics('weather'), updated: '2026-11-01T00:00:00.000Z' }),
  ]);
  const r = await store.prune(Date.parse('2026-06-01T00:00:00.000Z'));
  assert.deepEqual({ removed: r.removed, feeds: r.changedFeeds.sort() }, { removed: 1, feeds: ['all', 'source:test-source', 'weather'] });
  assert.equal(await store.get('old'), null);
  assert.deepEqual((await store.newest('weather', 10)).map((a) => a.id), ['new']);
  assert.equal(await store.count(), 1);
  // Stored again after pruning, it is new again.
  assert.equal((await store.upsertBatch([article('old', { topics: topics('weather') })])).inserted, 1);
});

test('an older version than the stored one is ignored, whatever its version number says', { skip }, async () => {
  const store = new ArticleStore(redis.client(), redis.prefix());
  await store.upsertBatch([article('v', { headline: 'Correction', contentHash: 'h2', updated: '2026-11-20T12:00:00.000Z' })]);
  const r = await store.upsertBatch([article('v', { headline: 'First take', contentHash: 'h1', updated: '2026-11-20T09:00:00.000Z' })]);
  assert.equal(r.stale, 1);
  assert.deepEqual(r.changedFeeds, []);
  assert.equal((await store.get('v'))?.headline, 'Correction');
});

test('a cancellation takes the article out of every feed, and an older usable version cannot bring it back', { skip }, async () => {
  const store = new ArticleStore(redis.client(), redis.prefix());
  const usable = article('k', { topics: topics('economy', 'politics'), updated: '2026-11-20T10:00:00.000Z' });
  await store.upsertBatch([usable]);
  const kill = article('k', { topics: topics('economy', 'politics'), updated: '2026-11-20T11:00:00.000Z', status: 'canceled' });
  const r = await store.upsertBatch([kill]);
  assert.deepEqual(r.changedFeeds.sort(), ['all', 'economy', 'politics', 'source:test-source']);
  for (const feed of ['all', 'economy', 'politics', 'source:test-source']) assert.deepEqual(await store.newest(feed, 10), []);
  assert.equal((await store.upsertBatch([usable])).stale, 1);
  assert.deepEqual(await store.newest('economy', 10), []);
});

test('an embargoed article is stored but stays out of the feeds until its time, then release() puts it in', { skip }, async () => {
  const store = new ArticleStore(redis.client(), redis.prefix());
  const now = Date.parse('2026-11-20T10:00:00.000Z');
  const until = now + 3_600_000;
  const embargoed = article('e', { topics: topics('sport'), embargoUntil: new Date(until).toISOString() });
  const r = await store.upsertBatch([embargoed], now);
  assert.deepEqual({ inserted: r.inserted, heldUntil: r.heldUntil, changedFeeds: r.changedFeeds }, { inserted: 1, heldUntil: [until], changedFeeds: [] });
  assert.deepEqual(await store.newest('sport', 10), []);
  assert.equal((await store.get('e'))?.id, 'e');
  assert.deepEqual(await store.release(until - 1), { released: 0, changedFeeds: [] });
  const released = await store.release(until);
  assert.deepEqual({ released: released.released, feeds: released.changedFeeds.sort() }, { released: 1, feeds: ['all', 'source:test-source', 'sport'] });
  assert.deepEqual((await store.newest('sport', 10)).map((a) => a.id), ['e']);
  // Re-ingesting the same embargoed document after the release changes nothing.
  assert.equal((await store.upsertBatch([embargoed], until + 1)).unchanged, 1);
  assert.deepEqual((await store.newest('sport', 10)).map((a) => a.id), ['e']);
});

test('language variants: an article is indexed in topic.lang and all.lang for the languages published', { skip }, async () => {
  const store = new ArticleStore(redis.client(), redis.prefix(), ['ar', 'fr']);
  const r = await store.upsertBatch([
    article('l-ar', { language: 'ar', topics: topics('economy') }),
    article('l-en', { language: 'en', topics: topics('economy') }),
  ]);
  assert.deepEqual(r.changedFeeds.sort(), ['all', 'all.ar', 'economy', 'economy.ar', 'source:test-source']);
  assert.deepEqual((await store.newest('economy.ar', 10)).map((a) => a.id), ['l-ar']);
  assert.deepEqual((await store.newest('all.ar', 10)).map((a) => a.id), ['l-ar']);
  assert.deepEqual((await store.newest('economy', 10)).map((a) => a.id).sort(), ['l-ar', 'l-en']);
  // A kill removes it from its language variants too.
  await store.upsertBatch([article('l-ar', { language: 'ar', topics: topics('economy'), status: 'canceled', updated: '2026-11-21T00:00:00.000Z' })]);
  assert.deepEqual(await store.newest('economy.ar', 10), []);
  assert.deepEqual(await store.newest('all.ar', 10), []);
});

test('a document of 15,000 articles is stored whole, in chunks; storing it again changes nothing', { skip }, async () => {
  const store = new ArticleStore(redis.client(), redis.prefix());
  const n = 15_000;
  assert.ok(n > 20 * UPSERT_CHUNK);
  const batch = Array.from({ length: n }, (_, i) =>
    article(`big-${i}`, { topics: topics(i % 2 ? 'economy' : 'sport'), updated: new Date(Date.UTC(2026, 10, 20, 0, 0, i)).toISOString() }),
  );
  const first = await store.upsertBatch(batch);
  assert.equal(first.inserted, n);
  assert.deepEqual(first.changedFeeds.sort(), ['all', 'economy', 'source:test-source', 'sport']);
  assert.equal(await store.count('all'), n);
  assert.deepEqual((await store.newest('economy', 2)).map((a) => a.id), [`big-${n - 1}`, `big-${n - 3}`]);
  const again = await store.upsertBatch(batch);
  assert.deepEqual(again, { inserted: 0, updated: 0, unchanged: n, stale: 0, heldUntil: [], changedFeeds: [] });
});
