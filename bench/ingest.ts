/**
 * bench/ingest — 10,000 items in 100 feed documents through fetch → ingest → store → publish on
 * this machine, beside rss-parser's parse-only rate on the same documents in the same run.
 *
 *   npm run bench:ingest            (ITEMS_PER_DOC=100 DOCS=100 by default)
 *
 * Prints items/s end to end, items/s parse-only, their ratio (target ≥ 0.5), and peak memory.
 * A figure, not a test: nothing here asserts a timing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import Parser from 'rss-parser';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/log/logger.ts';
import { startService } from '../src/queue/lifecycle.ts';
import { JOB, createQueues } from '../src/queue/registry.ts';
import { feedCatalog } from '../src/render/feed-catalog.ts';
import { ArticleStore } from '../src/store/article-store.ts';
import { FeedStore } from '../src/store/feed-store.ts';
import { keys } from '../src/store/keys.ts';
import { startOrigin } from '../tests/helpers/origin-server.ts';
import { startRedis } from '../tests/helpers/redis-server.ts';

const DOCS = Number(process.env.DOCS ?? 100);
const PER_DOC = Number(process.env.ITEMS_PER_DOC ?? 100);
const TOTAL = DOCS * PER_DOC;
const NOW = Date.now();

// Vocabulary of the three languages the service is built for, from the project's own fixtures.
function vocabulary(...files: string[]): string[] {
  const text = files.map((f) => readFileSync(resolve(import.meta.dirname, '..', f), 'utf8')).join(' ');
  return [...new Set(text.replace(/<[^>]+>/g, ' ').split(/[\s،,.;:!?()"“”«»]+/u).filter((w) => w.length > 2))];
}
const AR = vocabulary('tests/fixtures/wire/seed-ar-kremlin.txt');
const EN = vocabulary('tests/fixtures/wire/en-ap-senate.txt', 'tests/fixtures/e2e/agency-feed.xml', 'config/demo/demo-feed.xml').filter((w) => /^[A-Za-z]+$/.test(w));
const FR = vocabulary('tests/fixtures/wire/fr-afp-confinement.txt').filter((w) => /^[\p{Script=Latin}'’-]+$/u.test(w));

function rng(seed: number) {
  // Math.imul: a plain product of two large numbers loses its low bits and the sequence cycles.
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function makeDocument(d: number): string {
  const r = rng(d + 1);
  const items: string[] = [];
  for (let i = 0; i < PER_DOC; i++) {
    const lang = [AR, EN, FR][i % 3]!;
    // Every item tells its own story: words drawn at random from the language's vocabulary, so
    // the near-duplicate check has nothing (rightly) to fold together.
    const sentence = (n: number) => Array.from({ length: n }, () => lang[Math.floor(r() * lang.length)]!).join(' ');
    const paragraphs = Array.from({ length: 4 + Math.floor(r() * 4) }, () => `${sentence(25)}.`);
    // Dates relative to the run, within the retention window (fixed dates drift out of it).
    const age = ((d + i) % 28) * 86_400_000 + (i % 24) * 3_600_000 + (i % 60) * 60_000;
    items.push(
      `<item><title>${escape(`${paragraphs[0]!.slice(0, 60)} ${d}-${i}`)}</title>` +
        `<link>https://bench.example.org/${d}/${i}</link><guid isPermaLink="false">bench-${d}-${i}</guid>` +
        `<pubDate>${new Date(NOW - age).toUTCString()}</pubDate>` +
        `<category>Cat ${i % 7}</category>` +
        `<description>${escape(paragraphs[1]!)}</description>` +
        `<content:encoded><![CDATA[${paragraphs.map((p) => `<p>${p}</p>`).join('')}]]></content:encoded></item>`,
    );
  }
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench ${d}</title><link>https://bench.example.org/${d}/</link><description>bench</description>${items.join('')}</channel></rss>`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function parseOnly(docs: string[]): Promise<number> {
  const parser = new Parser();
  const start = performance.now();
  let items = 0;
  for (const doc of docs) items += (await parser.parseString(doc)).items.length;
  return items / ((performance.now() - start) / 1000);
}

async function endToEnd(docs: string[]): Promise<{ rate: number; renders: number; seconds: number; duplicates: number; feeds: number }> {
  const redis = await startRedis();
  const origin = await startOrigin();
  docs.forEach((doc, d) => origin.set(`/feed/${d}.xml`, { body: doc, contentType: 'application/rss+xml; charset=utf-8', etag: `"d${d}"`, encoding: 'gzip' }));
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-'));
  writeFileSync(
    join(dir, 'sources.yaml'),
    `sources:\n${docs.map((_, d) => `  - id: bench-${d}\n    type: feed\n    url: ${origin.url(`/feed/${d}.xml`)}\n    every: 1h\n`).join('')}`,
  );
  writeFileSync(join(dir, 'topics.yaml'), readFileSync(resolve(import.meta.dirname, '../config/topics.yaml'), 'utf8'));
  const prefix = redis.prefix();
  const config = loadConfig(dir, { REDIS_URL: redis.url, REDIS_PREFIX: prefix, PUBLISH_WINDOW: '1s', LOG_LEVEL: 'info' });
  let renders = 0;
  const sink = new Writable({
    write(chunk, _e, done) {
      renders += (chunk.toString().match(/"msg":"published"/g) ?? []).length;
      done();
    },
  });
  const client = redis.client();
  const store = new ArticleStore(client, prefix);
  const feeds = new FeedStore(client, prefix);
  const queues = createQueues(client, keys(prefix).queuePrefix);

  const start = performance.now();
  // The job schedulers poll every source at once when they are created.
  const service = await startService(config, { http: false, queues: ['fetch', 'ingest', 'publish'], scheduler: true }, createLogger('debug', sink));
  // A run that does not finish stops with what it was waiting for, rather than hanging.
  const deadline = start + Number(process.env.BENCH_DEADLINE_S ?? 600) * 1000;
  for (;;) {
    const stored = await store.countStored();
    if (performance.now() > deadline) {
      const pending = (await queues.publish.getJobs(['waiting', 'active', 'delayed'])).filter((j) => j.name === JOB.publish).length;
      await service.stop();
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await origin.close();
      await redis.stop();
      throw new Error(`bench/ingest: gave up after ${((performance.now() - start) / 1000).toFixed(0)} s: ${stored} of ${TOTAL} items stored, ${pending} publish jobs pending`);
    }
    if (stored >= TOTAL) {
      // Done when no publish job is pending (the hourly retention job does not count).
      const pending = await queues.publish.getJobs(['waiting', 'active', 'delayed']);
      const all = await feeds.get('all', 'json');
      if (!pending.some((j) => j.name === JOB.publish) && all) break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - start) / 1000;
  const duplicates = TOTAL - (await store.count('all'));
  await service.stop();
  await Promise.all(Object.values(queues).map((q) => q.close()));
  await origin.close();
  await redis.stop();
  return { rate: TOTAL / seconds, renders, seconds, duplicates, feeds: feedCatalog(config).length };
}

const docs = Array.from({ length: DOCS }, (_, d) => makeDocument(d));
const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
console.log(`bench/ingest: ${DOCS} documents × ${PER_DOC} items = ${TOTAL} items, ${mb(bytes)} of RSS (Node ${process.version})`);

// Warm both paths once (JIT), then measure; parse-only is the median of three runs.
await parseOnly(docs.slice(0, 5));
const parseRates = [await parseOnly(docs), await parseOnly(docs), await parseOnly(docs)].sort((a, b) => a - b);
const parseRate = parseRates[1]!;
const rssAfterParse = process.resourceUsage().maxRSS * 1024;
const e2e = await endToEnd(docs);
const peak = process.resourceUsage().maxRSS * 1024;

console.log('');
console.log('| measure | value |');
console.log('|---|---|');
console.log(`| rss-parser parse only (median of 3) | ${parseRate.toFixed(0)} items/s |`);
console.log(`| end to end: fetch → ingest → store → publish | ${e2e.rate.toFixed(0)} items/s (${e2e.seconds.toFixed(1)} s) |`);
console.log(`| ratio end to end / parse only (target ≥ 0.5) | ${(e2e.rate / parseRate).toFixed(2)} |`);
console.log(`| feed renders during the run (${e2e.feeds} feeds) | ${e2e.renders} |`);
console.log(`| items taken for near-duplicates of another | ${e2e.duplicates} |`);
console.log(`| peak RSS of the process (parse only → whole run) | ${mb(rssAfterParse)} → ${mb(peak)} |`);
process.exit(0);
