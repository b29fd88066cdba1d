/**
 * Faults, against local origins on 127.0.0.1 (issue 11): a source that hangs after the headers,
 * trickles a byte a second, returns 500 ten times, 429 with Retry-After: 120, redirects in a
 * loop, serves a gzip bomb, or changes its ETag on every request. Each is handled by the
 * fetching policy and logged once per state change; meanwhile a healthy source on another host
 * keeps delivering new items within one poll interval plus 5 s, /readyz stays 200 naming the
 * broken sources, and /metrics carries each source's state. Long waits run on a clock of the
 * test's own (deps.now); the service run uses the shortest interval a feed may have (10 s).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import type { FeedSourceConfig } from '../../src/config/schema.ts';
import { ClaimOwner } from '../../src/fetch/claim-owner.ts';
import { pollSource, type PollDeps, type PollOutcome } from '../../src/fetch/poll-source.ts';
import { BACKOFF_CAP_MS, UNHEALTHY_AFTER } from '../../src/fetch/poll-schedule.ts';
import { createLogger } from '../../src/log/logger.ts';
import { ArticleStore } from '../../src/store/article-store.ts';
import { PollLeases } from '../../src/store/poll-lease.ts';
import { SourceStateStore } from '../../src/store/source-state.ts';
import { logSourceEvent } from '../../workers/fetch-worker.ts';
import { startOrigin, type Origin } from '../helpers/origin-server.ts';
import { useTestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor } from '../helpers/service.ts';

const { skip, redis } = useTestRedis();
const settings = loadConfig('config', {}).settings;
const MIN = 60_000;
/** A fixed epoch for the test clock: nothing depends on today's date. */
const T0 = Date.UTC(2030, 0, 1);
const rss = (guids: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${guids.map((g) => `<item><guid>${g}</guid><title>Story ${g}</title><description>Body of ${g}.</description></item>`).join('')}</channel></rss>`;

let origin: Origin;
before(async () => {
  origin = await startOrigin();
});
after(async () => {
  await origin?.close();
});

function feed(id: string, path: string, over: Partial<FeedSourceConfig> = {}): FeedSourceConfig {
  return { id, type: 'feed', url: origin.url(path), every: 10 * MIN, timeout: 2000, topics: [], categories: {}, enabled: true, ...over };
}

/** pollSource on a clock of ours, its state changes logged by the worker's own logger into `lines`. */
function harness(clock: { ms: number }) {
  const r = redis.client();
  const prefix = redis.prefix();
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('debug', new Writable({ write: (c, _e, done) => (lines.push(...c.toString().split('\n').filter(Boolean).map((l: string) => JSON.parse(l))), done()) }));
  const state = new SourceStateStore(r, prefix);
  const deps: PollDeps = {
    settings,
    state,
    now: () => new Date(clock.ms),
    enqueue: async () => undefined,
    leases: new PollLeases(r, prefix),
    owner: new ClaimOwner(r, prefix),
    hasPendingJob: async () => false,
    hosts: state.hosts,
    onEvent: (e) => logSourceEvent(log, e),
    random: () => 0.5,
  };
  /** Every state-change line of a source: what it became. */
  const changes = (id: string) => lines.filter((l) => l.sourceId === id && l.event).map((l) => String(l.event === 'health' ? l.to : l.event));
  return { deps, state, changes, lines };
}

/** The next poll of `source`, the clock moved to when it is due. */
async function pollWhenDue(source: FeedSourceConfig, deps: PollDeps, clock: { ms: number }): Promise<PollOutcome | Error> {
  const s = await deps.state.get(source.id);
  clock.ms = Math.max(clock.ms, s.backoffUntil, s.nextPollAt ?? 0) + 1;
  return pollSource(source, deps).catch((err: Error) => err);
}

test('500 ten times: failing at once, unhealthy after five, backing off exponentially to the cap and never giving up; healthy again on the first 200; one line per change', { skip }, async () => {
  origin.set('/five-hundred.xml', { status: 500, body: 'oops' });
  const clock = { ms: T0 };
  const { deps, state, changes } = harness(clock);
  const source = feed('five-hundred', '/five-hundred.xml', { every: MIN });
  const gaps: number[] = [];
  for (let i = 0; i < 10; i++) {
    const before = clock.ms;
    assert.equal(((await pollWhenDue(source, deps, clock)) as { code?: string }).code, 'HTTP_5XX');
    if (i > 0) gaps.push(clock.ms - before);
  }
  assert.equal(origin.stats('/five-hundred.xml').requests, 10, 'ten polls, each after its backoff');
  // 1, 2, 4, 8 … minutes (the jitter held at its middle), capped at 6 h.
  assert.deepEqual(gaps.map((g) => Math.round(g / MIN)), [1, 2, 4, 8, 16, 32, 64, 128, 256]);
  const s = await state.get('five-hundred');
  assert.equal(s.failures, 10);
  assert.equal(s.health, 'unhealthy');
  assert.equal(s.nextReason, 'backoff');
  assert.ok(s.nextPollAt! - s.lastPollEnd! <= BACKOFF_CAP_MS, 'capped');
  assert.deepEqual(changes('five-hundred'), ['failing', 'unhealthy'], `failing at 1, unhealthy at ${UNHEALTHY_AFTER}, nothing else`);

  origin.set('/five-hundred.xml', { body: rss(['back']), contentType: 'application/rss+xml' });
  assert.equal(((await pollWhenDue(source, deps, clock)) as PollOutcome).kind, 'document');
  assert.deepEqual(changes('five-hundred'), ['failing', 'unhealthy', 'healthy']);
  const back = await state.get('five-hundred');
  assert.deepEqual([back.health, back.failures, back.backoffUntil, back.nextReason], ['healthy', 0, 0, 'floor']);
});

test('429 with Retry-After: 120 (or an HTTP-date) waits exactly that, counts no failure, and is told once however often it comes', { skip }, async () => {
  origin.set('/limited.xml', { status: 429, retryAfter: 120 });
  const clock = { ms: T0 };
  const { deps, state, changes } = harness(clock);
  const source = feed('limited', '/limited.xml', { every: MIN });
  for (let i = 0; i < 3; i++) {
    assert.equal(((await pollWhenDue(source, deps, clock)) as { code?: string }).code, 'HTTP_429');
    const s = await state.get('limited');
    assert.equal(s.failures, 0, 'no failure counted');
    assert.equal(s.lastPollEnd, clock.ms);
    assert.equal(s.backoffUntil, clock.ms + 120_000);
    assert.equal(s.nextReason, 'retry-after');
  }
  // Between the waits, the scheduler's fires are skipped without a request.
  clock.ms += 60_000;
  assert.equal((await pollSource(source, deps)).kind, 'backoff');
  assert.equal(origin.stats('/limited.xml').requests, 3);
  assert.deepEqual(changes('limited'), ['wait'], 'one line for the wait, not one per 429');
  assert.equal((await state.get('limited')).health, undefined, 'a wait changes no health');

  // Retry-After as an HTTP-date (the client reads it against the real clock).
  origin.set('/limited-date.xml', { status: 503, retryAfter: new Date(Date.now() + 90_000).toUTCString() });
  const dated = feed('limited-date', '/limited-date.xml', { every: MIN });
  await pollWhenDue(dated, deps, clock);
  const s = await state.get('limited-date');
  const waited = s.backoffUntil - s.lastPollEnd!;
  assert.ok(waited > 80_000 && waited <= 90_000, `a 503 waited ${waited} ms of the date's 90 s`);
  assert.equal(s.failures, 0);
});

test('404, 410, an HTML page, a redirect loop and a gzip bomb: unhealthy at once and polled at the cap, one line each', { skip }, async () => {
  origin.set('/gone-404.xml', { status: 404 });
  origin.set('/gone-410.xml', { status: 410 });
  origin.set('/html.xml', { body: '<!doctype html><html><body>hi</body></html>', contentType: 'text/html' });
  origin.set('/loop-1.xml', { redirect: '/loop-2.xml', status: 301 });
  origin.set('/loop-2.xml', { redirect: '/loop-1.xml', status: 301 });
  origin.set('/bomb.xml', { hugeBytes: 200 * 1024 * 1024, encoding: 'gzip', contentType: 'application/rss+xml' });
  const clock = { ms: T0 };
  const { deps, state, changes } = harness(clock);
  const cases: [string, string, string][] = [
    ['gone-404', '/gone-404.xml', 'HTTP_4XX'],
    ['gone-410', '/gone-410.xml', 'HTTP_4XX'],
    ['html', '/html.xml', 'NOT_A_FEED'],
    ['loop', '/loop-1.xml', 'HTTP_4XX'],
    ['bomb', '/bomb.xml', 'BODY_TOO_LARGE'],
  ];
  for (const [id, path, code] of cases) {
    const source = feed(id, path, { every: MIN, maxBytes: 1024 * 1024 });
    for (let i = 0; i < 2; i++) assert.equal(((await pollWhenDue(source, deps, clock)) as { code?: string }).code, code, id);
    const s = await state.get(id);
    assert.equal(s.health, 'unhealthy', id);
    assert.deepEqual([s.nextReason, s.nextPollAt! - s.lastPollEnd!], ['unhealthy', BACKOFF_CAP_MS], `${id}: slowed to the cap`);
    assert.deepEqual(changes(id), ['unhealthy'], `${id}: told once over two polls`);
  }
  assert.match((await state.get('loop')).lastError!, /redirect loop/);
  assert.equal(origin.stats('/loop-1.xml').requests, 2, 'one round of the loop per poll');
});

test('hanging after the headers, or trickling a byte a second: cut at the timeout, failing, backing off from when the poll ended', { skip, timeout: 20_000 }, async () => {
  origin.set('/hang-headers.xml', { body: rss(['h']), contentType: 'application/rss+xml', stall: true });
  origin.set('/trickle-1s.xml', {
    handler: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      const timer = setInterval(() => res.write('<'), 1000);
      res.on('close', () => clearInterval(timer));
    },
  });
  const clock = { ms: T0 };
  const { deps, state, changes } = harness(clock);
  for (const id of ['hang-headers', 'trickle-1s']) {
    const started = Date.now();
    const err = await pollSource(feed(id, `/${id}.xml`, { every: MIN, timeout: 1500 }), deps).catch((e: { code?: string }) => e);
    const took = Date.now() - started;
    assert.equal((err as { code?: string }).code, 'FETCH_TIMEOUT', id);
    assert.ok(took < 5000, `${id}: cut after ${took} ms, not when the origin stops`);
    const s = await state.get(id);
    assert.deepEqual([s.health, s.failures, s.backoffUntil - s.lastPollEnd!], ['failing', 1, MIN]);
    assert.deepEqual(changes(id), ['failing']);
  }
});

test('a service polling seven faulty sources: a healthy source on another host gets new items within an interval + 5 s; one line per state change; /readyz 200 naming them; /metrics per source state', { skip, timeout: 90_000 }, async (t) => {
  const healthy = await startOrigin();
  let etagN = 0;
  const ETAG_BODY = rss(['e1']);
  origin.set('/svc-hang.xml', { body: rss(['x']), contentType: 'application/rss+xml', stall: true });
  origin.set('/svc-trickle.xml', {
    handler: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      const timer = setInterval(() => res.write(' '), 1000);
      res.on('close', () => clearInterval(timer));
    },
  });
  origin.set('/svc-500.xml', { status: 500, body: 'oops' });
  origin.set('/svc-429.xml', { status: 429, retryAfter: 120 });
  origin.set('/svc-loop-a.xml', { redirect: '/svc-loop-b.xml', status: 302 });
  origin.set('/svc-loop-b.xml', { redirect: '/svc-loop-a.xml', status: 302 });
  origin.set('/svc-bomb.xml', { hugeBytes: 200 * 1024 * 1024, encoding: 'gzip', contentType: 'application/rss+xml' });
  origin.set('/svc-etag.xml', {
    handler: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: `"e${++etagN}"` });
      res.end(ETAG_BODY);
    },
  });
  healthy.set('/news.xml', { body: rss(['n1']), contentType: 'application/rss+xml' });
  const faulty: Record<string, string> = {
    'svc-hang': origin.url('/svc-hang.xml'),
    'svc-trickle': origin.url('/svc-trickle.xml'),
    'svc-500': origin.url('/svc-500.xml'),
    'svc-429': origin.url('/svc-429.xml'),
    'svc-loop': origin.url('/svc-loop-a.xml'),
    'svc-bomb': origin.url('/svc-bomb.xml'),
    'svc-etag': origin.url('/svc-etag.xml'),
  };
  const sources = { ...faulty, 'svc-news': healthy.url('/news.xml') };
  const yaml = ['sources:', ...Object.entries(sources).flatMap(([id, url]) => [`  - id: ${id}`, '    type: feed', `    url: ${url}`, '    every: 10s', '    timeout: 3s', '    maxBytes: 1MB'])].join('\n');
  const svc = await startTestService(redis, `${yaml}\n`, { roles: { http: true, queues: ['fetch', 'ingest', 'publish'], scheduler: true } });
  try {
    const articles = new ArticleStore(redis.client(), svc.prefix);
    const state = new SourceStateStore(redis.client(), svc.prefix);
    await waitFor('the healthy source ingested', async () => ((await articles.count('source:svc-news')) === 1 ? true : undefined));
    // Every faulty source has been polled at least once.
    await waitFor('each faulty source polled', async () => ((await state.getMany(Object.keys(faulty))).every((s) => s.lastPollEnd !== undefined) ? true : undefined), 30_000);
    for (let round = 2; round <= 3; round++) {
      healthy.set('/news.xml', { body: rss(Array.from({ length: round }, (_, i) => `n${i + 1}`)), contentType: 'application/rss+xml' });
      const changed = Date.now();
      await waitFor(`new item ${round} of the healthy source`, async () => ((await articles.count('source:svc-news')) === round ? true : undefined), 15_000 + 5_000);
      const took = Date.now() - changed;
      t.diagnostic(`new item ${round} of the healthy source stored ${took} ms after it was published`);
      assert.ok(took < 10_000 + 5_000, `new item ${round} arrived after ${took} ms: within one interval (10 s) + 5 s`);
    }
    await waitFor('the ETag-changing source polled twice', async () => (origin.stats('/svc-etag.xml').requests >= 2 ? true : undefined), 30_000);

    const lines = svc.logs();
    const changes = (id: string) => lines.filter((l) => l.sourceId === id && l.event).map((l) => String(l.event === 'health' ? l.to : l.event));
    assert.deepEqual(changes('svc-hang'), ['failing']);
    assert.deepEqual(changes('svc-trickle'), ['failing']);
    assert.deepEqual(changes('svc-500'), ['failing']);
    assert.deepEqual(changes('svc-429'), ['wait']);
    assert.deepEqual(changes('svc-loop'), ['unhealthy']);
    assert.deepEqual(changes('svc-bomb'), ['unhealthy']);
    assert.deepEqual(changes('svc-etag'), [], 'a new ETag on the same bytes is no change');
    assert.deepEqual(changes('svc-news'), []);
    assert.equal(origin.stats('/svc-429.xml').requests, 1, 'asked once, then waiting its 120 s');
    // Nothing above debug per poll: warnings are the state changes only.
    const warns = lines.filter((l) => Number(l.level) >= 40 && typeof l.sourceId === 'string' && String(l.sourceId).startsWith('svc-'));
    assert.ok(warns.every((l) => l.event === 'health'), JSON.stringify(warns.filter((l) => l.event !== 'health')));
    assert.equal(await articles.count('source:svc-etag'), 1);
    assert.equal((await state.get('svc-etag')).health, 'healthy');

    const ready = await fetch(`${svc.service.url}/readyz`);
    assert.equal(ready.status, 200, 'broken sources are not a broken service');
    const body = (await ready.json()) as { status: string; sources: { unhealthy: Array<{ id: string; lastStatus: string }>; failing: Array<{ id: string }> } };
    assert.equal(body.status, 'ready');
    assert.deepEqual(body.sources.unhealthy.map((s) => [s.id, s.lastStatus]).sort(), [['svc-bomb', 'BODY_TOO_LARGE'], ['svc-loop', 'HTTP_4XX']]);
    assert.deepEqual(body.sources.failing.map((s) => s.id).sort(), ['svc-500', 'svc-hang', 'svc-trickle']);
    const metrics = await (await fetch(`${svc.service.url}/metrics`)).text();
    assert.match(metrics, /wirefeed_source_state\{source="svc-bomb",state="unhealthy"\} 1/);
    assert.match(metrics, /wirefeed_source_state\{source="svc-bomb",state="healthy"\} 0/);
    assert.match(metrics, /wirefeed_source_state\{source="svc-news",state="healthy"\} 1/);
    assert.match(metrics, /wirefeed_source_state\{source="svc-500",state="failing"\} 1/);
  } finally {
    await svc.service.stop();
    await healthy.close();
  }
});
