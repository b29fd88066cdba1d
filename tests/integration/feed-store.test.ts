import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { FeedStore, maxAgeFor } from '../../src/store/feed-store.ts';
import { keys } from '../../src/store/keys.ts';
import { useTestRedis } from '../helpers/redis-server.ts';

const { skip, redis } = useTestRedis();
const RSS = 'application/rss+xml; charset=utf-8';

test('validators move only when the bytes change', { skip }, async () => {
  const store = new FeedStore(redis.client(), redis.prefix());
  const t1 = new Date('2026-11-21T10:00:00Z');
  const t2 = new Date('2026-11-21T11:00:00Z');
  assert.equal(await store.put('economy', 'rss', '<rss>1</rss>', RSS, t1), true);
  const first = await store.get('economy', 'rss');
  assert.deepEqual(
    { ...first, etag: undefined, encoded: undefined },
    { body: '<rss>1</rss>', etag: undefined, encoded: undefined, lastModified: 'Sat, 21 Nov 2026 10:00:00 GMT', contentType: RSS, maxAge: 30 },
  );
  assert.match(first!.etag, /^"[A-Za-z0-9_-]{27}"$/);

  assert.equal(await store.put('economy', 'rss', '<rss>1</rss>', RSS, t2), false);
  assert.deepEqual(await store.get('economy', 'rss'), first);

  assert.equal(await store.put('economy', 'rss', '<rss>2</rss>', RSS, t2), true);
  const second = await store.get('economy', 'rss');
  assert.notEqual(second!.etag, first!.etag);
  assert.equal(second!.lastModified, 'Sat, 21 Nov 2026 11:00:00 GMT');
  assert.equal(await store.get('economy', 'atom'), null);
});

test('the gzip and brotli forms are made at publish and stored in the same hash as the identity bytes', { skip }, async () => {
  const prefix = redis.prefix();
  const store = new FeedStore(redis.client(), prefix);
  const body = `<rss>${'اقتصاد، اعمال ومال — economy, business and finance. '.repeat(200)}</rss>`;
  await store.put('economy', 'rss', body, RSS, new Date('2026-11-21T10:00:00Z'));
  const raw = await redis.client().hgetallBuffer(keys(prefix).rendered('economy', 'rss'));
  assert.deepEqual(Object.keys(raw).sort(), ['body', 'br', 'changes', 'contentType', 'encodings', 'etag', 'gzip', 'lastModified', 'maxAge']);
  assert.equal(brotliDecompressSync(raw.br!).toString('utf8'), body);
  assert.equal(gunzipSync(raw.gzip!).toString('utf8'), body);
  assert.ok(raw.br!.length < raw.body!.length / 5 && raw.gzip!.length < raw.body!.length / 5, 'compressed, not just wrapped');
  const got = await store.get('economy', 'rss');
  assert.deepEqual(got!.encoded!.br, raw.br);
  assert.deepEqual(got!.encoded!.gzip, raw.gzip);
  assert.equal(got!.body, body, 'the identity bytes read back as UTF-8 text');
});

test('a rendering stored before compression gets its compressed forms on the next publish, validators unchanged', { skip }, async () => {
  const prefix = redis.prefix();
  const client = redis.client();
  const store = new FeedStore(client, prefix);
  const key = keys(prefix).rendered('sport', 'json');
  await store.put('sport', 'json', '{"v":1}', 'application/feed+json', new Date('2026-11-21T10:00:00Z'));
  const before = await store.get('sport', 'json');
  await client.hdel(key, 'br', 'gzip', 'encodings', 'maxAge', 'changes');
  const old = await store.get('sport', 'json');
  assert.equal(old!.encoded, undefined, 'an old hash serves identity only');
  assert.equal(old!.maxAge, undefined);
  assert.equal(await store.put('sport', 'json', '{"v":1}', 'application/feed+json', new Date('2026-11-21T12:00:00Z')), false, 'not a change');
  assert.deepEqual(await store.get('sport', 'json'), before);
});

test('max-age follows how often the feed changes: a quarter of the median interval, 30 s .. 15 min', { skip }, async () => {
  const store = new FeedStore(redis.client(), redis.prefix());
  const t0 = Date.parse('2026-11-21T10:00:00Z');
  const minutes = (n: number) => new Date(t0 + n * 60_000);
  // Changes every 8 minutes: max-age 2 min.
  for (let i = 0; i < 5; i++) await store.put('busy', 'rss', `<rss>${i}</rss>`, RSS, minutes(8 * i));
  assert.equal((await store.get('busy', 'rss'))!.maxAge, 120);
  // Unchanged bytes published again do not count as a change.
  await store.put('busy', 'rss', '<rss>4</rss>', RSS, minutes(100));
  assert.equal((await store.get('busy', 'rss'))!.maxAge, 120);
  // Changes every 10 s: the floor. Every 3 hours: the ceiling.
  for (let i = 0; i < 3; i++) await store.put('fast', 'rss', `<rss>${i}</rss>`, RSS, new Date(t0 + i * 10_000));
  assert.equal((await store.get('fast', 'rss'))!.maxAge, 30);
  for (let i = 0; i < 3; i++) await store.put('slow', 'rss', `<rss>${i}</rss>`, RSS, minutes(180 * i));
  assert.equal((await store.get('slow', 'rss'))!.maxAge, 900);
  // The last 8 change times only: a feed that speeds up gets a shorter max-age.
  for (let i = 0; i < 8; i++) await store.put('slow', 'rss', `<rss>s${i}</rss>`, RSS, minutes(360 + 4 * i));
  assert.equal((await store.get('slow', 'rss'))!.maxAge, 60);
});

test('maxAgeFor: the median interval, so one long pause does not set it', () => {
  const at = (...minutes: number[]) => minutes.map((m) => m * 60_000);
  assert.equal(maxAgeFor([]), 30);
  assert.equal(maxAgeFor(at(0)), 30);
  assert.equal(maxAgeFor(at(0, 10, 20, 30, 600)), 150);
  assert.equal(maxAgeFor(at(0, 10, 30)), 225, 'two intervals: their mean');
});
