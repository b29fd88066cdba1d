/**
 * The service as a user runs it: `wirefeed start` through the CLI, with no REDIS_URL (so it runs
 * its private redis-server), a feed source on a local HTTP origin and a directory source holding
 * the seed; the topic feeds are read over HTTP.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { startOrigin, type Origin } from '../helpers/origin-server.ts';
import { redisAvailable } from '../helpers/redis-server.ts';
import { waitFor } from '../helpers/service.ts';
import { freePort } from '../helpers/free-port.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/wirefeed.js');
const SEED = join(ROOT, 'tests/fixtures/wire/seed-ar-kremlin.txt');
const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';

interface JsonFeed {
  title: string;
  items: { id: string; title: string; content_html?: string; language?: string; url?: string }[];
}

let work: string;
let origin: Origin;
let service: ChildProcess;
let base: string;
let output = '';

before(async () => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), 'wf-e2e-'));
  origin = await startOrigin();
  origin.set('/rss.xml', {
    body: readFileSync(join(ROOT, 'tests/fixtures/e2e/agency-feed.xml')),
    contentType: 'application/rss+xml; charset=utf-8',
    etag: '"agency-v1"',
  });
  const inbox = join(work, 'inbox');
  mkdirSync(inbox, { recursive: true });
  copyFileSync(SEED, join(inbox, 'seed.txt'));
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(inbox, 'seed.txt'), past, past);

  const config = join(work, 'config');
  mkdirSync(config);
  copyFileSync(join(ROOT, 'config/topics.yaml'), join(config, 'topics.yaml'));
  writeFileSync(
    join(config, 'sources.yaml'),
    [
      'sources:',
      '  - id: test-agency',
      '    type: feed',
      `    url: ${origin.url('/rss.xml')}`,
      '    every: 10s',
      '    categories: { Sports: sport }',
      '  - id: agency-inbox',
      '    type: directory',
      '    path: ./inbox',
      '    every: 500ms',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PUBLIC_URL: base, PUBLISH_WINDOW: '300ms', LOG_LEVEL: 'info' };
  delete env.REDIS_URL;
  service = spawn(process.execPath, [BIN, 'start', '--config', config], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  service.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  service.stderr!.on('data', (d: Buffer) => (output += d.toString()));
});

after(async () => {
  if (service && service.exitCode === null) service.kill('SIGKILL');
  await origin?.close();
});

async function json(path: string): Promise<JsonFeed | undefined> {
  const res = await fetch(`${base}${path}`);
  return res.ok ? ((await res.json()) as JsonFeed) : undefined;
}

test('the seed dropped in a folder and a local RSS feed reach the topic feeds over HTTP', { skip, timeout: 90_000 }, async (t) => {
  const economy = await waitFor('the seed and the RSS items in economy.json', async () => {
    const feed = await json('/feeds/economy.json');
    const ok = feed && feed.items.some((i) => i.content_html?.includes('أوبك+')) && feed.items.some((i) => i.title.startsWith('Central bank'));
    return ok ? feed : undefined;
  });
  assert.equal(economy.items.length, 2, output);

  await t.test('the seed is in economy, politics, health and science-technology, and not in conflict or sport', async () => {
    for (const slug of ['economy', 'politics', 'health', 'science-technology']) {
      const feed = await waitFor(`seed in ${slug}`, async () => {
        const f = await json(`/feeds/${slug}.json`);
        return f?.items.some((i) => i.content_html?.includes('أوبك+')) ? f : undefined;
      });
      const seed = feed.items.find((i) => i.content_html?.includes('أوبك+'))!;
      assert.equal(seed.language, 'ar');
      assert.match(seed.content_html!, /dir="rtl"/);
      // Wire copy as agencies print it: the dateline at the head, the photo credit and the read-also
      // story after the body, each in its own element — never left inside the body's paragraphs.
      const html = seed.content_html!;
      assert.match(html, /^<div dir="rtl" lang="ar"><p><span class="dateline">أخبار الآن \| موسكو – روسيا \(وكالات\)<\/span> — أعلن الكرملين/);
      assert.match(html, /<p class="credit">مصدر الصورة: REUTERS<\/p>/);
      assert.match(html, /<ul class="related"><li>الاتحاد الأوروبي يعقد قمة في 23 نيسان\/أبريل لبحث الانتعاش الاقتصادي<\/li><\/ul>/);
      assert.doesNotMatch(html.slice(0, html.indexOf('<p class="credit">')), /مصدر الصورة|إقرأ أيضاً/);
    }
    for (const slug of ['conflict', 'sport']) {
      // Every feed is published once at start; with its language variants that takes a moment.
      const feed = await waitFor(`${slug}.json`, () => json(`/feeds/${slug}.json`));
      assert.ok(!feed.items.some((i) => i.content_html?.includes('أوبك+')), `the seed is not in ${slug}`);
    }
  });

  await t.test('RSS and Atom carry the same articles, with content types, validators and 304', async () => {
    const rss = await fetch(`${base}/feeds/economy.rss`);
    assert.equal(rss.headers.get('content-type'), 'application/rss+xml; charset=utf-8');
    const body = await rss.text();
    assert.match(body, /<rss version="2.0"/);
    assert.match(body, /أوبك\+/);
    assert.match(body, /Central bank holds interest rates/);
    assert.doesNotMatch(body, /<script>/);
    const etag = rss.headers.get('etag')!;
    const lastModified = rss.headers.get('last-modified')!;
    assert.ok(etag && lastModified);
    assert.equal((await fetch(`${base}/feeds/economy.rss`, { headers: { 'if-none-match': etag } })).status, 304);
    assert.equal((await fetch(`${base}/feeds/economy.rss`, { headers: { 'if-modified-since': lastModified } })).status, 304);
    const atom = await fetch(`${base}/feeds/economy.atom`);
    assert.equal(atom.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
    assert.match(await atom.text(), /<feed [^>]*xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    const jsonRes = await fetch(`${base}/feeds/economy.json`);
    assert.equal(jsonRes.headers.get('content-type'), 'application/feed+json; charset=utf-8');
  });

  await t.test('the sport item arrived through the source category map, with its relative link made absolute', async () => {
    const sport = await waitFor('sport.json', async () => {
      const f = await json('/feeds/sport.json');
      return f?.items.length ? f : undefined;
    });
    assert.deepEqual(sport.items.map((i) => i.url), ['http://127.0.0.1/agency/world-cup']);
  });

  await t.test('language variants: economy.ar carries the seed only, economy.en the English story only; OPML titles them in their language', async () => {
    const ar = await waitFor('economy.ar.json', async () => {
      const f = await json('/feeds/economy.ar.json');
      return f?.items.length ? f : undefined;
    });
    assert.equal(ar.title, 'Wirefeed · اقتصاد، اعمال ومال');
    assert.deepEqual(ar.items.map((i) => i.language), ['ar']);
    const en = await waitFor('economy.en.json', async () => {
      const f = await json('/feeds/economy.en.json');
      return f?.items.length ? f : undefined;
    });
    assert.deepEqual(en.items.map((i) => i.title), ['Central bank holds interest rates as inflation slows']);
    assert.deepEqual((await waitFor('economy.fr.json', () => json('/feeds/economy.fr.json'))).items, []);
    const atom = await (await fetch(`${base}/feeds/economy.ar.atom`)).text();
    assert.match(atom, /<feed [^>]*xml:lang="ar"/);
    const opml = await (await fetch(`${base}/feeds.opml`)).text();
    assert.match(opml, new RegExp(`text="Wirefeed · اقتصاد، اعمال ومال"[^>]*xmlUrl="${base}/feeds/economy.ar.rss"`));
    assert.equal((await fetch(`${base}/feeds/economy.de.rss`)).status, 404);
  });

  await t.test('all, OPML, health and readiness', async () => {
    // all is published in its own window: wait for it rather than race it.
    const all = await waitFor('3 items in all.json', async () => {
      const f = await json('/feeds/all.json');
      return f?.items.length === 3 ? f : undefined;
    });
    assert.equal(all.items.length, 3);
    const opml = await (await fetch(`${base}/feeds.opml`)).text();
    assert.match(opml, new RegExp(`xmlUrl="${base}/feeds/economy.rss"`));
    assert.match(opml, new RegExp(`xmlUrl="${base}/feeds/all.rss"`));
    assert.match(opml, new RegExp(`xmlUrl="${base}/feeds/source/agency-inbox.rss"`));
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const missing = await fetch(`${base}/feeds/astrology.rss?<script>`);
    assert.equal(missing.status, 404);
    // A 404 echoes the path it was asked: never sniffed into HTML. Nor is any other answer.
    assert.equal(missing.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await fetch(`${base}/healthz`)).headers.get('x-content-type-options'), 'nosniff');
  });

  await t.test('the dropped file moved to done/; the feed was fetched conditionally', async () => {
    assert.ok(existsSync(join(work, 'inbox/done/seed.txt')));
    assert.deepEqual(readdirSync(join(work, 'inbox/.processing')), []);
    const stats = origin.stats('/rss.xml');
    assert.ok(stats.requests >= 1);
  });

  await t.test('a file that is no feed goes to failed/ with the reason beside it, and the service carries on', async () => {
    const bad = join(work, 'inbox', 'page.html');
    writeFileSync(bad, '<!doctype html><html><body>Not a feed</body></html>');
    const past = new Date(Date.now() - 60_000);
    utimesSync(bad, past, past);
    const reason = await waitFor('failed/page.html.error.txt', async () => {
      const p = join(work, 'inbox/failed/page.html.error.txt');
      return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
    });
    assert.match(reason, /source agency-inbox, file page\.html: NOT_A_FEED: /);
    assert.ok(existsSync(join(work, 'inbox/failed/page.html')));
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });

  await t.test('SIGTERM stops the service and its private redis cleanly', async () => {
    const exited = new Promise<number | null>((done) => service.once('exit', (code) => done(code)));
    service.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    assert.ok(existsSync(join(work, 'data/redis/appendonlydir')), 'append-only file under ./data/redis');
    assert.ok(!existsSync(join(work, 'data/redis/redis.sock')), 'private redis stopped');
  });
});

test('without redis-server on PATH and no REDIS_URL, start exits with one line saying what to do', { timeout: 30_000 }, () => {
  // An empty PATH: node is run by its absolute path, and redis-server cannot be found.
  const dir = mkdtempSync(join(tmpdir(), 'wf-noredis-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: dir };
  delete env.REDIS_URL;
  const r = spawnSync(process.execPath, [BIN, 'start', '--config', join(ROOT, 'config')], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /redis-server was not found on PATH and REDIS_URL is not set: install Redis .*apt-get install redis-server.* or set REDIS_URL=/);
});
