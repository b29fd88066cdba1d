/**
 * A Redis outage, as the fault probe of issue 9 ran it: the service runs in-process on a real
 * redis-server, publishes a feed, and the server is killed (SIGKILL) and later restarted on the
 * same unix socket. While it is down the HTTP side answers at once (readiness 503, cached feeds
 * served stale, uncached ones 503, metrics, push failing fast), the logs stay JSON with one line
 * per state change, nothing reaches stderr; once it is back readiness returns and the workers,
 * reconnected by themselves, ingest and publish again.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { Worker, type ConnectionOptions } from 'bullmq';
import { createLogger } from '../../src/log/logger.ts';
import { createRedis, redisOptions } from '../../src/queue/connection.ts';
import { RedisHealth, isConnectionError } from '../../src/queue/redis-health.ts';
import { createQueues, type Queues } from '../../src/queue/registry.ts';
import { keys } from '../../src/store/keys.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor, type TestService } from '../helpers/service.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
const TOKEN = 'outage-token-0123456789abcdef';
/** Generous bound for "answers at once": the defect is a hang for the whole outage. */
const FAST_MS = 1_000;

let redis: TestRedis;
let svc: TestService;
let base: string;
/** Set while the test holds Redis down: a failed test brings it back before the service stops. */
let redisDown = false;

before(async () => {
  if (skip) return;
  redis = await startRedis({ appendonly: true });
  svc = await startTestService(
    redis,
    ['sources:', '  - id: wire-push', '    type: push', '    tokenEnv: WIRE_PUSH_TOKEN', ''].join('\n'),
    { roles: { http: true, queues: ['ingest', 'publish'], scheduler: false }, env: { WIRE_PUSH_TOKEN: TOKEN } },
  );
  base = svc.service.url!;
});
after(async () => {
  if (redisDown) await redis.restart();
  await svc?.service.stop();
  await redis?.stop();
});

function rss(title: string): string {
  const at = new Date().toUTCString();
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0"><channel><title>Outage wire</title><link>https://wire.example/</link><description>wire</description>',
    `<item><title>${title}</title><link>https://wire.example/${encodeURIComponent(title)}</link><guid>${encodeURIComponent(title)}</guid>`,
    `<pubDate>${at}</pubDate><description>${title}: the full story of the day, told in a few sentences for the test.</description></item>`,
    '</channel></rss>',
  ].join('');
}

function push(body: string) {
  return fetch(`${base}/ingest/wire-push`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/rss+xml; charset=utf-8', authorization: `Bearer ${TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  });
}

/** A request and how long it took; a request still unanswered after 5 s is a hang. */
async function timed(path: string, init: RequestInit = {}): Promise<{ res: Response; body: string; ms: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(5_000) });
    const body = await res.text();
    return { res, body, ms: performance.now() - t0 };
  } catch (err) {
    throw new Error(`${path}: no answer after ${(performance.now() - t0).toFixed(0)} ms (${(err as Error).name})`);
  }
}

/** Everything written to this process's stderr while `fn` runs. */
async function captureStderr<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const chunks: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stderr.write;
  try {
    return { value: await fn(), stderr: chunks.join('') };
  } finally {
    process.stderr.write = original;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isStateLine = (l: Record<string, unknown>) => l.component === 'redis-health';

test('through a Redis outage HTTP answers at once, logs stay JSON, and the workers come back by themselves', { skip }, async (t) => {
  // Before: a published feed, read once (so the HTTP side has seen its bytes).
  assert.equal((await push(rss('Before the outage'))).status, 202);
  const feed = '/feeds/source/wire-push.rss';
  const before = await waitFor('the pushed story in its source feed', async () => {
    const r = await timed(feed);
    return r.res.status === 200 && r.body.includes('Before the outage') ? r : undefined;
  });
  const etag = before.res.headers.get('etag')!;
  const lastModified = before.res.headers.get('last-modified')!;
  assert.equal(before.res.headers.get('x-wirefeed-stale'), null);
  assert.equal((await timed('/readyz')).res.status, 200);

  // A fail-fast Queue of our own, as the service builds for its HTTP side.
  const client = createRedis(redis.url, 'client');
  client.on('error', () => undefined);
  const queues: Queues = createQueues(client, `${svc.prefix}:probe`);
  // Closed as a hook: a failed step must not leave them holding the test process open.
  t.after(async () => {
    await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
    client.disconnect();
  });
  await queues.ingest.waitUntilReady();
  for (const q of Object.values(queues)) q.on('error', () => undefined);

  const linesBefore = svc.logs().length;
  const { stderr } = await captureStderr(async () => {
    redisDown = true;
    await redis.kill();
    const outageStart = performance.now();

    const ready = await timed('/readyz');
    assert.equal(ready.res.status, 503, 'readiness fails while Redis is down');
    assert.ok(ready.ms < FAST_MS, `/readyz answered in ${ready.ms.toFixed(0)} ms, not at once`);
    const why = JSON.parse(ready.body) as { status: string; redis: string };
    assert.equal(why.status, 'not ready');
    assert.ok(why.redis.length > 0, 'the 503 names the cause');

    const stale = await timed(feed);
    assert.equal(stale.res.status, 200, 'a feed served before is still served');
    assert.ok(stale.ms < FAST_MS, `the stale feed took ${stale.ms.toFixed(0)} ms`);
    assert.equal(stale.body, before.body, 'with the very bytes served before');
    assert.equal(stale.res.headers.get('etag'), etag);
    assert.equal(stale.res.headers.get('last-modified'), lastModified);
    assert.equal(stale.res.headers.get('x-wirefeed-stale'), '1', 'and says it may be stale');
    const revalidated = await timed(feed, { headers: { 'if-none-match': etag } });
    assert.equal(revalidated.res.status, 304, 'a reader holding those bytes gets 304');

    const uncached = await timed('/feeds/source/wire-push.atom');
    assert.equal(uncached.res.status, 503, 'a feed never served has nothing to fall back on');
    assert.ok(uncached.ms < FAST_MS, `the uncached feed took ${uncached.ms.toFixed(0)} ms`);
    assert.ok(Number(uncached.res.headers.get('retry-after')) > 0, 'with Retry-After');

    const metrics = await timed('/metrics');
    assert.equal(metrics.res.status, 200);
    assert.ok(metrics.ms < FAST_MS, `/metrics took ${metrics.ms.toFixed(0)} ms`);
    assert.match(metrics.body, /^wirefeed_redis_up\{group="http"\} 0$/m);
    assert.doesNotMatch(metrics.body, /^wirefeed_queue_jobs\{/m, 'queue depths are not reported when unknown');

    const t0 = performance.now();
    const pushed = await push(rss('During the outage'));
    const pushMs = performance.now() - t0;
    assert.ok(pushMs < FAST_MS, `push answered in ${pushMs.toFixed(0)} ms, not at once`);
    assert.ok(pushed.status >= 500, `push during the outage is refused (${pushed.status}), never accepted`);

    const t1 = performance.now();
    await assert.rejects(queues.ingest.add('ingest', { probe: true }), (err) => isConnectionError(err), 'a fail-fast Queue rejects add');
    const addMs = performance.now() - t1;
    assert.ok(addMs < FAST_MS, `queue.add rejected after ${addMs.toFixed(0)} ms`);

    // A few seconds of outage: every client has retried several times by now.
    await sleep(Math.max(0, 5_000 - (performance.now() - outageStart)));
    await redis.restart();
    redisDown = false;
    await waitFor('/readyz 200 again', async () => ((await timed('/readyz')).res.status === 200 ? true : undefined), 10_000);
    // The state lines of every group are written by now: each is back up.
    await waitFor('every connection group back up', async () => {
      const lines = svc.logs().slice(linesBefore).filter(isStateLine);
      const groups = new Set(lines.map((l) => l.group));
      const up = new Set(lines.filter((l) => l.state === 'up').map((l) => l.group));
      return groups.size > 0 && [...groups].every((g) => up.has(g)) ? true : undefined;
    }, 10_000);
  });

  assert.equal(stderr, '', 'nothing reaches stderr during the outage');
  const outageLines = svc.logs().slice(linesBefore); // JSON.parse of every line: all JSON
  const stateLines = outageLines.filter(isStateLine);
  assert.ok(stateLines.length >= 2, 'the outage is logged: down and back up');
  assert.ok(stateLines.length <= 6, `one line per state change, not one per retry (${stateLines.length}):\n${JSON.stringify(stateLines, null, 1)}`);
  assert.ok(outageLines.length <= 20, `a 5 s outage logs a handful of lines, not a flood (${outageLines.length})`);
  const downs = stateLines.filter((l) => l.state === 'down');
  assert.ok(downs.length >= 1 && downs.every((l) => typeof l.cause === 'string' && l.cause), 'the down line names the cause');
  const ups = stateLines.filter((l) => l.state === 'up');
  assert.ok(ups.every((l) => typeof l.downMs === 'number' && l.downMs >= 4_000), 'the back-up line says how long it was down');

  // After: the feed is read from Redis again, and the workers, reconnected, take new work.
  const fresh = await timed(feed);
  assert.equal(fresh.res.status, 200);
  assert.equal(fresh.res.headers.get('x-wirefeed-stale'), null);
  assert.equal((await push(rss('After the outage'))).status, 202);
  await waitFor('the story pushed after the outage in its feed', async () => {
    const r = await timed(feed);
    return r.res.status === 200 && r.body.includes('After the outage') ? true : undefined;
  }, 15_000);

  // Redis back without the feed (data lost): the bytes served before, marked stale, not a 503.
  const admin = redis.client();
  await admin.del(keys(svc.prefix).rendered('source:wire-push', 'rss'));
  // The HTTP process hears of the deletion from Redis (client tracking): a moment after it.
  const lost = await waitFor('the deleted feed served stale', async () => {
    const r = await timed(feed);
    return r.res.headers.get('x-wirefeed-stale') === '1' ? r : undefined;
  }, 2_000);
  assert.equal(lost.res.status, 200);
  assert.match(lost.body, /After the outage/);
});

test('RedisHealth with real clients: one line per state change per group, workers wait, the fail-fast client does not', { skip }, async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const shutdown = new AbortController();
  const health = new RedisHealth(createLogger('debug', sink), { signal: shutdown.signal });
  const workers = health.group('workers');
  const http = health.group('http');
  const prefix = `${redis.prefix()}:health`;

  const workerClient = createRedis(redis.url, 'worker');
  workers.watchClient(workerClient, 'workers connection');
  const queues = createQueues(workerClient, prefix);
  for (const [name, q] of Object.entries(queues)) workers.watchErrors(q, `queue ${name}`);
  const done: string[] = [];
  const worker = new Worker('ingest', async (job) => void done.push(String(job.data.n)), { connection: redisOptions(redis.url, 'worker') as ConnectionOptions, prefix });
  workers.watchErrors(worker, 'worker ingest');
  const httpClient = createRedis(redis.url, 'client');
  http.watchClient(httpClient, 'http connection');
  // No offline queue: the fail-fast client refuses commands until it is connected.
  await waitFor('the http client connected', async () => ((await httpClient.ping()) === 'PONG' ? true : undefined), 5_000);
  await Promise.all([workerClient.ping(), worker.waitUntilReady()]);
  await queues.ingest.add('ingest', { n: 1 });
  await waitFor('the first job', async () => (done.includes('1') ? true : undefined), 10_000);

  redisDown = true;
  await redis.kill();
  // The fail-fast client refuses at once; a worker-side write waits for Redis to come back.
  const t0 = performance.now();
  const refused = await httpClient.get('k').then(() => null, (err: unknown) => err);
  assert.ok(performance.now() - t0 < FAST_MS, 'the client connection fails fast');
  assert.ok(isConnectionError(refused), `a connection error: ${String(refused)}`);
  const waited = workerClient.set(`${prefix}:written-during-outage`, 'yes');
  await sleep(3_000);
  assert.equal(workers.up, false);
  assert.equal(http.up, false);
  assert.match(http.cause ?? '', /ECONNREFUSED|ENOENT|connection lost/);
  await redis.restart();
  redisDown = false;
  assert.equal(await waited, 'OK', 'the worker-side command ran once Redis was back');
  await waitFor('both groups back up', async () => (workers.up && http.up ? true : undefined), 10_000);
  assert.equal(await httpClient.get(`${prefix}:written-during-outage`), 'yes');
  // The Worker reconnected by itself and takes new jobs.
  await queues.ingest.add('ingest', { n: 2 });
  await waitFor('a job after the outage', async () => (done.includes('2') ? true : undefined), 10_000);

  const states = (group: string) => lines.filter((l) => l.group === group).map((l) => l.state);
  assert.deepEqual(states('workers'), ['down', 'reconnecting', 'up']);
  assert.deepEqual(states('http'), ['down', 'reconnecting', 'up']);
  assert.equal(lines.length, 6, `no line but the state changes:\n${lines.map((l) => l.msg).join('\n')}`);
  for (const up of lines.filter((l) => l.state === 'up')) {
    assert.ok((up.downMs as number) >= 2_500, `down for the whole outage (${String(up.downMs)} ms)`);
    assert.ok((up.errors as number) > 0, 'the connection errors heard were counted, not logged');
  }
  assert.match(String(lines.find((l) => l.state === 'reconnecting')!.cause), /ECONNREFUSED|ENOENT/);

  shutdown.abort();
  await worker.close();
  await Promise.all(Object.values(queues).map((q) => q.close()));
  workerClient.disconnect();
  httpClient.disconnect();
  assert.equal(lines.length, 6, 'closing the connections at shutdown logs nothing');
});
