/**
 * Versions of one story through the queues: a correction replaces the article and rises to the
 * top, an older version is ignored whatever its version number, a cancellation takes it out of
 * every feed, an embargoed item appears only when its embargo ends.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { JOB, type IngestJobData } from '../../src/queue/registry.ts';
import { ArticleStore } from '../../src/store/article-store.ts';
import { FeedStore } from '../../src/store/feed-store.ts';
import { keys } from '../../src/store/keys.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor, type TestService } from '../helpers/service.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
let redis: TestRedis;
let svc: TestService;
let queue: Queue;
let store: ArticleStore;

before(async () => {
  if (skip) return;
  redis = await startRedis();
  svc = await startTestService(redis, 'sources:\n  - id: agency\n    type: directory\n    path: ./unused\n    topics: [economy]\n    enabled: false\n');
  queue = new Queue('ingest', { connection: redis.client(), prefix: keys(svc.prefix).queuePrefix });
  store = new ArticleStore(redis.client(), svc.prefix);
});
after(async () => {
  await queue?.close();
  await svc?.service.stop();
  await redis?.stop();
});

function g2(opts: { guid: string; version: number; created: string; status?: string; embargo?: string; headline: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="${opts.guid}" version="${opts.version}" standard="NewsML-G2" standardversion="2.29" xml:lang="en">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:TEST"/>
    <versionCreated>${opts.created}</versionCreated>
    <firstCreated>2026-11-20T08:00:00Z</firstCreated>
    ${opts.embargo ? `<embargoed>${opts.embargo}</embargoed>` : ''}
    <pubStatus qcode="stat:${opts.status ?? 'usable'}"/>
  </itemMeta>
  <contentMeta><headline>${opts.headline}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/nitf+xml"><nitf><body><body.content>
    <p>${opts.headline}: the ministry published the figures on Friday.</p>
  </body.content></body></nitf></inlineXML></contentSet>
</newsItem>`;
}

let seq = 0;
async function ingest(body: string): Promise<Record<string, unknown>> {
  const before = svc.logs().filter((l) => l.msg === 'ingested').length;
  const data: IngestJobData = { sourceId: 'agency', body, contentType: 'application/vnd.iptc.g2.newsitem+xml', url: null, receivedAt: new Date().toISOString() };
  await queue.add(JOB.ingest, data, { jobId: `v-${++seq}` });
  return waitFor('ingested', async () => svc.logs().filter((l) => l.msg === 'ingested')[before]);
}

test('correction, stale version, cancellation', { skip, timeout: 60_000 }, async () => {
  const guid = 'urn:newsml:test:2026:STORY-1';
  await ingest(g2({ guid, version: 5, created: '2026-11-20T10:00:00Z', headline: 'First take' }));
  const [first] = await store.newest('economy', 10);
  assert.equal(first?.headline, 'First take');

  // A correction with a SMALLER version number but a later versionCreated replaces it.
  const corrected = await ingest(g2({ guid, version: 3, created: '2026-11-20T11:00:00Z', headline: 'Corrected take' }));
  assert.equal(corrected.updated, 1);
  const [now] = await store.newest('economy', 10);
  assert.deepEqual([now?.id, now?.headline, now?.updated, now?.version], [first?.id, 'Corrected take', '2026-11-20T11:00:00.000Z', '3']);

  // An older version arriving late changes nothing.
  const stale = await ingest(g2({ guid, version: 9, created: '2026-11-20T09:00:00Z', headline: 'Stale take' }));
  assert.equal(stale.stale, 1);
  assert.equal((await store.newest('economy', 10))[0]?.headline, 'Corrected take');

  // The kill takes it out of every feed.
  await ingest(g2({ guid, version: 2, created: '2026-11-20T12:00:00Z', status: 'canceled', headline: 'Corrected take' }));
  assert.deepEqual(await store.newest('economy', 10), []);
  assert.deepEqual(await store.newest('all', 10), []);
  assert.equal((await store.get(first!.id))?.status, 'canceled');
});

test('an embargoed item is held, then published when its embargo ends', { skip, timeout: 60_000 }, async () => {
  const embargo = new Date(Date.now() + 2000).toISOString();
  const held = await ingest(g2({ guid: 'urn:newsml:test:2026:EMBARGOED', version: 1, created: new Date().toISOString(), embargo, headline: 'Embargoed figures' }));
  assert.equal(held.heldUntil, 1);
  assert.ok(!(await store.newest('economy', 10)).some((a) => a.headline === 'Embargoed figures'));
  const feeds = new FeedStore(redis.client(), svc.prefix);
  const feed = await waitFor('the embargoed item in economy.json', async () => {
    const f = await feeds.get('economy', 'json');
    return f?.body.includes('Embargoed figures') ? f : undefined;
  });
  assert.ok(Date.now() >= Date.parse(embargo), 'not published before its embargo');
  assert.ok(feed);
});
