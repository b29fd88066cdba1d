/** WebSub publish pings to a real local hub on 127.0.0.1. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pingHub } from '../../src/fetch/websub-ping.ts';
import { startHub, type TestHub } from '../helpers/hub-server.ts';

let hub: TestHub;
before(async () => {
  hub = await startHub();
});
after(() => hub.close());

const opts = { userAgent: 'Wirefeed/test (+http://127.0.0.1/)', timeoutMs: 2000 };

test('one form-encoded publish ping per changed feed URL, with our User-Agent', async () => {
  hub.pings.length = 0;
  const feeds = ['http://127.0.0.1:8080/feeds/economy.rss', 'http://127.0.0.1:8080/feeds/economy.atom'];
  assert.deepEqual(await pingHub(hub.url, feeds, opts), []);
  assert.deepEqual(
    hub.pings.map((p) => [p.mode, p.url, p.contentType, p.userAgent]),
    feeds.map((url) => ['publish', url, 'application/x-www-form-urlencoded', opts.userAgent]),
  );
});

test('a hub that refuses or is gone is reported, never thrown', async () => {
  hub.answer(500);
  const refused = await pingHub(hub.url, ['http://127.0.0.1:8080/feeds/all.rss'], opts);
  assert.equal(refused.length, 1);
  assert.match(refused[0]!.reason, /^HTTP_5XX: hub .* answered 500/);
  hub.answer(202);
  const gone = await pingHub('http://127.0.0.1:9/hub', ['http://127.0.0.1:8080/feeds/all.rss'], opts);
  assert.match(gone[0]!.reason, /^FETCH_NETWORK: /);
});
