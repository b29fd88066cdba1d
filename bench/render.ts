/**
 * bench/render — the cost of rendering a 50-item feed in each format, and of publishing one
 * changed feed, beside a small store and a large one, in one run.
 *
 *   npm run bench:render           (STORES=10000,1000000 ROUNDS=5 by default)
 *
 * Two redis-servers (unix sockets, no persistence) are filled with synthetic articles of ~1.5 kB
 * (Arabic, English and French words from the project's fixtures, one of ten topics each, as a
 * normalized record carries them: headline, summary, HTML and text body, author, dateline, image,
 * keywords) through ArticleStore.upsertBatch, the store's own write path. Then, in alternating
 * rounds so that a change in the machine's load falls on both stores alike:
 *  - read: ArticleStore.newest(economy, 50), timed per call;
 *  - render: those 50 articles rendered by renderRss / renderAtom / renderJsonFeed with feedMeta
 *    (pure CPU; timed per call): every entry rendered, as when none is stored;
 *  - join: the document of each format from its head and the 50 entries rendered before
 *    (src/render/feed-entries.ts renderDocument; pure CPU), and the read of those entries from
 *    the entry store (EntryStore.read, one pipeline): what a publish does for entries it has;
 *  - publish per changed feed: one new economy article is upserted (not timed), then the publish
 *    worker's own job (workers/publish-worker.ts publishProcessor: the RFC 5005 archive's
 *    numbering of newcomers, ArticleStore.newest, the stored entries read and the new article's
 *    rendered and stored, the three documents joined, FeedStore.put with its gzip and brotli
 *    compression) is timed. Before measuring, publish jobs run until the archive of a
 *    store filled without publishing has caught up (its pages cut), as a live store's would be.
 * Prints the medians side by side and the ratio large / small (target: within 20 %).
 * A figure, not a test: nothing here asserts a timing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig, type WirefeedConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/log/logger.ts';
import type { ArticleRecord } from '../src/model/article-record.ts';
import { JOB, createQueues, type PublishJobData } from '../src/queue/registry.ts';
import { renderAtom } from '../src/render/atom.ts';
import { entryContext } from '../src/render/article-view.ts';
import { feedCatalog, feedMeta, FEED_FORMATS, type FeedEntry } from '../src/render/feed-catalog.ts';
import { entryRevision, entrySlot, renderDocument, renderEntry, renderFingerprint } from '../src/render/feed-entries.ts';
import { renderJsonFeed } from '../src/render/json-feed.ts';
import { renderRss } from '../src/render/rss.ts';
import { ArticleStore } from '../src/store/article-store.ts';
import { FeedStore } from '../src/store/feed-store.ts';
import { keys } from '../src/store/keys.ts';
import { publishProcessor } from '../workers/publish-worker.ts';
import type { WorkerDeps } from '../workers/deps.ts';
import { ROOT, tempDir, track, waitUntil } from './faults-procs.ts';

const STORES = (process.env.STORES ?? '10000,1000000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const RENDERS_PER_ROUND = Number(process.env.RENDERS ?? 40);
const PUBLISHES_PER_ROUND = Number(process.env.PUBLISHES ?? 20);
const FILL_CHUNK = 5000;
const FEED = 'economy';
const PREFIX = 'bench';
const NOW = Date.now();

const DEADLINE_S = Number(process.env.BENCH_DEADLINE_S ?? 1800);
let step = 'starting';
setTimeout(() => {
  process.stderr.write(`bench/render: gave up after ${DEADLINE_S} s (BENCH_DEADLINE_S) at step: ${step}\n`);
  process.exit(1);
}, DEADLINE_S * 1000).unref();

// ───────────────────────────── synthetic articles ─────────────────────────────

function vocabulary(file: string, keep: RegExp): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/<[^>]+>/g, ' ');
  return [...new Set(text.split(/[\s،,.;:!?()"“”«»]+/u).filter((w) => w.length > 2 && keep.test(w)))];
}
const LANGS = [
  { lang: 'en', dir: 'ltr' as const, words: vocabulary('tests/fixtures/wire/en-ap-senate.txt', /^[A-Za-z]+$/), city: 'WASHINGTON', agency: 'AP' },
  { lang: 'ar', dir: 'rtl' as const, words: vocabulary('tests/fixtures/wire/seed-ar-kremlin.txt', /^\p{Script=Arabic}+$/u), city: 'موسكو', agency: 'وكالات' },
  { lang: 'fr', dir: 'ltr' as const, words: vocabulary('tests/fixtures/wire/fr-afp-confinement.txt', /^[\p{Script=Latin}'’-]+$/u), city: 'PARIS', agency: 'AFP' },
];
const TOPICS = ['economy', 'politics', 'health', 'science-technology', 'conflict', 'sport', 'environment', 'education', 'society', 'arts-culture'];

function rng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
}

/** Article `n` of a store: ~1.5 kB of JSON, one of ten topics, updated within the last 20 days (retention is 30). */
function syntheticArticle(n: number, updatedMs: number, topic = TOPICS[n % TOPICS.length]!): ArticleRecord {
  const r = rng(n + 1);
  const l = LANGS[n % 3]!;
  const words = (k: number) => Array.from({ length: k }, () => l.words[Math.floor(r() * l.words.length)]!).join(' ');
  const paragraphs = [words(22), words(22), words(18)];
  const iso = new Date(updatedMs).toISOString();
  return {
    id: `b${n.toString(36).padStart(8, '0')}`,
    sourceId: `bench-${n % 20}`,
    url: n % 2 ? `https://bench.example.org/${l.lang}/${n}` : null,
    guid: `bench-${n}`,
    language: l.lang,
    direction: l.dir,
    headline: `${words(9)} ${n}`,
    summary: paragraphs[0]!,
    bodyHtml: paragraphs.map((p) => `<p>${p}.</p>`).join(''),
    bodyText: paragraphs.join('.\n\n'),
    published: iso,
    updated: iso,
    authors: [`${words(2)}`],
    dateline: { text: `${l.city} (${l.agency})`, outlet: null, city: l.city, country: null, sources: [l.agency], agencies: [{ code: l.agency, raw: l.agency }] },
    images: n % 4 === 0 ? [{ url: `https://bench.example.org/img/${n}.jpg`, caption: words(6), credit: l.agency }] : [],
    related: [],
    topics: [{ slug: topic, code: '', score: 0.9, origin: 'model' }],
    keywords: [words(1), words(1)],
    contentHash: `h${n}`,
  };
}

// ───────────────────────────── one store ─────────────────────────────

interface Store {
  size: number;
  client: Redis;
  articles: ArticleStore;
  feeds: FeedStore;
  deps: WorkerDeps;
  publish: (job: Job<PublishJobData>) => Promise<unknown>;
  next: number;
  clock: number;
  render: Record<'rss' | 'atom' | 'json', number[]>;
  join: Record<'rss' | 'atom' | 'json', number[]>;
  readMs: number[];
  entryReadMs: number[];
  publishMs: number[];
  memory: string;
  fillSeconds: number;
}

async function startRedisServer(dir: string): Promise<Redis> {
  const sock = join(dir, 'redis.sock');
  const child = track(
    spawn('redis-server', ['--port', '0', '--unixsocket', sock, '--unixsocketperm', '700', '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' }),
  );
  const client = new Redis({ path: sock, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => undefined);
  await waitUntil(
    `redis-server on ${sock} to answer PING`,
    15_000,
    async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
      return client.status === 'ready' ? (await client.ping()) === 'PONG' : (await client.connect().then(() => true, () => false));
    },
    () => `client status ${client.status}`,
    50,
  );
  return client;
}

const silent = createLogger('warn', new Writable({ write: (_c, _e, done) => done() }));

async function makeStore(size: number, config: WirefeedConfig): Promise<Store> {
  const dir = tempDir(mkdtempSync(join(tmpdir(), 'wf-bench-render-')));
  const client = await startRedisServer(dir);
  const articles = new ArticleStore(client, PREFIX, config.settings.feedLanguages);
  const feeds = new FeedStore(client, PREFIX);
  step = `filling a store with ${size} articles`;
  const start = performance.now();
  for (let from = 0; from < size; from += FILL_CHUNK) {
    const chunk = Array.from({ length: Math.min(FILL_CHUNK, size - from) }, (_, i) => {
      const n = from + i;
      // Spread over 20 days before the run; the newest last, as a store fills in real life.
      return syntheticArticle(n, NOW - 20 * 86_400_000 + Math.floor((n / size) * 20 * 86_400_000));
    });
    await articles.upsertBatch(chunk, NOW);
    if (size >= 100_000 && (from / FILL_CHUNK) % 40 === 0) process.stderr.write(`  ${size}: ${from} stored (${((performance.now() - start) / 1000).toFixed(0)} s)\n`);
  }
  const fillSeconds = (performance.now() - start) / 1000;
  const stored = await articles.countStored();
  if (stored !== size) throw new Error(`bench/render: the store holds ${stored} articles, not ${size}`);
  const memory = /used_memory_human:(\S+)/.exec(await client.info('memory'))?.[1] ?? '?';
  const queues = createQueues(client, keys(PREFIX).queuePrefix);
  const store: Store = {
    size,
    client,
    articles,
    feeds,
    deps: undefined as unknown as WorkerDeps,
    publish: undefined as unknown as Store['publish'],
    next: size,
    clock: NOW,
    render: { rss: [], atom: [], json: [] },
    join: { rss: [], atom: [], json: [] },
    readMs: [],
    entryReadMs: [],
    publishMs: [],
    memory,
    fillSeconds,
  };
  // What publishProcessor uses of its deps (the ingest side is not needed to publish).
  store.deps = { config, articles, feeds, queues, logger: silent, now: () => new Date(store.clock), signal: new AbortController().signal } as unknown as WorkerDeps;
  store.publish = publishProcessor(store.deps);
  return store;
}

// ───────────────────────────── measuring ─────────────────────────────

async function renderRound(store: Store, entry: FeedEntry, config: WirefeedConfig): Promise<void> {
  let newest: ArticleRecord[] = [];
  for (let i = 0; i < RENDERS_PER_ROUND; i++) {
    const t = performance.now();
    newest = await store.articles.newest(FEED, config.settings.feedSize);
    store.readMs.push(performance.now() - t);
  }
  if (newest.length !== 50) throw new Error(`bench/render: ${FEED} has ${newest.length} articles, not 50, in the ${store.size} store`);
  const meta = feedMeta(entry, config.settings.publicUrl, newest, new Date(store.clock), 'Wirefeed bench', config.topics);
  const renderers = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };
  for (let i = 0; i < RENDERS_PER_ROUND; i++) {
    for (const format of ['rss', 'atom', 'json'] as const) {
      const t = performance.now();
      renderers[format](meta, newest);
      store.render[format].push(performance.now() - t);
    }
  }
  const context = entryContext(meta);
  const entries = Object.fromEntries(FEED_FORMATS.map((format) => [format, newest.map((a) => renderEntry(format, a, context))]));
  const fingerprint = renderFingerprint('Wirefeed bench', context);
  const wanted = newest.map((a) => ({ id: a.id, rev: entryRevision(a, fingerprint) }));
  const slots = FEED_FORMATS.map((format) => entrySlot(format, context));
  await store.feeds.entries.write(FEED_FORMATS.flatMap((format, j) => newest.map((a, i) => ({ ...wanted[i]!, slot: slots[j]!, entry: entries[format]![i]! }))));
  for (let i = 0; i < RENDERS_PER_ROUND; i++) {
    const t = performance.now();
    const read = await store.feeds.entries.read(wanted, slots);
    store.entryReadMs.push(performance.now() - t);
    if (read.some((row) => row.some((e) => e === undefined))) throw new Error('bench/render: an entry just stored was not read back');
    for (const format of FEED_FORMATS) {
      const t = performance.now();
      renderDocument(format, meta, entries[format]!);
      store.join[format].push(performance.now() - t);
    }
  }
}

async function publishRound(store: Store): Promise<void> {
  for (let i = 0; i < PUBLISHES_PER_ROUND; i++) {
    // A new economy story makes the feed change (not timed), as an ingest would.
    store.clock += 1000;
    await store.articles.upsertBatch([syntheticArticle(store.next++, store.clock, FEED)], store.clock);
    const t = performance.now();
    const result = (await store.publish({ name: JOB.publish, data: { feed: FEED } } as Job<PublishJobData>)) as { written?: number };
    store.publishMs.push(performance.now() - t);
    if (result.written !== 3) throw new Error(`bench/render: the publish job wrote ${result.written} formats, not 3: the feed did not change`);
  }
}

/**
 * A store filled without publishing has its whole feed to number and cut into RFC 5005 archive
 * pages (ARCHIVE_PAGES_PER_JOB per job): publish jobs until one renders no archive page, twice in
 * a row, so that what is measured after is the steady cost of one changed feed.
 */
async function catchUpArchive(store: Store): Promise<{ jobs: number; pages: number; seconds: number }> {
  step = `catching up the archive of ${FEED} in the ${store.size} store`;
  const start = performance.now();
  let jobs = 0;
  let pages = 0;
  let idle = 0;
  while (idle < 2) {
    if (performance.now() - start > 900_000) throw new Error(`bench/render: gave up after 900 s waiting for the ${FEED} archive of the ${store.size} store to catch up (${jobs} jobs, ${pages} pages)`);
    const r = (await store.publish({ name: JOB.publish, data: { feed: FEED } } as Job<PublishJobData>)) as { archived?: number };
    jobs++;
    pages += r.archived ?? 0;
    idle = r.archived ? 0 : idle + 1;
  }
  return { jobs, pages, seconds: (performance.now() - start) / 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The commit measured, and whether the store, render and worker code differed from it. */
function gitState(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  // Not trimmed: a porcelain line starts with its two status columns, the first often a space.
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'workers'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  return `${git('rev-parse', '--short', 'HEAD')}${dirty.length ? ` with uncommitted changes in ${dirty.map((l) => l.slice(3)).join(', ')}` : ''}`;
}

// ───────────────────────────── the run ─────────────────────────────

const configDir = tempDir(mkdtempSync(join(tmpdir(), 'wf-bench-render-config-')));
writeFileSync(join(configDir, 'sources.yaml'), 'sources: []\n');
writeFileSync(join(configDir, 'topics.yaml'), readFileSync(join(ROOT, 'config/topics.yaml'), 'utf8'));
const config = loadConfig(configDir, { REDIS_URL: 'unix:///nonexistent', LOG_LEVEL: 'warn' });
const entry = feedCatalog(config).find((f) => f.id === FEED);
if (!entry) throw new Error(`bench/render: no ${FEED} feed in config/topics.yaml`);
const loadBefore = loadavg();
const sample = JSON.stringify(syntheticArticle(3, NOW)).length;

const stores: Store[] = [];
const catchUps: Awaited<ReturnType<typeof catchUpArchive>>[] = [];
for (const size of STORES) {
  const store = await makeStore(size, config);
  stores.push(store);
  catchUps.push(await catchUpArchive(store));
}

step = 'measuring';
// Warm-up (JIT) on every store, then rounds alternating between the stores.
for (const s of stores) {
  await renderRound(s, entry, config);
  await publishRound(s);
  s.render = { rss: [], atom: [], json: [] };
  s.join = { rss: [], atom: [], json: [] };
  s.publishMs = [];
  s.readMs = [];
  s.entryReadMs = [];
}
for (let round = 0; round < ROUNDS; round++) {
  for (const s of round % 2 ? [...stores].reverse() : stores) {
    await renderRound(s, entry, config);
    await publishRound(s);
  }
}
const loadAfter = loadavg();

const cpu = cpus();
const [small, ...large] = stores;
console.log(
  `bench/render: the ${FEED} feed (50 newest of ${STORES.map((n) => `${n / TOPICS.length} in a store of ${n}`).join(', ')}); ` +
    `synthetic records of ~${sample} B JSON; ${ROUNDS} rounds × (${RENDERS_PER_ROUND} renders per format + ${PUBLISHES_PER_ROUND} publish jobs) per store, alternating`,
);
console.log(`machine: ${cpu.length} × ${cpu[0]?.model.trim()}, Node ${process.version}; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
console.log(`stores: ${stores.map((s) => `${s.size} articles filled in ${s.fillSeconds.toFixed(0)} s (${(s.size / s.fillSeconds).toFixed(0)} articles/s), Redis used_memory ${s.memory}`).join('; ')}`);
console.log(`archive catch-up before measuring (pages cut from a store filled without publishing): ${stores.map((s, i) => `${s.size}: ${catchUps[i]!.pages} pages in ${catchUps[i]!.jobs} publish jobs, ${catchUps[i]!.seconds.toFixed(0)} s`).join('; ')}`);
console.log(`tree: ${gitState()}`);
console.log('');
console.log(`| median, ms | ${stores.map((s) => `${s.size.toLocaleString('en')} stored`).join(' | ')} | ${large.map((s) => `ratio ${s.size.toLocaleString('en')} / ${small!.size.toLocaleString('en')}`).join(' | ')} (target 0.8–1.2) |`);
console.log(`|---|${stores.map(() => '---|').join('')}${large.map(() => '---|').join('')}`);
const row = (name: string, pick: (s: Store) => number[]) => {
  const m = stores.map((s) => median(pick(s)));
  console.log(`| ${name} | ${m.map((x) => x.toFixed(2)).join(' | ')} | ${m.slice(1).map((x) => (x / m[0]!).toFixed(2)).join(' | ')} |`);
};
row('read the 50 newest (ArticleStore.newest: ZREVRANGE + MGET)', (s) => s.readMs);
row('render RSS, 50 items, every entry', (s) => s.render.rss);
row('render Atom, 50 items, every entry', (s) => s.render.atom);
row('render JSON Feed, 50 items, every entry', (s) => s.render.json);
row('read the 50 stored entries of 3 formats (EntryStore.read)', (s) => s.entryReadMs);
row('join RSS: head + 50 stored entries', (s) => s.join.rss);
row('join Atom: head + 50 stored entries', (s) => s.join.atom);
row('join JSON Feed: head + 50 stored entries', (s) => s.join.json);
row('publish one changed feed (archive numbering + newest + stored entries, 1 new rendered + 3 joins + 3 puts with gzip and brotli)', (s) => s.publishMs);
for (const s of stores) s.client.disconnect();
process.exit(0);
