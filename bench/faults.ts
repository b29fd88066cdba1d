/**
 * bench/faults — the fault probe's scenarios against real processes: a `wirefeed start` child
 * process, a redis-server with AOF on a unix socket, a local HTTP origin on 127.0.0.1; each
 * scenario on its own Redis and directory.
 *
 *   npm run bench:faults              every scenario
 *   npm run bench:faults -- 1 4       scenarios 1 and 4 only
 *
 * Environment: ITEMS (5000), BIG_ITEMS (20000, scenario 5), DIR_ITEMS_PER_FILE (5: 1,000 files),
 * BENCH_SETTLE_S (90: how long a scenario may take to settle after the restart),
 * BENCH_KEEP=1 (keep the temp dirs: configs, logs, Redis data).
 *
 * Prints one table (dropped / lost / duplicated, counted in the Redis store; recovery time), the
 * definitions, /readyz latency during the outage and peak memory for one big document. A figure,
 * not a test: it asserts no time. A wait that does not see what it waits for stops with what it
 * waited for, and the run exits non-zero.
 */
import { availableParallelism, cpus, totalmem, tmpdir } from 'node:os';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { keys, sourceFeedId } from '../src/store/keys.ts';
import { startOrigin, type Origin } from '../tests/helpers/origin-server.ts';
import { checkStore, expectedIds, feedRepeats, makeItem, rssDocument, type GenItem, type StoreCheck } from './faults-data.ts';
import {
  GaveUp,
  ROOT,
  cleanUp,
  freePort,
  keepTempDirs,
  logShape,
  memoryOf,
  sleep,
  spawnWirefeed,
  startBenchRedis,
  tempDir,
  timedGet,
  waitReady,
  waitUntil,
  within,
  type BenchRedis,
  type WirefeedProcess,
} from './faults-procs.ts';

const TOTAL = Number(process.env.ITEMS ?? 5000);
const BIG = Number(process.env.BIG_ITEMS ?? 20_000);
const PER_FILE = Number(process.env.DIR_ITEMS_PER_FILE ?? 5);
const FEEDS = 50;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_S ?? 90) * 1000;
/** The kill / outage comes once this share of the items is stored. */
const KILL_AT = 0.3;
/** Nothing stored for this long and no work left queued: the scenario has settled (short). */
const QUIET_MS = 8000;
const OUTAGE_MS = 30_000;
const NOW = Date.now();
const RUN_START = performance.now();
const root = tempDir(mkdtempSync(join(tmpdir(), 'wf-faults-')));

interface Row {
  scenario: string;
  items: number;
  dropped: number | null;
  lost: number | null;
  duplicated: number | null;
  /** Seconds from the process (or Redis) back until every item is stored: the backlog drained. */
  recovery: string;
  /** Seconds from the process (or Redis) back until the store grew again: the service recovered. */
  resumed?: number | null;
  notes: string[];
  /** Longest pause in storing after the fault, seconds. */
  pause?: number;
}

const extraLines: string[] = [];
let gaveUpAny = false;

const s = (seconds: number) => `${seconds.toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

// ───────────────────────────── one scenario's world ─────────────────────────────

interface World {
  name: string;
  dir: string;
  redis: BenchRedis;
  client: Redis;
  prefix: string;
  ingest: Queue;
  logFile: string;
  wf: WirefeedProcess | null;
  start(): Promise<{ ready: number }>;
  close(): Promise<void>;
}

async function makeWorld(name: string, sourcesYaml: string, env: Record<string, string> = {}): Promise<World> {
  const dir = join(root, name);
  mkdirSync(join(dir, 'config'), { recursive: true });
  mkdirSync(join(dir, 'redis'), { recursive: true });
  writeFileSync(join(dir, 'config', 'sources.yaml'), sourcesYaml);
  copyFileSync(join(ROOT, 'config/topics.yaml'), join(dir, 'config', 'topics.yaml'));
  const redis = await startBenchRedis(join(dir, 'redis'));
  const client = redis.client();
  const prefix = 'bf';
  const ingest = new Queue('ingest', { connection: client, prefix: keys(prefix).queuePrefix });
  // The bench's own view of the queue loses Redis in scenarios 3 and 4 too: quiet, it reconnects.
  ingest.on('error', () => undefined);
  const logFile = join(dir, 'wirefeed.log');
  const port = await freePort();
  const fullEnv = { REDIS_URL: redis.url, REDIS_PREFIX: prefix, PUBLISH_WINDOW: '1s', LOG_LEVEL: 'info', RETENTION: '30d', ...env };
  const world: World = {
    name,
    dir,
    redis,
    client,
    prefix,
    ingest,
    logFile,
    wf: null,
    async start() {
      world.wf = spawnWirefeed(join(dir, 'config'), fullEnv, port, logFile);
      return { ready: await waitReady(world.wf, 30_000) };
    },
    async close() {
      await world.wf?.stop().catch(() => undefined);
      await ingest.close().catch(() => undefined);
      await redis.stop();
    },
  };
  return world;
}

/** Articles in the store (one meta field per stored article); null when Redis does not answer. */
async function storedCount(w: World): Promise<number | null> {
  return within(2000, 'HLEN meta', w.client.hlen(keys(w.prefix).meta)).catch(() => null);
}

/** Ingest jobs that failed for good, and the first reason given. */
async function failedNote(w: World): Promise<string> {
  const failed = await within(3000, 'failed ingest jobs', w.ingest.getFailed(0, 199)).catch(() => null);
  if (failed === null) return 'failed ingest jobs: no answer';
  if (failed.length === 0) return '';
  return `${failed.length} ingest job${failed.length > 1 ? 's' : ''} failed (${failed[0]!.id}: ${failed[0]!.failedReason.slice(0, 120)})`;
}

async function ingestBacklog(w: World): Promise<number> {
  const c = await within(3000, 'ingest job counts', w.ingest.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'));
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/** Throws when the wirefeed process of `w` has exited on its own. */
function assertAlive(w: World): void {
  const code = w.wf?.exitCode();
  if (code !== undefined && code !== null) throw new Error(`wirefeed (pid ${w.wf!.pid}) exited by itself (${code}); see ${w.logFile}`);
}

/**
 * Waits until `share` of `total` items are stored (and `extra` holds, when given); gives up after
 * 150 s, or after 45 s without any item stored.
 */
async function waitStored(w: World, total: number, share: number, extra?: () => boolean, extraWhat = ''): Promise<number> {
  let n: number | null = 0;
  let last = 0;
  let lastChange = performance.now();
  await waitUntil(
    `${Math.ceil(total * share)} of ${total} items stored${extraWhat ? ` ${extraWhat}` : ''}`,
    150_000,
    async () => {
      assertAlive(w);
      n = await storedCount(w);
      if (n !== null && n !== last) [last, lastChange] = [n, performance.now()];
      if (performance.now() - lastChange > 45_000) throw new GaveUp(`the store to grow (${extraWhat || 'ingest'})`, (performance.now() - lastChange) / 1000, `${last} stored, nothing new`);
      return n !== null && n >= total * share && n < total && (extra?.() ?? true);
    },
    () => `${n} stored`,
    25,
  );
  return n ?? 0;
}

interface Settled {
  complete: boolean;
  /** From `backAt` until every item was stored. */
  seconds: number | null;
  /** From `backAt` until the store grew again. */
  resumed: number | null;
  /** From `backAt` until the last change to the store. */
  lastStored: number;
  /** The longest time the store did not grow, from `backAt` until the end. */
  longestPause: number;
  gaveUp: string | null;
}

/**
 * After the process or Redis is back (`backAt`, a performance.now()): waits until every item is
 * stored, or until nothing more is stored for QUIET_MS with no work left (`pending` false), or
 * gives up after SETTLE_MS.
 */
async function settle(w: World, total: number, backAt: number, before: number, pending: () => Promise<boolean>): Promise<Settled> {
  let last = before;
  let lastChange = performance.now();
  let resumed: number | null = null;
  let stillPending = true;
  let longestPause = 0;
  let growth = backAt;
  try {
    await waitUntil(
      `all ${total} items stored, or the store to stop growing with no work queued`,
      SETTLE_MS,
      async () => {
        assertAlive(w);
        const n = await storedCount(w);
        if (n === null) return false;
        if (n !== last) {
          if (n > last && resumed === null) resumed = (performance.now() - backAt) / 1000;
          if (n > last) {
            longestPause = Math.max(longestPause, (performance.now() - growth) / 1000);
            growth = performance.now();
          }
          last = n;
          lastChange = performance.now();
        }
        if (n >= total) return true;
        if (performance.now() - lastChange < QUIET_MS) return false;
        stillPending = await pending().catch(() => true);
        return !stillPending;
      },
      async () => `${last} of ${total} stored, ${((performance.now() - lastChange) / 1000).toFixed(0)} s since the last change, ${stillPending ? `work still queued (ingest backlog ${await ingestBacklog(w).catch(() => '?')})` : 'nothing queued'}`,
      100,
    );
  } catch (err) {
    if (!(err instanceof GaveUp)) throw err;
    return { complete: false, seconds: null, resumed, lastStored: (lastChange - backAt) / 1000, longestPause, gaveUp: err.message };
  }
  const complete = last >= total;
  const lastStored = (lastChange - backAt) / 1000;
  return { complete, seconds: complete ? (performance.now() - backAt) / 1000 : null, resumed, lastStored, longestPause, gaveUp: null };
}

/**
 * How much of the recovery is the backlog itself: the rest of the items at the pace before the
 * fault (start included, so a generous estimate), beside the longest pause in storing after it.
 */
function pace(st: Settled, storedBefore: number, secondsBefore: number, total: number): string {
  const rate = storedBefore / secondsBefore;
  return `the other ${total - storedBefore} at the pre-fault pace (${rate.toFixed(0)}/s): ~${s((total - storedBefore) / rate)}; longest pause in storing after the fault ${s(st.longestPause)}`;
}

function recoveryCell(st: Settled, check: StoreCheck, total: number): string {
  if (st.complete && check.missing.size === 0) return st.seconds!.toFixed(1);
  return `— (short by ${total - check.stored}; last stored ${st.lastStored.toFixed(1)} s after)`;
}

async function feedCheck(w: World): Promise<string> {
  if (!w.wf) return '';
  // The last coalesced publish comes within a window or two of the last store.
  await sleep(2500);
  const r = await timedGet(`${w.wf.url}/feeds/all.json`, 5000);
  if (r.status !== 200) return `/feeds/all.json answered ${r.status || 'nothing within 5 s'}`;
  const f = feedRepeats(r.body);
  return f ? `/feeds/all.json: ${f.items} items, ${f.repeats} repeated` : '/feeds/all.json: not JSON';
}

function logNote(w: World): string {
  const l = logShape(w.logFile);
  return `log: ${l.lines} lines, ${l.notJson} not JSON`;
}

function storeNotes(check: StoreCheck): string[] {
  return check.notInAll > 0 ? [`${check.notInAll} stored but not in \`all\` (held or folded as near-duplicates)`] : [];
}

// ───────────────────────────── feed sources (scenarios 2–4) ─────────────────────────────

interface FeedSetup {
  origin: Origin;
  sourcesYaml: string;
  /** Paths of the feeds on the origin. */
  paths: string[];
  /** Paths of the feeds whose source index holds fewer items than the feed. */
  shortFeeds(w: World): Promise<string[]>;
  guids: string[];
  /** guid → its feed's path on the origin. */
  pathOf: Map<string, string>;
  sourceOf: (guid: string) => string;
}

async function feedSetup(tag: string): Promise<FeedSetup> {
  const origin = await startOrigin();
  const perFeed = Math.ceil(TOTAL / FEEDS);
  const guids: string[] = [];
  const pathOf = new Map<string, string>();
  const sourceOfGuid = new Map<string, string>();
  const yaml: string[] = ['sources:'];
  for (let f = 0; f < FEEDS; f++) {
    const items: GenItem[] = [];
    for (let i = 0; i < perFeed && f * perFeed + i < TOTAL; i++) items.push(makeItem(tag, f * perFeed + i, NOW));
    const path = `/feed/${f}.xml`;
    origin.set(path, { body: rssDocument(`Faults ${tag} ${f}`, items), contentType: 'application/rss+xml; charset=utf-8', etag: `"${tag}-${f}"`, encoding: 'gzip' });
    const id = `${tag}-feed-${f}`;
    yaml.push(`  - id: ${id}`, '    type: feed', `    url: ${origin.url(path)}`, '    every: 10s');
    for (const it of items) {
      guids.push(it.guid);
      pathOf.set(it.guid, path);
      sourceOfGuid.set(it.guid, id);
    }
  }
  const feeds = [...new Set(pathOf.values())].map((path, f) => ({ path, id: `${tag}-feed-${f}`, items: [...pathOf.values()].filter((p) => p === path).length }));
  const shortFeeds = async (w: World) => {
    const k = keys(w.prefix);
    const pipe = w.client.pipeline();
    for (const f of feeds) pipe.zcard(k.index(sourceFeedId(f.id)));
    const counts = (await within(3000, 'source index sizes', pipe.exec())) ?? [];
    return feeds.filter((f, i) => Number(counts[i]?.[1] ?? 0) < f.items).map((f) => f.path);
  };
  return { origin, sourcesYaml: `${yaml.join('\n')}\n`, paths: feeds.map((f) => f.path), shortFeeds, guids, pathOf, sourceOf: (g) => sourceOfGuid.get(g)! };
}

/** Dropped: items of feeds the origin never served (200); lost: the other missing items. */
function feedLosses(fs: FeedSetup, check: StoreCheck): { dropped: number; lost: number } {
  let dropped = 0;
  for (const g of check.missing) if (!fs.origin.stats(fs.pathOf.get(g)!).statuses.includes(200)) dropped++;
  return { dropped, lost: check.missing.size - dropped };
}

// ───────────────────────────── scenarios ─────────────────────────────

/** 1. kill -9 of wirefeed during directory ingest, restart. */
async function directoryKill(): Promise<Row> {
  const tag = 'dir';
  const files = Math.ceil(TOTAL / PER_FILE);
  const inbox = join(root, 's1-inbox');
  mkdirSync(inbox, { recursive: true });
  const guids: string[] = [];
  const itemsOfFile = new Map<string, string[]>();
  const settled = (NOW - 10_000) / 1000;
  for (let f = 0; f < files; f++) {
    const items: GenItem[] = [];
    for (let i = 0; i < PER_FILE && f * PER_FILE + i < TOTAL; i++) items.push(makeItem(tag, f * PER_FILE + i, NOW));
    const name = `faults-${String(f).padStart(5, '0')}.xml`;
    writeFileSync(join(inbox, name), rssDocument(`Faults dir ${f}`, items));
    // Written "10 s ago": settled, claimable at the first scan.
    utimesSync(join(inbox, name), settled, settled);
    itemsOfFile.set(name, items.map((i) => i.guid));
    guids.push(...items.map((i) => i.guid));
  }
  const sourceId = 'faults-dir';
  const w = await makeWorld('s1', `sources:\n  - id: ${sourceId}\n    type: directory\n    path: ${inbox}\n    every: 500\n`);
  const row: Row = { scenario: `1. kill -9 wirefeed, directory (${files} files × ${PER_FILE} item${PER_FILE > 1 ? 's' : ''})`, items: guids.length, dropped: null, lost: null, duplicated: null, recovery: '—', notes: [] };
  try {
    /** Every file of ours, by where it is now (recursively, whatever the claim layout). */
    const where = () => {
      const found = { root: [] as string[], processing: [] as string[], failed: [] as string[], done: [] as string[] };
      const walk = (dir: string, place: keyof typeof found | null) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          if (e.isDirectory()) {
            walk(join(dir, e.name), place ?? (e.name === 'done' ? 'done' : e.name === 'failed' ? 'failed' : 'processing'));
            continue;
          }
          const m = /(faults-\d{5}\.xml)$/.exec(e.name);
          if (m) found[place ?? 'root'].push(m[1]!);
        }
      };
      walk(inbox, null);
      return found;
    };
    /** Files under .processing (recursively), cheap enough to look at every few milliseconds. */
    const processingCount = () => {
      let n = 0;
      const walk = (dir: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          if (e.isDirectory()) walk(join(dir, e.name));
          else n++;
        }
      };
      try {
        walk(join(inbox, '.processing'));
      } catch {
        // Not there yet: nothing claimed.
      }
      return n;
    };
    const began = performance.now();
    await w.start();
    const atKill = await waitStored(w, guids.length, KILL_AT, () => processingCount() > 0, 'with files in .processing');
    const toKill = (performance.now() - began) / 1000;
    const inProcessing = processingCount();
    await w.wf!.kill9();
    const { ready } = await w.start();
    const backAt = performance.now();
    const st = await settle(w, guids.length, backAt, atKill, async () => where().root.length > 0 || (await ingestBacklog(w)) > 0);
    // Files first: a file in done/ had its items stored before it moved, so an item missing from
    // the store checked after is lost, whatever the process does meanwhile.
    const left = where();
    const check = await checkStore(w.client, w.prefix, expectedIds(() => sourceId, guids));
    const leftover = new Set([...left.root, ...left.processing, ...left.failed]);
    let dropped = 0;
    for (const name of leftover) for (const g of itemsOfFile.get(name) ?? []) if (check.missing.has(g)) dropped++;
    row.dropped = dropped;
    row.lost = check.missing.size - dropped;
    row.duplicated = check.duplicated;
    row.recovery = recoveryCell(st, check, guids.length);
    row.resumed = st.resumed;
    row.pause = st.longestPause;
    row.notes.push(
      `killed at ${atKill} stored (${s(toKill)} after the start), ${inProcessing} file${inProcessing === 1 ? '' : 's'} in .processing`,
      `restarted, /readyz 200 in ${s(ready)}${st.resumed !== null ? `, storing again ${s(st.resumed)} after` : ', never stored again'}`,
      pace(st, atKill, toKill, guids.length),
      `left: ${left.root.length} in the folder, ${left.processing.length} in .processing, ${left.failed.length} in failed/, ${left.done.length} in done/`,
      ...storeNotes(check),
      await failedNote(w),
      await feedCheck(w),
      logNote(w),
    );
    if (st.gaveUp) row.notes.push(failure(st.gaveUp));
  } catch (err) {
    row.notes.push(failure(err));
  } finally {
    await w.close();
  }
  return row;
}

/** 2–4: a feed ingest of 50 feeds mistreated by `fault`, which returns when the process or Redis is back. */
async function feedScenario(
  n: 2 | 3 | 4,
  title: string,
  fault: (w: World, notes: string[]) => Promise<{ backAt: number }>,
): Promise<Row> {
  const tag = `f${n}`;
  const fs = await feedSetup(tag);
  const w = await makeWorld(`s${n}`, fs.sourcesYaml);
  const row: Row = { scenario: `${n}. ${title}`, items: fs.guids.length, dropped: null, lost: null, duplicated: null, recovery: '—', notes: [] };
  try {
    const began = performance.now();
    await w.start();
    const atFault = await waitStored(w, fs.guids.length, KILL_AT);
    const toFault = (performance.now() - began) / 1000;
    row.notes.push(`fault at ${atFault} stored (${s(toFault)} after the start)`);
    const { backAt } = await fault(w, row.notes);
    // Work is still to come while an ingest job is queued, or while a feed with items missing from
    // the store has not been answered again since the process (or Redis) came back, or was
    // answered less than QUIET_MS ago (its document may not be queued yet).
    const answersAtBack = new Map(fs.paths.map((p) => [p, fs.origin.stats(p).statuses.length]));
    const answeredAt = new Map<string, number>();
    const unpolled = async () => {
      const short = await fs.shortFeeds(w);
      const now = performance.now();
      return short.filter((p) => {
        if (fs.origin.stats(p).statuses.length > answersAtBack.get(p)! && !answeredAt.has(p)) answeredAt.set(p, now);
        return now - (answeredAt.get(p) ?? now) < QUIET_MS;
      });
    };
    const st = await settle(w, fs.guids.length, backAt, atFault, async () => (await ingestBacklog(w)) > 0 || (await unpolled()).length > 0);
    const check = await checkStore(w.client, w.prefix, expectedIds(fs.sourceOf, fs.guids));
    const { dropped, lost } = feedLosses(fs, check);
    row.dropped = dropped;
    row.lost = lost;
    row.duplicated = check.duplicated;
    row.recovery = recoveryCell(st, check, fs.guids.length);
    row.resumed = st.resumed;
    row.pause = st.longestPause;
    if (st.resumed !== null) row.notes.push(`storing again ${s(st.resumed)} after`);
    else row.notes.push('never stored again');
    row.notes.push(pace(st, atFault, toFault, fs.guids.length));
    // Where the lost items' feeds stand on the origin: what it answered, in order.
    const lostFeeds = [...new Set([...check.missing].map((g) => fs.pathOf.get(g)!))].slice(0, 5);
    if (lostFeeds.length) row.notes.push(`short feeds: ${lostFeeds.map((p) => `${p} answered ${fs.origin.stats(p).statuses.join(',') || 'nothing'}`).join(', ')}`);
    row.notes.push(...storeNotes(check), await failedNote(w), await feedCheck(w), logNote(w));
    if (st.gaveUp) row.notes.push(failure(st.gaveUp));
  } catch (err) {
    row.notes.push(failure(err));
  } finally {
    await w.close();
    await fs.origin.close();
  }
  return row;
}

/** 2. kill -9 of wirefeed during feed ingest, restart. */
const feedKill = () =>
  feedScenario(2, `kill -9 wirefeed, feeds (${FEEDS} feeds × ${TOTAL / FEEDS} items)`, async (w, notes) => {
    await w.wf!.kill9();
    const { ready } = await w.start();
    notes.push(`restarted, /readyz 200 in ${s(ready)}`);
    return { backAt: performance.now() };
  });

/** Seconds until /readyz of the running process answers 200 again, measured from now. */
async function readyAgain(w: World): Promise<number> {
  return waitReady(w.wf!, 30_000);
}

/** 3. kill -9 of redis-server mid-ingest (AOF on), restarted on the same socket and data dir. */
const redisKill = () =>
  feedScenario(3, 'kill -9 redis-server (AOF everysec), feeds', async (w, notes) => {
    const before = await storedCount(w);
    await w.redis.kill9();
    await w.redis.restart();
    const backAt = performance.now();
    const after = await storedCount(w);
    const ready = await readyAgain(w);
    notes.push(`${before} stored read just before the kill, ${after} after the AOF reload`, `Redis back; wirefeed /readyz 200 ${s(ready)} after`);
    return { backAt };
  });

/** 4. a 30 s Redis outage (shutdown, then a restart on the same socket and data dir). */
const redisOutage = () =>
  feedScenario(4, `Redis down ${OUTAGE_MS / 1000} s (SHUTDOWN + restart), feeds`, async (w, notes) => {
    const wf = w.wf!;
    // A reader had the feed before the outage: what the service serves of it while Redis is down.
    const warm = await timedGet(`${wf.url}/feeds/all.json`, 5000);
    const downAt = performance.now();
    await w.redis.shutdown();
    // A probe every 3 s while Redis is down; each may take as long as the outage plus 10 s.
    const probes: Array<Promise<{ status: number; seconds: number }>> = [];
    const feedProbes: Array<Promise<{ status: number; seconds: number }>> = [];
    for (let t = 1000; t < OUTAGE_MS - 1000; t += 3000) {
      await sleep(Math.max(0, downAt + t - performance.now()));
      probes.push(timedGet(`${wf.url}/readyz`, OUTAGE_MS + 10_000));
      if (feedProbes.length < 3) feedProbes.push(timedGet(`${wf.url}/feeds/all.json`, OUTAGE_MS + 10_000));
    }
    await sleep(Math.max(0, downAt + OUTAGE_MS - performance.now()));
    await w.redis.restart();
    const backAt = performance.now();
    const ready = await readyAgain(w);
    const r = await Promise.all(probes);
    const f = await Promise.all(feedProbes);
    const lat = r.map((p) => p.seconds).sort((a, b) => a - b);
    const statuses = (xs: Array<{ status: number }>) => [...new Set(xs.map((p) => (p.status === 0 ? 'timeout' : String(p.status))))].join('/');
    const readyzLine = `/readyz during the outage: ${r.length} probes, p50 ${s(lat[Math.floor(lat.length / 2)]!)}, max ${s(lat[lat.length - 1]!)}, answers ${statuses(r)}`;
    const fl = f.map((p) => p.seconds);
    const feedLine = `/feeds/all.json during the outage (answered ${warm.status || 'nothing'} just before it): ${f.length} probes, max ${s(Math.max(...fl))}, answers ${statuses(f)}`;
    extraLines.push(`${readyzLine} (target: 503 within 1 s)`, feedLine);
    notes.push(readyzLine, `Redis back; wirefeed /readyz 200 ${s(ready)} after`);
    return { backAt };
  });

/** 5. one document of BIG items pushed: peak memory and time to be stored. */
async function bigDocument(): Promise<Row> {
  const tag = 'big';
  const sourceId = 'faults-push';
  const token = `tok-${process.pid}-${NOW}`;
  const w = await makeWorld('s5', `sources:\n  - id: ${sourceId}\n    type: push\n    tokenEnv: FAULTS_PUSH_TOKEN\n    maxBytes: 64MB\n`, { FAULTS_PUSH_TOKEN: token, FETCH_MAX_BYTES: '64MB' });
  const items = Array.from({ length: BIG }, (_, i) => makeItem(tag, i, NOW));
  const doc = rssDocument('Faults big', items);
  const row: Row = { scenario: `5. one pushed document of ${BIG} items`, items: BIG, dropped: null, lost: null, duplicated: null, recovery: 'n/a', notes: [] };
  try {
    await w.start();
    const wf = w.wf!;
    const base = memoryOf(wf.pid);
    let peakRss = base.rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, memoryOf(wf.pid).rss)), 100);
    let healthMax = 0;
    let healthFail = 0;
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const h = await timedGet(`${wf.url}/healthz`, 30_000);
        healthMax = Math.max(healthMax, h.seconds);
        if (h.status !== 200) healthFail++;
        await sleep(1000);
      }
    })();
    const start = performance.now();
    let status = 0;
    let answer = '';
    try {
      const res = await fetch(`${wf.url}/ingest/${sourceId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/rss+xml; charset=utf-8' },
        body: doc,
        signal: AbortSignal.timeout(120_000),
      });
      status = res.status;
      answer = (await res.text()).slice(0, 200);
    } catch (err) {
      answer = err instanceof Error ? err.message : String(err);
    }
    const answered = (performance.now() - start) / 1000;
    let gaveUp: string | null = null;
    let storedIn: number | null = null;
    if (status === 202) {
      let n: number | null = 0;
      try {
        await waitUntil(`${BIG} items of the pushed document stored`, SETTLE_MS + 60_000, async () => (n = await storedCount(w)) !== null && n >= BIG, () => `${n} stored`, 100);
        storedIn = (performance.now() - start) / 1000;
      } catch (err) {
        if (!(err instanceof GaveUp)) throw err;
        gaveUp = err.message;
      }
    }
    probing = false;
    await prober;
    clearInterval(sampler);
    const mem = memoryOf(wf.pid);
    const peak = Math.max(mem.hwm, peakRss);
    const check = await checkStore(w.client, w.prefix, expectedIds(() => sourceId, items.map((i) => i.guid)));
    row.dropped = status === 202 ? 0 : check.missing.size;
    row.lost = status === 202 ? check.missing.size : 0;
    row.duplicated = check.duplicated;
    const memLine = `peak RSS of the wirefeed process for one ${BIG}-item document (${mb(Buffer.byteLength(doc))}): ${mb(peak)} (VmHWM; ${mb(base.rss)} before the push)`;
    const timeLine = storedIn !== null ? `stored ${s(storedIn)} after the push began` : status === 202 ? 'not all stored' : 'not accepted';
    extraLines.push(`${memLine}; ${timeLine}`);
    row.notes.push(
      `push answered ${status || 'nothing'} in ${s(answered)}${status === 202 ? '' : `: ${answer}`}`,
      timeLine,
      `peak RSS ${mb(peak)} (${mb(base.rss)} before)`,
      `/healthz max ${s(healthMax)}${healthFail ? `, ${healthFail} not 200` : ''}`,
      ...storeNotes(check),
      await failedNote(w),
      logNote(w),
    );
    if (gaveUp) row.notes.push(failure(gaveUp));
  } catch (err) {
    row.notes.push(failure(err));
  } finally {
    await w.close();
  }
  return row;
}

/** A wait that gave up (its message) or an error: printed at once, in the notes, and the run exits non-zero. */
function failure(err: unknown): string {
  gaveUpAny = true;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`bench/faults: ${message}\n`);
  return `**${err instanceof Error && !(err instanceof GaveUp) ? 'error: ' : ''}${message}**`;
}

// ───────────────────────────── run ─────────────────────────────

const SCENARIOS: Record<string, () => Promise<Row>> = { 1: directoryKill, 2: feedKill, 3: redisKill, 4: redisOutage, 5: bigDocument };
const chosen = process.argv.slice(2).filter((a) => a in SCENARIOS);
const run = chosen.length ? chosen : Object.keys(SCENARIOS);

const redisVersion = /v=([\d.]+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? '?';
console.log(
  `bench/faults: Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? '?'}), ${mb(totalmem())} RAM, redis-server ${redisVersion}; ` +
    `${TOTAL} items per scenario, ${BIG} in the big document; scenarios ${run.join(', ')}`,
);

const rows: Row[] = [];
for (const key of run) {
  const t = performance.now();
  process.stderr.write(`bench/faults: scenario ${key}…\n`);
  let row: Row;
  try {
    row = await SCENARIOS[key]!();
  } catch (err) {
    row = { scenario: `${key}.`, items: 0, dropped: null, lost: null, duplicated: null, recovery: '—', notes: [failure(err)] };
  }
  row.notes.push(`scenario took ${s((performance.now() - t) / 1000)}`);
  rows.push(row);
  process.stderr.write(`bench/faults: scenario ${key} done in ${s((performance.now() - t) / 1000)}\n`);
}

const cell = (v: number | null) => (v === null ? '—' : String(v));
console.log('');
console.log('| scenario | items | dropped | lost | duplicated | resumed s | drained s | notes |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const resumed = r.resumed === undefined ? 'n/a' : r.resumed === null ? '—' : r.resumed.toFixed(1);
  console.log(`| ${r.scenario} | ${r.items} | ${cell(r.dropped)} | ${cell(r.lost)} | ${cell(r.duplicated)} | ${resumed} | ${r.recovery} | ${r.notes.filter(Boolean).join('; ')} |`);
}
console.log('');
for (const l of extraLines) console.log(l);
if (extraLines.length) console.log('');
console.log(
  [
    'Definitions. dropped: items the service refused or never took — files left in the folder, in .processing or in failed/ at the end, feeds the origin never served, a push not answered 202 — and absent from the store.',
    'lost: items accepted (file claimed, feed served by the origin, push answered 202) but absent from the Redis store at the end (no article record under the id derived from source id + guid).',
    'duplicated: members of the `all` index that are not a generated item, plus store records beyond the first sharing a guid or a headline (counted in Redis; /feeds/all.json repeats in the notes).',
    `resumed s (the recovery the target is about): from the restarted process answering /readyz 200 (scenarios 1, 2) or Redis answering PING again (3, 4) until the store first grew again. drained s: from the same moment until every item is in the store, so it grows with the backlog left at the fault; the notes also give what storing the rest takes at the pace before the fault (the backlog alone) and the longest pause in storing after the fault. — when the items never all came (the scenario settled when nothing was stored for ${QUIET_MS / 1000} s with no work queued, or after ${SETTLE_MS / 1000} s).`,
    `The fault comes once ${KILL_AT * 100}% of the items are stored. Redis: AOF on (appendfsync everysec), noeviction, a unix socket; one redis-server per scenario. Targets: 0 lost, 0 duplicated, recovery (resumed) within 10 s.`,
  ].join('\n'),
);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
const pauses = rows.map((r) => r.pause).filter((p): p is number => p !== undefined);
const slow = rows.filter((r) => r.resumed !== undefined && !(r.resumed !== null && r.resumed <= 10)).map((r) => r.scenario.split('.')[0]);
console.log(
  `targets: 0 lost, 0 duplicated in every scenario ${met(rows.every((r) => r.lost === 0 && r.duplicated === 0))}; ` +
    `0 dropped ${met(rows.every((r) => r.dropped === 0))}; storing again within 10 s of the process or Redis being back ${met(slow.length === 0)}${slow.length ? ` (scenario ${slow.join(', ')})` : ''}` +
    `${pauses.length ? ` (longest pause in storing after a fault: ${s(Math.max(...pauses))})` : ''}; ` +
    `whole run ${s((performance.now() - RUN_START) / 1000)}`,
);
if (gaveUpAny) {
  keepTempDirs();
  console.log(`a wait gave up (see the notes); configs, logs and Redis data kept in ${root}`);
}
cleanUp();
process.exit(gaveUpAny ? 1 : 0);
