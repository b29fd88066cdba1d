/**
 * POST /ingest/{sourceId}: accepted documents become articles; every refusal has its status and
 * a message that says why.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ArticleStore } from '../../src/store/article-store.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { ROOT, startTestService, waitFor, type TestService } from '../helpers/service.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
const TOKEN = 'push-token-0123456789abcdef';
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
      '  - id: polled',
      '    type: directory',
      '    path: ./nowhere',
      '    enabled: false',
      '',
    ].join('\n'),
    { roles: { http: true, queues: ['ingest', 'publish'], scheduler: false }, env: { WIRE_PUSH_TOKEN: TOKEN } },
  );
  base = svc.service.url!;
});
after(async () => {
  await svc?.service.stop();
  await redis?.stop();
});

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8', authorization: `Bearer ${TOKEN}`, ...headers } });
}

test('an accepted document answers 202 with a job id and becomes an article', { skip }, async () => {
  const seed = readFileSync(join(ROOT, 'tests/fixtures/wire/seed-ar-kremlin.txt'));
  const res = await post('/ingest/wire-push', seed);
  assert.equal(res.status, 202);
  const body = (await res.json()) as { accepted: boolean; jobId: string };
  assert.equal(body.accepted, true);
  assert.match(body.jobId, /^doc-wire-push-[0-9a-f]{24}$/);
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
  assert.equal((await post('/ingest/wire-push', 'x', { authorization: 'Bearer wrong-token-of-some-length' })).status, 403);
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

test('413 over the size cap', { skip }, async () => {
  const res = await post('/ingest/wire-push', Buffer.alloc(65 * 1024, 'a'));
  assert.equal(res.status, 413);
  assert.match(((await res.json()) as { error: string }).error, /over the cap of 65536 for source wire-push/);
});
