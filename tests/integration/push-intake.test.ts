/**
 * POST /ingest/{sourceId}: accepted documents become articles; every refusal has its status and
 * a message that says why, comes before the body is read when the headers already decide it, and
 * is logged once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { registerPushRoute } from '../../src/http/push-route.ts';
import { createLogger } from '../../src/log/logger.ts';
import { ArticleStore } from '../../src/store/article-store.ts';
import { keys } from '../../src/store/keys.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { ROOT, startTestService, waitFor, type TestService } from '../helpers/service.ts';
import { noise } from '../helpers/noise.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
const TOKEN = 'push-token-0123456789abcdef';
const BULK_TOKEN = 'bulk-token-0123456789abcdef';
const WRONG = 'wrong-token-of-some-length';
let redis: TestRedis;
let svc: TestService;
let base: string;

before(async () => {
  if (skip) return;
  redis = await startRedis();
  svc = await startTestService(
    redis,
    [
      'sources:',
      '  - id: wire-push',
      '    type: push',
      '    tokenEnv: WIRE_PUSH_TOKEN',
      '    maxBytes: 64kB',
      // Format fixed to plain text: the override must not let binary through either.
      '  - id: bulk-push',
      '    type: push',
      '    tokenEnv: BULK_PUSH_TOKEN',
      '    format: plain-text',
      '    maxBytes: 1MB',
      '  - id: polled',
      '    type: directory',
      '    path: ./nowhere',
      '    enabled: false',
      '',
    ].join('\n'),
    { roles: { http: true, queues: ['ingest', 'publish'], scheduler: false }, env: { WIRE_PUSH_TOKEN: TOKEN, BULK_PUSH_TOKEN: BULK_TOKEN } },
  );
  base = svc.service.url!;
});
after(async () => {
  await svc?.service.stop();
  await redis?.stop();
});

function post(path: string, body: string | Buffer | Uint8Array, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8', authorization: `Bearer ${TOKEN}`, ...headers } });
}


const HUGE = 256 * 1024 * 1024;

/**
 * Streams up to `total` bytes (chunked, or with the Content-Length given in `headers`) and
 * resolves with the answer and how many bytes the server had let the client write by then. A
 * server that reads the whole body lets all 256 MB through before it answers.
 */
function streamPost(path: string, headers: Record<string, string>, total = HUGE): Promise<{ status: number; body: string; written: number; connection: string | undefined }> {
  const url = new URL(path, base);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'text/plain', ...headers } });
    req.on('response', (res) => {
      answered = true;
      const at = written;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, body, written: at, connection: res.headers.connection });
      });
    });
    // Writing into a socket the server has closed fails; only an error before any answer counts.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const pump = () => {
      while (written < total && !answered) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/**
 * Sends the headers with `Expect: 100-continue` and the body only on "100 Continue", as curl does
 * for bodies over 1 MB: resolves with whether the server said continue, and its answer.
 */
function expectContinue(path: string, token: string, body: Buffer): Promise<{ continued: boolean; status: number }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(body.length), authorization: `Bearer ${token}`, expect: '100-continue' },
    });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        req.destroy();
        resolve({ continued, status: res.statusCode! });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

/** Log lines of the push intake logged while `fn` runs. */
async function pushLogsDuring(fn: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const from = svc.logs().length;
  await fn();
  return svc.logs().slice(from).filter((l) => l.component === 'push');
}

test('an accepted document answers 202 with a job id, becomes an article, and is logged at info', { skip }, async () => {
  const seed = readFileSync(join(ROOT, 'tests/fixtures/wire/seed-ar-kremlin.txt'));
  let res!: Response;
  const logs = await pushLogsDuring(async () => {
    res = await post('/ingest/wire-push', seed);
  });
  assert.equal(res.status, 202);
  const body = (await res.json()) as { accepted: boolean; jobId: string };
  assert.equal(body.accepted, true);
  assert.match(body.jobId, /^doc-wire-push-[0-9a-f]{24}$/);
  assert.equal(logs.length, 1);
  assert.equal(logs[0]!.level, 30);
  assert.equal(logs[0]!.source, 'wire-push');
  assert.equal(logs[0]!.jobId, body.jobId);
  assert.equal(logs[0]!.bytes, seed.length);
  const store = new ArticleStore(redis.client(), svc.prefix);
  const [article] = await waitFor('the pushed article', async () => {
    const a = await store.newest('source:wire-push', 5);
    return a.length ? a : undefined;
  });
  assert.equal(article!.dateline?.city, 'موسكو');
  assert.equal(article!.sourceId, 'wire-push');
});

test('refusals: 401 without a token, 403 with a wrong one, 404 for an unknown or non-push source', { skip }, async () => {
  const res401 = await post('/ingest/wire-push', 'x', { authorization: '' });
  assert.equal(res401.status, 401);
  assert.match(((await res401.json()) as { error: string }).error, /missing Authorization/);
  assert.equal((await post('/ingest/wire-push', 'x', { authorization: 'Bearer' })).status, 401);
  assert.equal((await post('/ingest/wire-push', 'x', { authorization: `Basic ${TOKEN}` })).status, 401);
  assert.equal((await post('/ingest/wire-push', 'x', { authorization: `Bearer ${WRONG}` })).status, 403);
  // One source's token does not open another.
  assert.equal((await post('/ingest/wire-push', 'x', { authorization: `Bearer ${BULK_TOKEN}` })).status, 403);
  const res404 = await post('/ingest/nobody', 'x');
  assert.equal(res404.status, 404);
  assert.deepEqual(await res404.json(), { error: 'no push source "nobody"' });
  assert.equal((await post('/ingest/polled', 'x')).status, 404);
});

test('400 names the source and the cause when the body is no readable document', { skip }, async () => {
  const html = await post('/ingest/wire-push', '<!doctype html><html><body>hello</body></html>', { 'content-type': 'text/html' });
  assert.equal(html.status, 400);
  assert.match(((await html.json()) as { error: string }).error, /^source wire-push: NOT_A_FEED: /);
  const broken = await post('/ingest/wire-push', '<?xml version="1.0"?><rss version="2.0"><channel><title>cut', { 'content-type': 'application/rss+xml' });
  assert.equal(broken.status, 400);
  assert.match(((await broken.json()) as { error: string }).error, /^source wire-push: PARSE_ERROR: /);
  const empty = await post('/ingest/wire-push', '');
  assert.equal(empty.status, 400);
});

test('binary bodies are 400 BINARY_BODY naming the cause, with or without a format override, and become no article', { skip }, async () => {
  const cases: Array<[source: string, token: string, body: Uint8Array, contentType: string, cause: RegExp]> = [
    ['bulk-push', BULK_TOKEN, noise(762 * 1024, 7), 'application/octet-stream', /NUL characters/],
    ['bulk-push', BULK_TOKEN, noise(200 * 1024, 8), 'text/plain; charset=utf-8', /NUL characters/],
    ['wire-push', TOKEN, noise(48 * 1024, 9), 'text/plain', /NUL characters/],
    ['wire-push', TOKEN, gzipSync(readFileSync(join(ROOT, 'tests/fixtures/feeds/rss-en.xml'))), 'application/rss+xml', /gzip-compressed/],
    ['bulk-push', BULK_TOKEN, noise(32 * 1024, 10).map((b) => b || 0x20), 'text/plain; charset=windows-1252', /control codes/],
  ];
  for (const [source, token, body, contentType, cause] of cases) {
    const res = await post(`/ingest/${source}`, body, { authorization: `Bearer ${token}`, 'content-type': contentType });
    const { error } = (await res.json()) as { error: string };
    assert.equal(res.status, 400, `${source} ${contentType}: ${error}`);
    assert.match(error, new RegExp(`^source ${source}: BINARY_BODY: the document is not text: `));
    assert.match(error, cause);
  }
  // Legitimate text to the same overridden source goes through.
  const text = await post('/ingest/bulk-push', readFileSync(join(ROOT, 'tests/fixtures/wire/fr-afp-confinement.txt')), { authorization: `Bearer ${BULK_TOKEN}` });
  assert.equal(text.status, 202);
  const store = new ArticleStore(redis.client(), svc.prefix);
  const stored = await waitFor('the one text article of bulk-push', async () => {
    const a = await store.newest('source:bulk-push', 10);
    return a.length ? a : undefined;
  });
  assert.equal(stored.length, 1, 'no binary body became an article');
});

test('413 over the source\'s own cap, not the route-wide one', { skip }, async () => {
  const res = await post('/ingest/wire-push', Buffer.alloc(65 * 1024, 'a'));
  assert.equal(res.status, 413);
  assert.match(((await res.json()) as { error: string }).error, /over the cap of 65536 for source wire-push/);
  // The same size is fine for a source with a larger cap.
  const big = await post('/ingest/bulk-push', `Big story\n\n${'Une longue dépêche. '.repeat(4000)}`, { authorization: `Bearer ${BULK_TOKEN}` });
  assert.equal(big.status, 202);
});

test('a wrong or missing token is answered before the body is read: the rest of a 256 MB upload is neither taken nor buffered', { skip, timeout: 60_000 }, async () => {
  for (const [authorization, status] of [[`Bearer ${WRONG}`, 403], ['', 401]] as const) {
    const chunked = await streamPost('/ingest/wire-push', authorization ? { authorization } : {});
    assert.equal(chunked.status, status, chunked.body);
    assert.equal(chunked.connection, 'close');
    // Socket buffers on loopback take a few MB; a server that read the body would take 256.
    assert.ok(chunked.written < 32 * 1024 * 1024, `${(chunked.written / 2 ** 20).toFixed(1)} MB were taken before the ${status}`);
  }
  const declared = await streamPost('/ingest/wire-push', { authorization: `Bearer ${WRONG}`, 'content-length': String(HUGE) });
  assert.equal(declared.status, 403);
  assert.ok(declared.written < 32 * 1024 * 1024, `${(declared.written / 2 ** 20).toFixed(1)} MB were taken before the 403`);
});

test('Expect: 100-continue: "continue" only for the right source, token and size; otherwise the refusal comes first and nothing is uploaded', { skip, timeout: 30_000 }, async () => {
  const doc = Buffer.from('LONDON, Monday (Reuters) - The Bank of England held its key rate on Monday, and said inflation was easing.\n', 'utf8');
  assert.deepEqual(await expectContinue('/ingest/wire-push', TOKEN, doc), { continued: true, status: 202 });
  assert.deepEqual(await expectContinue('/ingest/wire-push', WRONG, doc), { continued: false, status: 403 });
  assert.deepEqual(await expectContinue('/ingest/nobody', TOKEN, doc), { continued: false, status: 404 });
  assert.deepEqual(await expectContinue('/ingest/wire-push', TOKEN, Buffer.alloc(100 * 1024, 'a')), { continued: false, status: 413 });
});

test('the source\'s maxBytes is enforced while the body streams in: 413 at the cap, not after reading everything', { skip, timeout: 60_000 }, async () => {
  const chunked = await streamPost('/ingest/wire-push', { authorization: `Bearer ${TOKEN}` });
  assert.equal(chunked.status, 413, chunked.body);
  assert.match(chunked.body, /over the cap of 65536 for source wire-push/);
  assert.ok(chunked.written < 32 * 1024 * 1024, `${(chunked.written / 2 ** 20).toFixed(1)} MB were taken before the 413`);
  // A Content-Length over the cap is refused from the headers alone.
  const declared = await streamPost('/ingest/wire-push', { authorization: `Bearer ${TOKEN}`, 'content-length': String(HUGE) });
  assert.equal(declared.status, 413);
  assert.match(declared.body, new RegExp(`document of ${HUGE} bytes is over the cap of 65536 for source wire-push`));
  assert.ok(declared.written < 32 * 1024 * 1024);
  // The keep-alive connection pool is fine after the closed ones.
  assert.equal((await post('/ingest/wire-push', 'x', { authorization: `Bearer ${WRONG}` })).status, 403);
});

test('every refusal is logged once, as one JSON line with source, status, cause and remote address, never the token', { skip, timeout: 60_000 }, async () => {
  const expected: Array<[source: string, status: number, cause: string]> = [
    ['wire-push', 401, 'NO_TOKEN'],
    ['wire-push', 403, 'WRONG_TOKEN'],
    ['nobody', 404, 'UNKNOWN_SOURCE'],
    ['wire-push', 413, 'BODY_TOO_LARGE'],
    ['wire-push', 413, 'BODY_TOO_LARGE'],
    ['wire-push', 400, 'EMPTY_DOCUMENT'],
    ['wire-push', 400, 'NOT_A_FEED'],
    ['bulk-push', 400, 'BINARY_BODY'],
  ];
  const logs = await pushLogsDuring(async () => {
    await (await post('/ingest/wire-push', 'x', { authorization: '' })).text();
    await (await post('/ingest/wire-push', 'x', { authorization: `Bearer ${WRONG}` })).text();
    await (await post('/ingest/nobody', 'x')).text();
    await (await post('/ingest/wire-push', Buffer.alloc(65 * 1024, 'a'))).text();
    await streamPost('/ingest/wire-push', { authorization: `Bearer ${TOKEN}` }, 1024 * 1024);
    await (await post('/ingest/wire-push', '')).text();
    await (await post('/ingest/wire-push', '<html><body>hi</body></html>', { 'content-type': 'text/html' })).text();
    await (await post('/ingest/bulk-push', noise(4096, 3), { authorization: `Bearer ${BULK_TOKEN}` })).text();
  });
  assert.deepEqual(
    logs.map((l) => [l.source, l.status, l.cause]),
    expected,
    JSON.stringify(logs, null, 1),
  );
  for (const line of logs) {
    assert.equal(line.level, 40);
    assert.match(String(line.remote), /^(::ffff:)?127\.0\.0\.1$/);
    assert.equal(typeof line.error, 'string');
    assert.match(String(line.msg), new RegExp(`^push refused: source ${line.source as string}: ${line.status as number} ${line.cause as string}`));
  }
  const all = JSON.stringify(svc.logs());
  for (const secret of [TOKEN, BULK_TOKEN, WRONG]) assert.ok(!all.includes(secret), 'a token reached the log');
});

test('while Redis is down, push answers 503 with Retry-After at once, logged once', { skip, timeout: 60_000 }, async () => {
  const down = await startRedis();
  const connection = new Redis({ path: down.url.replace(/^unix:\/\//, ''), enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  connection.on('error', () => undefined);
  const queue = new Queue('ingest', { connection, prefix: keys(down.prefix()).queuePrefix });
  queue.on('error', () => undefined);
  await queue.waitUntilReady();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const app = Fastify();
  registerPushRoute(app, svc.config, { ingest: queue }, () => new Date(), createLogger('debug', sink).child({ component: 'push' }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    await down.stop();
    const started = Date.now();
    const res = await fetch(`${url}/ingest/wire-push`, {
      method: 'POST',
      body: readFileSync(join(ROOT, 'tests/fixtures/wire/en-ap-senate.txt')),
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` },
    });
    const elapsed = Date.now() - started;
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '5');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(((await res.json()) as { error: string }).error, /^source wire-push: the document could not be queued/);
    assert.ok(elapsed < 5000, `503 after ${elapsed} ms: push waited for Redis`);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.status === 503);
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.cause, 'QUEUE_UNAVAILABLE');
    assert.equal(logged[0]!.level, 40);
    assert.equal(logged[0]!.source, 'wire-push');
  } finally {
    await app.close();
    connection.disconnect();
    await Promise.race([queue.close().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
  }
});
