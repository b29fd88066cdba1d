/**
 * bench/normalize — articles per second for each input format (parse, then normalize + topics),
 * beside the other stages of the pipeline measured in the same run on the same articles (store
 * upsert on a real redis-server, render of the feeds they land in), and the accuracy on the gold
 * sets (dates, datelines, trailers).
 *
 *   node --import tsx bench/normalize.ts
 *
 * Documents: the project's own fixtures (tests/fixtures) and, when ../shared is present, the
 * agency wire corpus. Each document is processed repeatedly for at least MIN_MS. Target: the
 * normalize column is never the slowest stage.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config/load-config.ts';
import { decodeBody } from '../src/fetch/decode-body.ts';
import { detectFormat } from '../src/formats/detect-format.ts';
import { parseDocument } from '../src/formats/parse-document.ts';
import { ingestDocument } from '../src/ingest/ingest-document.ts';
import { createPipeline } from '../src/ingest/pipeline.ts';
import type { ArticleRecord } from '../src/model/article-record.ts';
import type { FormatName } from '../src/model/raw-item.ts';
import { renderAtom } from '../src/render/atom.ts';
import { renderJsonFeed } from '../src/render/json-feed.ts';
import { renderRss } from '../src/render/rss.ts';
import { ArticleStore } from '../src/store/article-store.ts';
import { startRedis } from '../tests/helpers/redis-server.ts';
import { loadTrailerGold, scoreTrailers } from './normalize-gold.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MIN_MS = Number(process.env.MIN_MS ?? 300);
const SHARED_WIRE = resolve(ROOT, '../shared/corpora/wire');

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(md|ts|json\.schema)$/.test(name) || name.includes('schema') ? [] : [p];
  });
}

const config = loadConfig(join(ROOT, 'config'), {});
const pipeline = createPipeline(config);
const source = { id: 'bench', type: 'directory' as const, path: '.', every: 5000, topics: [], categories: {}, enabled: true };
const now = new Date('2026-11-21T12:00:00Z');

interface Doc {
  path: string;
  text: string;
  format: FormatName;
}
const docs: Doc[] = [];
for (const path of [
  ...files(join(ROOT, 'tests/fixtures/wire')),
  ...files(join(ROOT, 'tests/fixtures/feeds')),
  ...files(join(ROOT, 'tests/fixtures/formats')),
  ...files(SHARED_WIRE),
]) {
  const text = decodeBody(readFileSync(path), null);
  try {
    const format = detectFormat(text);
    await ingestDocument({ body: text, format }, source, pipeline, now);
    docs.push({ path, text, format });
  } catch {
    // Not a document the pipeline reads (an INDEX, a schema, a deliberately broken fixture).
  }
}

async function rate(run: () => Promise<number>): Promise<number> {
  await run(); // warm
  let items = 0;
  const start = performance.now();
  while (performance.now() - start < MIN_MS) items += await run();
  return items / ((performance.now() - start) / 1000);
}

const byFormat = new Map<FormatName, Doc[]>();
for (const d of docs) byFormat.set(d.format, [...(byFormat.get(d.format) ?? []), d]);

console.log(`bench/normalize: ${docs.length} documents${existsSync(SHARED_WIRE) ? ' (with ../shared/corpora/wire)' : ' (project fixtures only: ../shared is absent)'}, Node ${process.version}`);
console.log('');
console.log('| format | documents | parse (articles/s) | parse + normalize + topics (articles/s) |');
console.log('|---|---|---|---|');
const all: ArticleRecord[] = [];
let slowestNormalize = Number.POSITIVE_INFINITY;
for (const [format, list] of [...byFormat].sort(([a], [b]) => a.localeCompare(b))) {
  const parse = await rate(async () => {
    let n = 0;
    for (const d of list) n += (await parseDocument(d.text, { format })).items.length;
    return n;
  });
  const full = await rate(async () => {
    let n = 0;
    for (const d of list) n += (await ingestDocument({ body: d.text, format }, source, pipeline, now)).articles.length;
    return n;
  });
  slowestNormalize = Math.min(slowestNormalize, full);
  for (const d of list) all.push(...(await ingestDocument({ body: d.text, format }, source, pipeline, now)).articles);
  console.log(`| ${format} | ${list.length} | ${parse.toFixed(0)} | ${full.toFixed(0)} |`);
}

// The stages after normalization, on the same articles.
const redis = await startRedis();
const store = new ArticleStore(redis.client(), redis.prefix());
let round = 0;
const storeRate = await rate(async () => {
  round++;
  const batch = all.map((a) => ({ ...a, id: `${a.id}-${round}` }));
  await store.upsertBatch(batch);
  return batch.length;
});
await redis.stop();
const feed = all.slice(0, 50);
const meta = {
  id: 'bench',
  title: 'bench',
  description: 'bench',
  homeUrl: 'http://localhost/',
  selfUrls: { rss: 'http://localhost/b.rss', atom: 'http://localhost/b.atom', json: 'http://localhost/b.json' },
  updated: now,
  generator: 'bench',
};
// An article is rendered once per feed it lands in (a topic or two, all, its source): count 3.
const feedsPerArticle = 3;
const renderRate = await rate(async () => {
  renderRss(meta, feed);
  renderAtom(meta, feed);
  renderJsonFeed(meta, feed);
  return feed.length;
}) / feedsPerArticle;

console.log('');
console.log('| stage (same articles) | articles/s |');
console.log('|---|---|');
console.log(`| normalize + topics, slowest format | ${slowestNormalize.toFixed(0)} |`);
console.log(`| store: one upsert per document batch (real redis-server) | ${storeRate.toFixed(0)} |`);
console.log(`| render: RSS + Atom + JSON Feed, each article in ${feedsPerArticle} feeds | ${renderRate.toFixed(0)} |`);
const slowest = Math.min(slowestNormalize, storeRate, renderRate);
console.log(`normalization is ${slowest === slowestNormalize ? 'THE SLOWEST stage (target missed)' : 'not the slowest stage (target met)'}`);

console.log('');
console.log('| gold set | correct / total |');
console.log('|---|---|');
const trailers = scoreTrailers(loadTrailerGold());
console.log(`| trailers (credits and read-also) | ${trailers.correct} / ${trailers.total} |`);
const accuracyModule = join(ROOT, 'bench/normalize-accuracy.ts');
if (existsSync(accuracyModule)) {
  const { accuracy } = (await import(accuracyModule)) as { accuracy(): { dates: { correct: number; total: number }; datelines: { correct: number; total: number } } };
  const a = accuracy();
  console.log(`| dates (Arabic phrases from the ANT corpus) | ${a.dates.correct} / ${a.dates.total} |`);
  console.log(`| datelines | ${a.datelines.correct} / ${a.datelines.total} |`);
}
process.exit(0);
