/**
 * The last-served feed bytes kept for Redis outages: bounded by the bytes of the bodies (UTF-8),
 * least recently used out first, a body larger than the bound never kept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeedCache } from '../../src/http/feed-cache.ts';
import { etagOf, type RenderedFeed } from '../../src/store/feed-store.ts';

function rendered(body: string, lastModified = 'Tue, 01 Dec 2026 10:00:00 GMT'): RenderedFeed {
  return { body, etag: etagOf(body), lastModified, contentType: 'application/rss+xml; charset=utf-8' };
}

test('what was set is returned as it was, per feed and format', () => {
  const cache = new FeedCache(1000);
  const rss = rendered('<rss>economy</rss>');
  cache.set('economy', 'rss', rss);
  cache.set('economy', 'atom', rendered('<feed>economy</feed>'));
  assert.deepEqual(cache.get('economy', 'rss'), rss);
  assert.equal(cache.get('economy', 'atom')!.body, '<feed>economy</feed>');
  assert.equal(cache.get('economy', 'json'), null);
  assert.equal(cache.get('sport', 'rss'), null);
  assert.equal(cache.size, 2);
});

test('bounded by the UTF-8 bytes of the bodies: the least recently used goes first', () => {
  const cache = new FeedCache(300);
  cache.set('a', 'rss', rendered('a'.repeat(100)));
  cache.set('b', 'rss', rendered('b'.repeat(100)));
  cache.set('c', 'rss', rendered('c'.repeat(100)));
  assert.equal(cache.bytes, 300);
  cache.get('a', 'rss'); // a is now the most recently used: b is the oldest
  cache.set('d', 'rss', rendered('d'.repeat(100)));
  assert.equal(cache.get('b', 'rss'), null);
  assert.ok(cache.get('a', 'rss') && cache.get('c', 'rss') && cache.get('d', 'rss'));
  assert.equal(cache.bytes, 300);
  // 50 Arabic letters are 100 bytes: they push out one more entry, the oldest (a).
  cache.get('c', 'rss');
  cache.get('d', 'rss');
  cache.set('e', 'rss', rendered('ب'.repeat(50)));
  assert.equal(cache.get('a', 'rss'), null);
  assert.equal(cache.bytes, 300);
  assert.equal(cache.size, 3);
});

test('a newer rendering replaces the older and its bytes; one over the bound is not kept', () => {
  const cache = new FeedCache(250);
  cache.set('all', 'rss', rendered('x'.repeat(200)));
  cache.set('all', 'rss', rendered('y'.repeat(50), 'Tue, 01 Dec 2026 11:00:00 GMT'));
  assert.equal(cache.bytes, 50);
  assert.equal(cache.get('all', 'rss')!.body, 'y'.repeat(50));
  cache.set('all', 'json', rendered('z'.repeat(251)));
  assert.equal(cache.get('all', 'json'), null);
  // An oversize rendering of a kept feed drops the old bytes too: they are no longer current.
  cache.set('all', 'rss', rendered('w'.repeat(300)));
  assert.equal(cache.get('all', 'rss'), null);
  assert.equal(cache.bytes, 0);
  assert.equal(cache.size, 0);
});

test('the compressed forms count in the bound, and a rendering that gained them replaces the one without', () => {
  const cache = new FeedCache(1000);
  const plain = rendered('a'.repeat(300));
  cache.set('all', 'rss', plain);
  assert.equal(cache.bytes, 300);
  const withCodings: RenderedFeed = { ...plain, encoded: { br: Buffer.alloc(40), gzip: Buffer.alloc(60) } };
  cache.set('all', 'rss', withCodings);
  assert.equal(cache.bytes, 400);
  assert.deepEqual(cache.get('all', 'rss')!.encoded, withCodings.encoded);
  cache.set('all', 'atom', { ...rendered('b'.repeat(500)), encoded: { br: Buffer.alloc(60), gzip: Buffer.alloc(80) } });
  assert.equal(cache.get('all', 'rss'), null, 'the 640 bytes of the atom push the older rss out');
  assert.equal(cache.bytes, 640);
});
