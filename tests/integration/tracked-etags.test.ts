/**
 * ETags held in the HTTP process and kept current by Redis (CLIENT TRACKING with REDIRECT), on a
 * real redis-server: a revalidation asks Redis nothing, a write is seen at once, an outage
 * drops what is held (the next call fails as it would without the cache), and tracking comes
 * back with Redis.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createInvalidationSubscriber, redisOptions } from '../../src/queue/connection.ts';
import { TrackedEtags } from '../../src/http/tracked-etags.ts';
import { FeedStore } from '../../src/store/feed-store.ts';
import { useTestRedis } from '../helpers/redis-server.ts';
import { waitFor } from '../helpers/service.ts';

const { skip, redis } = useTestRedis();
const RSS = 'application/rss+xml; charset=utf-8';

/** HGET calls Redis has served so far. */
async function hgets(admin: Redis): Promise<number> {
  const stats = await admin.info('commandstats');
  return Number(/cmdstat_hget:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

function tracker(prefix: string) {
  const reader = new Redis(redisOptions(redis.url, 'client'));
  const subscriber = createInvalidationSubscriber(redis.url);
  for (const c of [reader, subscriber]) c.on('error', () => undefined);
  return { etags: new TrackedEtags(reader, subscriber, prefix), close: () => { reader.disconnect(); subscriber.disconnect(); } };
}

describe('TrackedEtags', { skip }, () => {
  test('revalidations ask Redis nothing; a new rendering is seen on the next call', async () => {
    const prefix = redis.prefix();
    const admin = redis.client();
    const feeds = new FeedStore(redis.client(), prefix);
    const { etags, close } = tracker(prefix);
    try {
      await waitFor('tracking on', async () => (etags.tracking ? true : undefined), 5_000);
      await feeds.put('economy', 'rss', '<rss>1</rss>', RSS, new Date('2026-11-21T10:00:00Z'));
      const first = (await feeds.get('economy', 'rss'))!.etag;
      assert.equal(await etags.etag('economy', 'rss'), first);
      assert.equal(await etags.etag('economy', 'atom'), null, 'none stored: null, held too');

      const before = await hgets(admin);
      for (let i = 0; i < 100; i++) {
        assert.equal(await etags.etag('economy', 'rss'), first);
        assert.equal(await etags.etag('economy', 'atom'), null);
      }
      assert.equal((await hgets(admin)) - before, 0, '200 calls, no HGET');

      await feeds.put('economy', 'rss', '<rss>2</rss>', RSS, new Date('2026-11-21T11:00:00Z'));
      const second = (await feeds.get('economy', 'rss'))!.etag;
      assert.notEqual(second, first);
      // Redis sends the invalidation while it runs the write; it is on its way when put() returns.
      await waitFor('the new ETag', async () => ((await etags.etag('economy', 'rss')) === second ? true : undefined), 2_000);
      await feeds.put('economy', 'atom', '<feed/>', RSS, new Date('2026-11-21T11:00:00Z'));
      await waitFor('the first atom ETag', async () => ((await etags.etag('economy', 'atom')) !== null ? true : undefined), 2_000);
    } finally {
      close();
    }
  });

  test('FLUSHALL drops everything held', async () => {
    const prefix = redis.prefix();
    const feeds = new FeedStore(redis.client(), prefix);
    const { etags, close } = tracker(prefix);
    try {
      await waitFor('tracking on', async () => (etags.tracking ? true : undefined), 5_000);
      await feeds.put('all', 'json', '{}', 'application/feed+json', new Date('2026-11-21T10:00:00Z'));
      assert.notEqual(await etags.etag('all', 'json'), null);
      assert.equal(etags.size, 1);
      await redis.client().flushall();
      await waitFor('the flush heard', async () => (etags.size === 0 ? true : undefined), 2_000);
      assert.equal(await etags.etag('all', 'json'), null);
    } finally {
      close();
    }
  });

  test('an outage drops what is held and calls fail; with Redis back, tracking and holding resume', { timeout: 30_000 }, async () => {
    const prefix = redis.prefix();
    const { etags, close } = tracker(prefix);
    try {
      await waitFor('tracking on', async () => (etags.tracking ? true : undefined), 5_000);
      await new FeedStore(redis.client(), prefix).put('all', 'rss', '<rss/>', RSS, new Date('2026-11-21T10:00:00Z'));
      assert.notEqual(await etags.etag('all', 'rss'), null);
      await redis.kill();
      await waitFor('tracking off', async () => (etags.tracking ? undefined : true), 5_000);
      assert.equal(etags.size, 0);
      await assert.rejects(etags.etag('all', 'rss'), 'no answer from memory while Redis is down');
      await redis.restart();
      await waitFor('tracking back on', async () => (etags.tracking ? true : undefined), 10_000);
      const feeds = new FeedStore(redis.client(), prefix);
      await feeds.put('all', 'rss', '<rss>after</rss>', RSS, new Date('2026-11-21T12:00:00Z'));
      const etag = (await feeds.get('all', 'rss'))!.etag;
      assert.equal(await etags.etag('all', 'rss'), etag);
      const admin = redis.client();
      const before = await hgets(admin);
      for (let i = 0; i < 20; i++) assert.equal(await etags.etag('all', 'rss'), etag);
      assert.equal((await hgets(admin)) - before, 0, 'held again after the restart');
      await feeds.put('all', 'rss', '<rss>later</rss>', RSS, new Date('2026-11-21T13:00:00Z'));
      const later = (await feeds.get('all', 'rss'))!.etag;
      await waitFor('the write after the restart seen', async () => ((await etags.etag('all', 'rss')) === later ? true : undefined), 2_000);
    } finally {
      close();
    }
  });
});
