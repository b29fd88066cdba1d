/**
 * Feeds served precompressed: the publish side stores gzip and brotli beside the identity bytes,
 * the HTTP side only chooses among them by Accept-Encoding. Real HTTP on 127.0.0.1 (raw requests,
 * so nothing decompresses or adds headers behind the test's back), real Redis.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { FeedStore, etagOf } from '../../src/store/feed-store.ts';
import { keys } from '../../src/store/keys.ts';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { ROOT, startTestService, type TestService } from '../helpers/service.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
const RSS = 'application/rss+xml; charset=utf-8';
const BODY = [
  '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wirefeed · Economy</title>',
  ...Array.from({ length: 40 }, (_, i) => `<item><title>Story ${i}: أسعار النفط ترتفع</title><guid>urn:wf:${i}</guid><description>Markets moved on the ${i}th report of the day, and the central bank said little.</description></item>`),
  '</channel></rss>',
].join('');

let redis: TestRedis;
let svc: TestService;
let port: number;
let feeds: FeedStore;

before(async () => {
  if (skip) return;
  redis = await startRedis();
  svc = await startTestService(redis, ['sources:', '  - id: wire-push', '    type: push', '    tokenEnv: WIRE_PUSH_TOKEN', ''].join('\n'), {
    roles: { http: true, queues: [], scheduler: false },
    env: { WIRE_PUSH_TOKEN: 'encoding-token-0123456789abcdef' },
  });
  port = Number(new URL(svc.service.url!).port);
  feeds = new FeedStore(redis.client(), svc.prefix);
  // Published twice, 20 minutes apart: max-age a quarter of that.
  await feeds.put('economy', 'rss', BODY.replace('Story 0', 'Story zero'), RSS, new Date('2026-11-21T10:00:00Z'));
  await feeds.put('economy', 'rss', BODY, RSS, new Date('2026-11-21T10:20:00Z'));
});
after(async () => {
  await svc?.service.stop();
  await redis?.stop();
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Everything the server writes for a request on a raw socket, until it closes. */
function rawExchange(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error('no end within 5 s')));
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

const FEED = '/feeds/economy.rss';
const identityEtag = etagOf(BODY);
const decode: Record<string, (b: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync, identity: (b) => b };

const CASES: [string | undefined, 'br' | 'gzip' | 'identity'][] = [
  [undefined, 'identity'],
  ['gzip', 'gzip'],
  ['br', 'br'],
  ['gzip, deflate, br, zstd', 'br'],
  ['gzip;q=1, br;q=0.5', 'gzip'],
  ['br;q=0, gzip', 'gzip'],
  ['*', 'br'],
  ['*;q=0, gzip', 'gzip'],
  ['deflate', 'identity'],
  ['identity', 'identity'],
  ['', 'identity'],
  ['x-gzip', 'gzip'],
];

test('each Accept-Encoding gets its coding, bytes that decode to the identity bytes, its own ETag, Vary and Content-Length', { skip }, async () => {
  const etags = new Map<string, string>();
  for (const [ae, coding] of CASES) {
    const res = await get(FEED, ae === undefined ? {} : { 'accept-encoding': ae });
    const what = `Accept-Encoding: ${ae ?? '(none)'}`;
    assert.equal(res.status, 200, what);
    assert.equal(res.headers['content-encoding'], coding === 'identity' ? undefined : coding, what);
    assert.equal(res.headers.vary, 'Accept, Accept-Encoding', what);
    assert.equal(res.headers['content-type'], RSS, what);
    assert.equal(res.headers['content-length'], String(res.body.length), what);
    assert.equal(res.headers['cache-control'], 'public, max-age=300', `${what}: a quarter of the 20-minute interval`);
    assert.equal(decode[coding]!(res.body).toString('utf8'), BODY, what);
    if (coding !== 'identity') assert.ok(res.body.length < Buffer.byteLength(BODY) / 3, `${what}: compressed`);
    const etag = res.headers.etag as string;
    assert.equal(etags.get(coding) ?? etag, etag, `${what}: one ETag per coding`);
    etags.set(coding, etag);
  }
  assert.equal(etags.get('identity'), identityEtag);
  assert.equal(etags.get('br'), `${identityEtag.slice(0, -1)}-br"`);
  assert.equal(etags.get('gzip'), `${identityEtag.slice(0, -1)}-gzip"`);
  assert.equal(new Set(etags.values()).size, 3, 'the ETags differ per coding');
});

test('If-None-Match is answered per coding: 304 for the tag of the coding chosen, weak or strong; 200 for another', { skip }, async () => {
  const etag = { identity: identityEtag, br: `${identityEtag.slice(0, -1)}-br"`, gzip: `${identityEtag.slice(0, -1)}-gzip"` };
  for (const coding of ['identity', 'br', 'gzip'] as const) {
    const ae: Record<string, string> = coding === 'identity' ? {} : { 'accept-encoding': coding };
    for (const inm of [etag[coding], `W/${etag[coding]}`, `"other", ${etag[coding]}`]) {
      const res = await get(FEED, { ...ae, 'if-none-match': inm });
      assert.equal(res.status, 304, `${coding}, If-None-Match: ${inm}`);
      assert.equal(res.body.length, 0);
      assert.equal(res.headers.etag, etag[coding]);
      assert.equal(res.headers.vary, 'Accept, Accept-Encoding', 'Vary on a 304 too');
      assert.equal(res.headers['cache-control'], 'public, max-age=300');
    }
  }
  // A client holding the gzip tag that now asks for br gets the br bytes, not a 304.
  const moved = await get(FEED, { 'accept-encoding': 'br', 'if-none-match': etag.gzip });
  assert.equal(moved.status, 200);
  assert.equal(moved.headers['content-encoding'], 'br');
  assert.equal(moved.headers.etag, etag.br);
  const plain = await get(FEED, { 'if-none-match': etag.gzip });
  assert.equal(plain.status, 200, 'the gzip tag does not validate the identity bytes');
  // If-Modified-Since holds for every coding (one Last-Modified for all).
  const ims = await get(FEED, { 'accept-encoding': 'gzip', 'if-modified-since': 'Sat, 21 Nov 2026 10:20:00 GMT' });
  assert.equal(ims.status, 304);
  assert.equal(ims.headers.etag, etag.gzip);
});

test('identity refused and nothing else acceptable: 406, with Vary', { skip }, async () => {
  for (const ae of ['identity;q=0', '*;q=0', 'deflate, identity;q=0']) {
    const res = await get(FEED, { 'accept-encoding': ae });
    assert.equal(res.status, 406, ae);
    assert.equal(res.headers.vary, 'Accept, Accept-Encoding', ae);
  }
  assert.equal((await get(FEED, { 'accept-encoding': 'gzip, identity;q=0' })).headers['content-encoding'], 'gzip');
});

test('HEAD on every GET route: the same headers as GET, no body', { skip }, async () => {
  const paths = [FEED, '/feeds.opml', '/', '/favicon.ico', '/healthz', '/readyz', '/metrics', '/feeds/nosuch.rss'];
  const volatile = new Set(['date', 'connection', 'keep-alive']);
  for (const path of paths) {
    for (const ae of path === FEED ? ['br', 'gzip', ''] : ['']) {
      const headers = `${ae ? `Accept-Encoding: ${ae}\r\n` : ''}Host: 127.0.0.1\r\nConnection: close\r\n\r\n`;
      const [getHead, getBody] = splitResponse(await rawExchange(`GET ${path} HTTP/1.1\r\n${headers}`));
      const [headHead, headBody] = splitResponse(await rawExchange(`HEAD ${path} HTTP/1.1\r\n${headers}`));
      const what = `HEAD ${path} ${ae}`;
      assert.equal(headBody, '', `${what}: no body`);
      assert.ok(getBody.length > 0, `GET ${path}: a body`);
      const strip = (h: string[]) => h.filter((l) => !volatile.has(l.split(':')[0]!.toLowerCase()));
      if (path === '/metrics') {
        // Its figures (process memory, CPU) move between two requests; its length with them.
        const names = (h: string[]) => strip(h).map((l) => (l.toLowerCase().startsWith('content-length') ? 'content-length' : l));
        assert.deepEqual(names(headHead), names(getHead), what);
      } else {
        assert.deepEqual(strip(headHead), strip(getHead), what);
      }
    }
  }
});

function splitResponse(raw: string): [string[], string] {
  const at = raw.indexOf('\r\n\r\n');
  assert.ok(at > 0, `a whole response head: ${raw.slice(0, 200)}`);
  return [raw.slice(0, at).split('\r\n'), raw.slice(at + 4)];
}

test('a rendering stored before compression is served as identity, with Vary', { skip }, async () => {
  const client = redis.client();
  await feeds.put('sport', 'json', '{"version":"https://jsonfeed.org/version/1.1"}', 'application/feed+json; charset=utf-8', new Date('2026-11-21T10:00:00Z'));
  await client.hdel(keys(svc.prefix).rendered('sport', 'json'), 'br', 'gzip', 'encodings', 'maxAge', 'changes');
  const res = await get('/feeds/sport.json', { 'accept-encoding': 'br, gzip' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-encoding'], undefined);
  assert.equal(res.headers.vary, 'Accept, Accept-Encoding');
  assert.equal(res.body.toString(), '{"version":"https://jsonfeed.org/version/1.1"}');
  assert.equal(res.headers['cache-control'], 'public, max-age=60');
});

test('bytes held from an earlier answer are served only while the stored ETag is theirs: a new render is served at once', { skip }, async () => {
  const ATOM = 'application/atom+xml; charset=utf-8';
  const v1 = '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>v1</title></feed>';
  const v2 = v1.replace('v1', 'v2');
  await feeds.put('health', 'atom', v1, ATOM, new Date('2026-11-21T10:00:00Z'));
  assert.equal((await get('/feeds/health.atom')).body.toString(), v1);
  assert.equal((await get('/feeds/health.atom')).body.toString(), v1);
  await feeds.put('health', 'atom', v2, ATOM, new Date('2026-11-21T10:05:00Z'));
  const fresh = await get('/feeds/health.atom');
  assert.equal(fresh.body.toString(), v2);
  assert.equal(fresh.headers.etag, etagOf(v2));
  assert.equal((await get('/feeds/health.atom', { 'accept-encoding': 'gzip' })).headers.etag, etagOf(v2).replace(/"$/, '-gzip"'));
});

test('the HTTP side never compresses: no zlib anywhere in src/http', () => {
  const dir = join(ROOT, 'src/http');
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts')) continue;
    assert.doesNotMatch(readFileSync(join(dir, file), 'utf8'), /zlib|compress(?:ion)?['"]/, `src/http/${file}`);
  }
});

test('while Redis is down a feed is served stale in the coding asked for, with its ETag and the short max-age', { skip }, async () => {
  const fresh = await get(FEED, { 'accept-encoding': 'gzip' });
  assert.equal(fresh.status, 200);
  await redis.kill();
  try {
    for (const coding of ['gzip', 'br'] as const) {
      const stale = await get(FEED, { 'accept-encoding': coding });
      assert.equal(stale.status, 200);
      assert.equal(stale.headers['x-wirefeed-stale'], '1');
      assert.equal(stale.headers['content-encoding'], coding);
      assert.equal(stale.headers.vary, 'Accept, Accept-Encoding');
      assert.equal(stale.headers['cache-control'], 'public, max-age=10');
      assert.equal(decode[coding]!(stale.body).toString('utf8'), BODY);
    }
    const revalidated = await get(FEED, { 'accept-encoding': 'gzip', 'if-none-match': fresh.headers.etag as string });
    assert.equal(revalidated.status, 304);
  } finally {
    await redis.restart();
  }
});

test('/favicon.ico: a 16×16 32-bit ICO drawn at start, cacheable, revalidated by its ETag', { skip }, async () => {
  const res = await get('/favicon.ico');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'image/x-icon');
  assert.equal(res.headers['cache-control'], 'public, max-age=86400');
  const ico = res.body;
  assert.equal(ico.length, 6 + 16 + 40 + 16 * 16 * 4 + 16 * 4);
  assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)], [0, 1, 1], 'ICONDIR: an icon, one image');
  assert.deepEqual([ico[6], ico[7], ico.readUInt16LE(12), ico.readUInt32LE(14), ico.readUInt32LE(18)], [16, 16, 32, ico.length - 22, 22]);
  assert.deepEqual([ico.readUInt32LE(22), ico.readInt32LE(26), ico.readInt32LE(30), ico.readUInt16LE(36)], [40, 16, 32, 32], 'BITMAPINFOHEADER');
  // Pixels, bottom row first, BGRA: the centre-left is orange, a corner transparent.
  const at = (x: number, y: number) => [...ico.subarray(62 + ((15 - y) * 16 + x) * 4, 66 + ((15 - y) * 16 + x) * 4)];
  assert.deepEqual(at(0, 0), [0, 0, 0, 0]);
  assert.deepEqual(at(8, 2), [34, 128, 238, 255]);
  assert.deepEqual(at(4, 11), [255, 255, 255, 255], 'the white dot of the feed sign');
  const again = await get('/favicon.ico', { 'if-none-match': res.headers.etag as string });
  assert.equal(again.status, 304);
});
