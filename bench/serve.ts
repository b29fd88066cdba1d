/**
 * bench/serve — a cached 50-item topic feed served by Wirefeed and by nginx, in one run.
 *
 *   npm run bench:serve            (DURATION_S=10 CONNECTIONS=100 NGINX_WORKERS=1 by default)
 *
 * Starts its own redis-server (unix socket, temp dir), `node bin/wirefeed.js start` with a local
 * feed file of 60 English items that its source files under `economy`, waits until
 * /feeds/economy.rss holds 50 items and has stopped changing, then copies the very bytes Wirefeed
 * serves (identity and its gzip form) into an nginx root (`gzip_static on`, so nginx answers gzip
 * from the same precompressed file, never compressing per request) and runs its own nginx on
 * 127.0.0.1. autocannon (in this process; Wirefeed and nginx are child processes on the same
 * 2 cores) then drives each server with 100 connections for (a) 200 answers to
 * `Accept-Encoding: gzip` and (b) 304 answers to `If-None-Match` with the ETag that server gives.
 * Prints requests/s and p99 side by side, and the ratios Wirefeed / nginx (target ≥ 0.5).
 * A figure, not a test: nothing here asserts a timing. Every wait has a deadline and says what
 * it waited for; every child is killed on exit and on Ctrl-C (bench/faults-procs.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import autocannon, { type AutocannonResult } from 'autocannon';
import { ROOT, freePort, startBenchRedis, tempDir, waitReady, spawnWirefeed, waitUntil } from './faults-procs.ts';

const DURATION_S = Number(process.env.DURATION_S ?? 10);
const WARMUP_S = Number(process.env.WARMUP_S ?? 2);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 100);
const NGINX_WORKERS = Number(process.env.NGINX_WORKERS ?? 1);
const ITEMS = 60;
const FEED = 'economy';
const FEED_PATH = `/feeds/${FEED}.rss`;
const NOW = Date.now();

// The whole run gives up after BENCH_DEADLINE_S, saying so (the 'exit' hook kills the children).
const DEADLINE_S = Number(process.env.BENCH_DEADLINE_S ?? 300);
setTimeout(() => {
  process.stderr.write(`bench/serve: gave up after ${DEADLINE_S} s (BENCH_DEADLINE_S) at step: ${step}\n`);
  process.exit(1);
}, DEADLINE_S * 1000).unref();
let step = 'starting';

// ───────────────────────────── the feed ─────────────────────────────

function vocabulary(...files: string[]): string[] {
  const text = files.map((f) => readFileSync(resolve(ROOT, f), 'utf8')).join(' ');
  return [...new Set(text.replace(/<[^>]+>/g, ' ').split(/[\s,.;:!?()"“”«»]+/u).filter((w) => /^[A-Za-z]{3,}$/.test(w)))];
}
const EN = vocabulary('tests/fixtures/wire/en-ap-senate.txt', 'tests/fixtures/e2e/agency-feed.xml', 'config/demo/demo-feed.xml');

function rng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** 60 items of random English words (no two alike, so none folds as a near-duplicate), dated within the last day. */
function feedDocument(): string {
  const r = rng(7);
  const sentence = (n: number) => Array.from({ length: n }, () => EN[Math.floor(r() * EN.length)]!).join(' ');
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const paragraphs = Array.from({ length: 5 }, () => `${sentence(30)}.`);
    return (
      `<item><title>${esc(`${sentence(8)} ${i}`)}</title><link>https://bench.example.org/story/${i}</link>` +
      `<guid isPermaLink="false">serve-${i}</guid><pubDate>${new Date(NOW - (i + 1) * 600_000).toUTCString()}</pubDate>` +
      `<description>${esc(paragraphs[0]!)}</description>` +
      `<content:encoded><![CDATA[${paragraphs.map((p) => `<p>${p}</p>`).join('')}]]></content:encoded></item>`
    );
  });
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench wire</title><link>https://bench.example.org/</link><description>bench</description>${items.join('')}</channel></rss>`;
}

// ───────────────────────────── HTTP, raw bytes ─────────────────────────────

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One GET without decoding the body (fetch would gunzip it), with a timeout. */
function rawGet(url: string, headers: Record<string, string>, timeoutMs = 5000): Promise<Raw> {
  return new Promise((resolveGet, reject) => {
    const req = request(url, { headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

const header = (r: Raw, name: string) => String(r.headers[name] ?? '');

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench/serve: ${what}`);
}

// ───────────────────────────── the two servers ─────────────────────────────

async function startWirefeed(dir: string): Promise<{ url: string; pid: number }> {
  step = 'starting redis-server';
  const redisDir = join(dir, 'redis');
  mkdirSync(redisDir);
  const redis = await startBenchRedis(redisDir);
  const configDir = join(dir, 'config');
  mkdirSync(configDir);
  writeFileSync(join(configDir, 'bench-feed.xml'), feedDocument());
  writeFileSync(
    join(configDir, 'sources.yaml'),
    `sources:\n  - id: bench-wire\n    type: feed\n    url: file:./bench-feed.xml\n    every: 1h\n    language: en\n    topics: [${FEED}]\n`,
  );
  writeFileSync(join(configDir, 'topics.yaml'), readFileSync(join(ROOT, 'config/topics.yaml'), 'utf8'));
  const port = await freePort();
  step = 'starting wirefeed';
  const wf = spawnWirefeed(
    configDir,
    { REDIS_URL: redis.url, REDIS_PREFIX: 'bench', PUBLISH_WINDOW: '1s', LOG_LEVEL: 'warn', DATA_DIR: join(dir, 'data') },
    port,
    join(dir, 'wirefeed.log'),
  );
  await waitReady(wf, 60_000);
  // Published and settled: 50 items, and the same ETag for three seconds (no publish pending).
  step = `waiting for ${FEED_PATH} to be published with 50 items`;
  let last = { etag: '', items: 0, since: 0 };
  await waitUntil(
    `${FEED_PATH} to hold 50 items and keep its ETag for 3 s`,
    90_000,
    async () => {
      const r = await rawGet(`${wf.url}${FEED_PATH}`, { 'accept-encoding': 'identity' }).catch(() => null);
      if (!r || r.status !== 200) return false;
      const items = (r.body.toString('utf8').match(/<item>/g) ?? []).length;
      const etag = header(r, 'etag');
      if (etag !== last.etag || items !== last.items) last = { etag, items, since: performance.now() };
      return items === 50 && performance.now() - last.since > 3000;
    },
    () => `last seen: ${last.items} items, ETag ${last.etag || 'none'}; log ${join(dir, 'wirefeed.log')}`,
    250,
  );
  return { url: wf.url, pid: wf.pid };
}

async function startNginx(dir: string, identity: Buffer, gzipped: Buffer): Promise<{ url: string; pid: number; version: string }> {
  step = 'starting nginx';
  // `nginx -v` prints its version on stderr.
  const version = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim();
  const root = join(dir, 'nginx');
  const www = join(root, 'www');
  mkdirSync(join(www, 'feeds'), { recursive: true });
  writeFileSync(join(www, `feeds/${FEED}.rss`), identity);
  writeFileSync(join(www, `feeds/${FEED}.rss.gz`), gzipped);
  // nginx's workers run as nobody: the temp dirs (0700) must let them read the root.
  for (const d of [dir, root, www, join(www, 'feeds')]) chmodSync(d, 0o755);
  const port = await freePort();
  const conf = join(root, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes ${NGINX_WORKERS};
pid ${root}/nginx.pid;
error_log ${root}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { application/rss+xml rss; }
  default_type application/octet-stream;
  charset utf-8;
  charset_types application/rss+xml;
  gzip_static on;
  gzip_vary on;
  client_body_temp_path ${root}/client_body;
  proxy_temp_path ${root}/proxy;
  fastcgi_temp_path ${root}/fastcgi;
  uwsgi_temp_path ${root}/uwsgi;
  scgi_temp_path ${root}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${www};
    location /feeds/ { add_header Cache-Control "public, max-age=30"; }
  }
}
`,
  );
  // Not track()ed: its SIGKILL would leave nginx's workers running. SIGTERM to the master, which
  // stops its workers, on every exit (an 'exit' listener also runs after Ctrl-C's clean-up).
  const child = spawn('nginx', ['-e', join(root, 'error.log'), '-c', conf, '-p', root, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    `nginx to answer GET ${FEED_PATH} with 200`,
    15_000,
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr.trim()}`);
      const r = await rawGet(`${url}${FEED_PATH}`, {}, 1000).catch(() => null);
      return r?.status === 200;
    },
    () => `stderr: ${stderr.trim() || 'none'}`,
    50,
  );
  return { url, pid: child.pid!, version: version.replace(/^nginx version:\s*nginx\//, '') || 'unknown' };
}

// ───────────────────────────── measuring ─────────────────────────────

interface Case {
  rps: number;
  p99: number;
  p50: number;
  expected: number;
  other: number;
  errors: number;
}

async function drive(url: string, headers: Record<string, string>, expectStatus: 200 | 304): Promise<Case> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, headers });
  const r: AutocannonResult = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers, timeout: 10 });
  const expected = expectStatus === 200 ? r['2xx'] : r['3xx'];
  const total = r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
  return { rps: r.requests.average, p99: r.latency.p99, p50: r.latency.p50, expected, other: total - expected, errors: r.errors + r.timeouts };
}

// ───────────────────────────── the run ─────────────────────────────

const dir = tempDir(mkdtempSync(join(tmpdir(), 'wf-bench-serve-')));
const loadBefore = loadavg();
const wirefeed = await startWirefeed(dir);

step = 'reading the bytes Wirefeed serves';
const wfIdentity = await rawGet(`${wirefeed.url}${FEED_PATH}`, { 'accept-encoding': 'identity' });
const wfGzip = await rawGet(`${wirefeed.url}${FEED_PATH}`, { 'accept-encoding': 'gzip' });
check(wfGzip.status === 200 && header(wfGzip, 'content-encoding') === 'gzip', `Wirefeed answered ${wfGzip.status} with Content-Encoding "${header(wfGzip, 'content-encoding')}" to Accept-Encoding: gzip`);
check(gunzipSync(wfGzip.body).equals(wfIdentity.body), 'the gzip bytes Wirefeed serves do not inflate to its identity bytes');

const nginx = await startNginx(dir, wfIdentity.body, wfGzip.body);
const ngGzip = await rawGet(`${nginx.url}${FEED_PATH}`, { 'accept-encoding': 'gzip' });
check(ngGzip.status === 200 && header(ngGzip, 'content-encoding') === 'gzip' && ngGzip.body.equals(wfGzip.body), 'nginx does not answer Accept-Encoding: gzip with the same gzip bytes as Wirefeed');

const wfEtag = header(wfGzip, 'etag');
const ngEtag = header(ngGzip, 'etag');
const wf304 = await rawGet(`${wirefeed.url}${FEED_PATH}`, { 'accept-encoding': 'gzip', 'if-none-match': wfEtag });
const ng304 = await rawGet(`${nginx.url}${FEED_PATH}`, { 'accept-encoding': 'gzip', 'if-none-match': ngEtag });
check(wf304.status === 304, `Wirefeed answered ${wf304.status}, not 304, to If-None-Match: ${wfEtag}`);
check(ng304.status === 304, `nginx answered ${ng304.status}, not 304, to If-None-Match: ${ngEtag}`);

const cpu = cpus();
console.log(
  `bench/serve: ${FEED_PATH}, 50 items, ${wfIdentity.body.length} B identity / ${wfGzip.body.length} B gzip; ` +
    `${CONNECTIONS} connections, ${DURATION_S} s per case after ${WARMUP_S} s warm-up; autocannon in the bench process, ` +
    `Wirefeed (one \`wirefeed start\` process, Redis on a unix socket) and nginx ${nginx.version} (${NGINX_WORKERS} worker, gzip_static) as child processes`,
);
console.log(`machine: ${cpu.length} × ${cpu[0]?.model.trim()}, Node ${process.version}; load average before the run ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);

const gzipHeaders = { 'accept-encoding': 'gzip' };
step = 'autocannon: Wirefeed, 200 gzip';
const wf200 = await drive(`${wirefeed.url}${FEED_PATH}`, gzipHeaders, 200);
step = 'autocannon: nginx, 200 gzip';
const ng200 = await drive(`${nginx.url}${FEED_PATH}`, gzipHeaders, 200);
step = 'autocannon: Wirefeed, 304';
const wfNm = await drive(`${wirefeed.url}${FEED_PATH}`, { ...gzipHeaders, 'if-none-match': wfEtag }, 304);
step = 'autocannon: nginx, 304';
const ngNm = await drive(`${nginx.url}${FEED_PATH}`, { ...gzipHeaders, 'if-none-match': ngEtag }, 304);
const loadAfter = loadavg();

const f0 = (n: number) => n.toFixed(0);
const ms = (n: number) => `${n.toFixed(0)} ms`;
console.log('');
console.log('| case | Wirefeed req/s | nginx req/s | ratio req/s (target ≥ 0.5) | Wirefeed p99 | nginx p99 | Wirefeed p50 | nginx p50 |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, wf, ng] of [
  ['200, gzip', wf200, ng200],
  ['304, If-None-Match', wfNm, ngNm],
] as const) {
  console.log(`| ${name} | ${f0(wf.rps)} | ${f0(ng.rps)} | ${(wf.rps / ng.rps).toFixed(2)} | ${ms(wf.p99)} | ${ms(ng.p99)} | ${ms(wf.p50)} | ${ms(ng.p50)} |`);
}
console.log('');
for (const [name, c] of [
  ['Wirefeed 200', wf200],
  ['nginx 200', ng200],
  ['Wirefeed 304', wfNm],
  ['nginx 304', ngNm],
] as const) {
  if (c.other || c.errors) console.log(`note: ${name}: ${c.other} answers with another status, ${c.errors} errors or timeouts`);
}
console.log(`load average after the run ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
process.exit(0);
