import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeedStore } from '../../src/store/feed-store.ts';
import { useTestRedis } from '../helpers/redis-server.ts';

const { skip, redis } = useTestRedis();

test('validators move only when the bytes change', { skip }, async () => {
  const store = new FeedStore(redis.client(), redis.prefix());
  const t1 = new Date('2026-11-21T10:00:00Z');
  const t2 = new Date('2026-11-21T11:00:00Z');
  assert.equal(await store.put('economy', 'rss', '<rss>1</rss>', 'application/rss+xml; charset=utf-8', t1), true);
  const first = await store.get('economy', 'rss');
  assert.deepEqual({ ...first, etag: undefined }, { body: '<rss>1</rss>', etag: undefined, lastModified: 'Sat, 21 Nov 2026 10:00:00 GMT', contentType: 'application/rss+xml; charset=utf-8' });
  assert.match(first!.etag, /^"[A-Za-z0-9_-]{27}"$/);

  assert.equal(await store.put('economy', 'rss', '<rss>1</rss>', 'application/rss+xml; charset=utf-8', t2), false);
  assert.deepEqual(await store.get('economy', 'rss'), first);

  assert.equal(await store.put('economy', 'rss', '<rss>2</rss>', 'application/rss+xml; charset=utf-8', t2), true);
  const second = await store.get('economy', 'rss');
  assert.notEqual(second!.etag, first!.etag);
  assert.equal(second!.lastModified, 'Sat, 21 Nov 2026 11:00:00 GMT');
  assert.equal(await store.get('economy', 'atom'), null);
});
