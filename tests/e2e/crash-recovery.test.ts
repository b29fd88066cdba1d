/**
 * kill -9 of a real `wirefeed start` while dropped files sit in `.processing/`, then a restart:
 * every file ends in done/, none is stranded, and each is one article (no file lost, none
 * ingested into two articles). The restart says in its log which claims it took back.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { keys } from '../../src/store/keys.ts';
import { useTestRedis } from '../helpers/redis-server.ts';
import { waitFor } from '../helpers/service.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/wirefeed.js');
const FILES = 300;
const PREFIX = 'crash';
const { skip, redis } = useTestRedis();

const WORDS = (
  'harbour council budget river festival vaccine election tariff drought orchestra satellite museum ' +
  'railway glacier parliament startup refinery vineyard marathon telescope coalition ferry wildfire ' +
  'copper pension embassy lagoon reactor textile summit bridge mineral cathedral'
).split(' ');

/** A short story unlike every other: its words drawn by a seeded generator. */
function story(i: number): string {
  let seed = (i + 1) * 2_654_435_761;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) % WORDS.length);
  const words = (n: number) => Array.from({ length: n }, () => WORDS[next()]).join(' ');
  return `Dispatch ${i} on the ${words(3)}\n\nReporters counted ${i * 7 + 3} ${words(12)}. Officials said the ${words(10)} would follow.\n`;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

interface Run {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function start(work: string, config: string): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redis.url, REDIS_PREFIX: PREFIX, PORT: '0', LOG_LEVEL: 'info', PUBLISH_WINDOW: '300ms' };
  const child = spawn(process.execPath, [BIN, 'start', '--config', config], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => out, exited };
}

const runs: Run[] = [];
after(() => {
  for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
});

test('kill -9 while files are claimed, then a restart: every file ingested once, none stranded', { skip, timeout: 90_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'wf-crash-'));
  const inbox = join(work, 'inbox');
  mkdirSync(inbox);
  const past = new Date(Date.now() - 60_000);
  for (let i = 0; i < FILES; i++) {
    const p = join(inbox, `story-${String(i).padStart(4, '0')}.txt`);
    writeFileSync(p, story(i));
    utimesSync(p, past, past);
  }
  const config = join(work, 'config');
  mkdirSync(config);
  copyFileSync(join(ROOT, 'config/topics.yaml'), join(config, 'topics.yaml'));
  writeFileSync(join(config, 'sources.yaml'), ['sources:', '  - id: inbox', '    type: directory', '    path: ./inbox', '    every: 500ms', ''].join('\n'));

  const processing = join(inbox, '.processing');
  const first = start(work, config);
  runs.push(first);
  // Killed mid-run, with a third of the files done: a claim being ingested, or queued, or not
  // queued yet (claims are queued one by one, so only a few are in .processing at a time). The
  // check and the kill share one tick.
  const deadline = Date.now() + 30_000;
  while (filesUnder(join(inbox, 'done')).length < FILES / 3 || filesUnder(processing).length === 0) {
    if (Date.now() > deadline || first.child.exitCode !== null) throw new Error(`no file ever in .processing\n${first.output()}`);
    await new Promise((done) => setTimeout(done, 1));
  }
  first.child.kill('SIGKILL');
  await first.exited;

  const stranded = filesUnder(processing).length;
  assert.ok(stranded > 0, 'the kill left claims behind');
  const doneAtKill = filesUnder(join(inbox, 'done')).length;
  assert.ok(doneAtKill < FILES, 'killed before the end');

  const restartedAt = Date.now();
  const second = start(work, config);
  runs.push(second);
  const r = redis.client();
  const k = keys(PREFIX);
  const settled = await waitFor(
    `all ${FILES} files in done/ and as many articles`,
    async () => {
      const done = filesUnder(join(inbox, 'done')).length;
      const articles = await r.hlen(k.meta);
      return done === FILES && articles === FILES && filesUnder(processing).length === 0 ? { done, articles } : undefined;
    },
    60_000,
  ).catch(async (err: Error) => {
    const left = filesUnder(processing);
    const where = { done: filesUnder(join(inbox, 'done')).length, processing: left.length, firstStranded: left.slice(0, 3), articles: await r.hlen(k.meta) };
    throw new Error(`${err.message}: ${JSON.stringify(where)}\n${second.output().slice(-4000)}`);
  });
  assert.deepEqual(settled, { done: FILES, articles: FILES });
  t.diagnostic(`killed with ${stranded} claims in .processing and ${doneAtKill} files done; all settled ${Date.now() - restartedAt} ms after the restart`);
  assert.deepEqual(filesUnder(join(inbox, 'failed')), []);
  assert.deepEqual(readdirSync(inbox).filter((n) => n.endsWith('.txt')), [], 'nothing left unclaimed');
  assert.equal(await r.zcard(k.index('source:inbox')), FILES, "the source's feed carries each file once");

  // The restart named what it took back: every claim the kill left, put back or left to its job.
  const lines = second.output().split('\n').filter(Boolean).map((l) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      return { msg: l };
    }
  });
  const recovery = lines.find((l) => /^source inbox: \d+ file\(s\) claimed by a process that is gone/.test(String(l.msg)));
  assert.ok(recovery, second.output().slice(0, 4000));
  assert.equal(Number(recovery.recovered) + Number(recovery.pending), stranded);
  t.diagnostic(`the restart put back ${String(recovery.recovered)} and left ${String(recovery.pending)} to their pending jobs`);
  assert.equal((recovery.owners as string[]).length, 1);
  const started = lines.findIndex((l) => l.msg === 'wirefeed started');
  assert.ok(lines.indexOf(recovery) < started, 'at start, before any scan');
  assert.deepEqual(lines.filter((l) => typeof l.level === 'number' && l.level >= 50), [], 'no error logged');

  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});
