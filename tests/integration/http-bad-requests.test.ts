/**
 * What a confused or hostile client gets (issue 10, "Bad input"): an unknown topic, format or
 * article is a 404 with a short message; a malformed conditional or encoding header is ignored
 * (or refused with 4xx), never a 500.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { startRedis, redisAvailable, type TestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor, type TestService } from '../helpers/service.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
let redis: TestRedis;
let svc: TestService;
let base: URL;

before(async () => {
  if (skip) return;
  redis = await startRedis();
  svc = await startTestService(redis, 'sources:\n  - id: wire\n    type: directory\n    path: ./nowhere\n    enabled: false\n', {
    roles: { http: true, queues: ['publish'], scheduler: true },
  });
  base = new URL(svc.service.url!);
  await waitFor('economy.rss published', async () => ((await get('/feeds/economy.rss')).status === 200 ? true : undefined));
});
after(async () => {
  await svc?.service.stop();
  await redis?.stop();
});

/** A raw GET: headers as given, nothing added or checked by a client library. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('unknown topic, format or article: 404 with a short message', { skip }, async () => {
  const cases = ['/feeds/no-such-topic.rss', '/feeds/economy.xml', '/feeds/economy.rss2', '/feeds/source/nobody.atom', '/articles/zzz', `/articles/${'0'.repeat(32)}`, `/articles/${'0'.repeat(32)}.json`, '/nothing-here'];
  for (const path of cases) {
    const r = await get(path);
    assert.equal(r.status, 404, path);
    assert.ok(r.body.length > 0 && r.body.length < 200, `${path}: a short message, got ${r.body.length} bytes`);
  }
});

test('malformed conditional and encoding headers never give a 500', { skip }, async () => {
  const headers: Record<string, string>[] = [
    { 'if-none-match': 'not-a-tag' },
    { 'if-none-match': '"unterminated' },
    { 'if-none-match': ',,,,W/' },
    { 'if-none-match': `"${'x'.repeat(6000)}"` },
    { 'if-modified-since': 'yesterday' },
    { 'if-modified-since': '2026-13-45T99:99:99Z' },
    { 'if-modified-since': 'Tue, 32 Foo 1999 25:61:61 GMT' },
    { 'if-none-match': '*', 'if-modified-since': '\t' },
    { 'accept-encoding': 'gzip;q=abc, br;q=-1, ;;;, identity;q=2' },
    { 'accept-encoding': '*;q=0' },
    { 'accept-encoding': 'x'.repeat(6000) },
  ];
  for (const h of headers) {
    for (const path of ['/feeds/economy.rss', '/feeds.opml', '/', '/feeds/feed.xsl']) {
      const r = await get(path, h);
      assert.ok(r.status < 500, `${path} ${JSON.stringify(h).slice(0, 80)}: ${r.status}`);
      assert.ok([200, 304, 406].includes(r.status), `${path} ${JSON.stringify(h).slice(0, 80)}: ${r.status}`);
    }
  }
});
