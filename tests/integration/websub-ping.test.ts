/** WebSub publish pings to a real local hub on 127.0.0.1, alone and from the publish worker. */
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pingHub } from '../../src/fetch/websub-ping.ts';
import { startHub, type TestHub } from '../helpers/hub-server.ts';
import { useTestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor } from '../helpers/service.ts';

const { skip, redis } = useTestRedis();

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

test('with websubHub set, feeds name the hub and each render that changes a feed pings it', { skip, timeout: 60_000 }, async () => {
  hub.pings.length = 0;
  hub.answer(202);
  const inbox = mkdtempSync(join(tmpdir(), 'wf-websub-'));
  const svc = await startTestService(redis, `sources:\n  - id: wire\n    type: directory\n    path: ${inbox}\n    every: 500ms\n`, {
    roles: { http: true, queues: ['fetch', 'ingest', 'publish'], scheduler: true },
    env: { WEBSUB_HUB: hub.url, PUBLIC_URL: 'http://127.0.0.1:9999' },
  });
  try {
    // The start publishes every feed once: each of those renders is a change, pinged.
    await waitFor('pings of the first renders', async () => (hub.pings.some((p) => p.url === 'http://127.0.0.1:9999/feeds/all.atom') ? true : undefined));
    const before = hub.pings.length;
    writeFileSync(join(inbox, 'story.txt'), 'LONDON, Monday (Reuters) - The Bank of England held its key rate on Monday and said inflation was easing across the economy.');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(inbox, 'story.txt'), past, past);
    const pinged = await waitFor('pings for the story', async () => {
      const urls = hub.pings.slice(before).map((p) => p.url);
      return urls.includes('http://127.0.0.1:9999/feeds/source/wire.rss') && urls.includes('http://127.0.0.1:9999/feeds/all.json') ? urls : undefined;
    });
    assert.ok(pinged.every((u) => u!.startsWith('http://127.0.0.1:9999/feeds/')));
    assert.ok(hub.pings.every((p) => p.mode === 'publish'));
    const atom = await (await fetch(`${svc.service.url}/feeds/all.atom`)).text();
    assert.match(atom, new RegExp(`<link rel="hub" href="${hub.url.replace(/[.]/g, '\\.')}"`));
    const json = JSON.parse(await (await fetch(`${svc.service.url}/feeds/all.json`)).text()) as { hubs?: { type: string; url: string }[] };
    assert.deepEqual(json.hubs, [{ type: 'WebSub', url: hub.url }]);
  } finally {
    await svc.service.stop();
  }
});
