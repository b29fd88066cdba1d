import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClaimOwner, formatOwnerId, localHost } from '../../src/fetch/claim-owner.ts';
import { claimFiles, readClaimed, recoverClaims, releaseClaim, settleFile, type RecoveryOptions } from '../../src/fetch/directory-source.ts';
import { ArticleStore } from '../../src/store/article-store.ts';
import { keys } from '../../src/store/keys.ts';
import { useTestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor } from '../helpers/service.ts';

const { skip, redis } = useTestRedis();
const OWNER = 'host-a~100~1700000000000';

function drop(dir: string, name: string, text: string, ageMs: number, now: number): void {
  writeFileSync(join(dir, name), text);
  const t = new Date(now - ageMs);
  utimesSync(join(dir, name), t, t);
}

const recovery = (over: Partial<RecoveryOptions> & { nowMs: number }): RecoveryOptions => ({
  owner: OWNER,
  isAlive: async () => false,
  hasPendingJob: async () => false,
  ...over,
});

test('settled files are claimed once, oldest first, into the owner folder; files still being written and temp names are left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-dir-'));
  const now = Date.now();
  drop(dir, 'b.txt', 'b', 5000, now);
  drop(dir, 'a.txt', 'a', 9000, now);
  drop(dir, 'fresh.txt', 'still writing', 100, now);
  drop(dir, 'upload.part', 'partial', 9000, now);
  drop(dir, '.hidden', 'dot', 9000, now);
  const claimed = await claimFiles(dir, { owner: OWNER, nowMs: now });
  assert.deepEqual(claimed.map((f) => f.name), ['a.txt', 'b.txt']);
  assert.ok(claimed.every((f) => f.claimedPath.startsWith(join(dir, '.processing', OWNER) + '/')));
  assert.deepEqual(readdirSync(dir).sort(), ['.hidden', '.processing', 'done', 'failed', 'fresh.txt', 'upload.part']);
  assert.deepEqual(await claimFiles(dir, { owner: OWNER, nowMs: now }), [], 'a second scan takes nothing twice');
  assert.equal((await readClaimed(claimed[0]!, 100)).toString(), 'a');
  await assert.rejects(readClaimed(claimed[0]!, 0), { code: 'BODY_TOO_LARGE' });
});

test('settling moves to done/ or to failed/ with the reason beside it; names never overwrite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-dir-'));
  const now = Date.now();
  drop(dir, 'ok.txt', 'ok', 5000, now);
  drop(dir, 'bad.xml', '<rss', 5000, now);
  const [bad, ok] = await claimFiles(dir, { owner: OWNER, nowMs: now });
  assert.equal(await settleFile(ok!, null, now), join(dir, 'done/ok.txt'));
  assert.equal(await settleFile(bad!, 'source inbox, file bad.xml: PARSE_ERROR: truncated', now), join(dir, 'failed/bad.xml'));
  assert.equal(readFileSync(join(dir, 'failed/bad.xml.error.txt'), 'utf8'), 'source inbox, file bad.xml: PARSE_ERROR: truncated\n');
  assert.deepEqual(readdirSync(join(dir, '.processing')), [], 'the owner folder goes with its last claim');
  drop(dir, 'ok.txt', 'ok again', 5000, now);
  const [again] = await claimFiles(dir, { owner: OWNER, nowMs: now });
  assert.equal(await settleFile(again!, null, now), join(dir, `done/${now}-ok.txt`));
  assert.equal(readFileSync(join(dir, 'done/ok.txt'), 'utf8'), 'ok');
});

test('a released claim goes back to the folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-dir-'));
  const now = Date.now();
  drop(dir, 'x.txt', 'x', 5000, now);
  const [x] = await claimFiles(dir, { owner: OWNER, nowMs: now });
  await releaseClaim(x!, now);
  assert.ok(existsSync(join(dir, 'x.txt')));
  assert.deepEqual(readdirSync(join(dir, '.processing')), []);
});

test('claims of a dead owner go back at once, except those a pending ingest job will settle; live owners and our own are left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-dir-'));
  const now = Date.now();
  const dead = 'host-b~200~1700000000000';
  const alive = 'host-c~300~1700000000000';
  for (const n of ['d1.txt', 'd2.txt', 'd3.txt']) drop(dir, n, n, 5000, now);
  const deadClaims = await claimFiles(dir, { owner: dead, nowMs: now });
  drop(dir, 'live.txt', 'live', 5000, now);
  const [liveClaim] = await claimFiles(dir, { owner: alive, nowMs: now });
  drop(dir, 'mine.txt', 'mine', 5000, now);
  const [mine] = await claimFiles(dir, { owner: OWNER, nowMs: now });
  const pendingPath = deadClaims.find((f) => f.name === 'd2.txt')!.claimedPath;
  // One second after the claims, not an hour: an owner that is gone is known to be gone.
  const result = await recoverClaims(
    dir,
    recovery({ nowMs: now + 1000, isAlive: async (id) => id === alive, hasPendingJob: async (p) => p === pendingPath }),
  );
  assert.deepEqual({ ...result, names: result.names.sort() }, { returned: 2, pending: 1, owners: [dead], names: ['d1.txt', 'd3.txt'] });
  assert.ok(existsSync(join(dir, 'd1.txt')) && existsSync(join(dir, 'd3.txt')));
  assert.ok(existsSync(pendingPath), 'the file with a pending job stays for that job to settle');
  assert.ok(existsSync(liveClaim!.claimedPath), 'a live owner may be about to queue its claim');
  assert.ok(existsSync(mine!.claimedPath));

  // Once the pending job settled its file, the dead owner's folder goes too.
  await settleFile(deadClaims.find((f) => f.name === 'd2.txt')!, null, now);
  assert.deepEqual(await recoverClaims(dir, recovery({ nowMs: now + 2000, isAlive: async (id) => id === alive })), { returned: 0, pending: 0, owners: [], names: [] });
  assert.ok(!existsSync(join(dir, '.processing', dead)));
  assert.ok(existsSync(join(dir, '.processing', alive)));
});

test('a put-back file whose name was dropped again meanwhile keeps both; a flat claim of the old layout is taken back after 10 minutes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-dir-'));
  const now = Date.now();
  drop(dir, 'same.txt', 'first', 5000, now);
  await claimFiles(dir, { owner: 'host-b~200~1', nowMs: now });
  drop(dir, 'same.txt', 'second', 5000, now);
  mkdirSync(join(dir, '.processing'), { recursive: true });
  writeFileSync(join(dir, '.processing', `${now}-0123abcd-old.txt`), 'old layout');
  assert.equal((await recoverClaims(dir, recovery({ nowMs: now + 1000 }))).returned, 1, 'a recent flat claim may still be queued by an old version');
  assert.equal(readFileSync(join(dir, 'same.txt'), 'utf8'), 'second');
  assert.equal(readFileSync(join(dir, `${now + 1000}-same.txt`), 'utf8'), 'first');
  assert.equal((await recoverClaims(dir, recovery({ nowMs: now + 11 * 60_000 }))).returned, 1);
  assert.equal(readFileSync(join(dir, 'old.txt'), 'utf8'), 'old layout');
});

test('owners: alive while their heartbeat is in Redis; on this host, dead as soon as their pid is gone', { skip }, async () => {
  const r = redis.client();
  const prefix = redis.prefix();
  const me = new ClaimOwner(r, prefix, { ttlMs: 300 });
  await me.start();
  try {
    assert.match(me.id, /~\d+~\d+$/);
    assert.equal(await me.isAlive(me.id), true);
    // The heartbeat is refreshed: still there after several TTLs.
    await new Promise((done) => setTimeout(done, 1000));
    assert.equal(await r.exists(keys(prefix).owner(me.id)), 1);

    // Another host: only its heartbeat tells.
    const far = formatOwnerId({ host: 'elsewhere.example', pid: 4242, startedAt: 1 });
    assert.equal(await me.isAlive(far), false);
    await r.set(keys(prefix).owner(far), '1', 'PX', 60_000);
    assert.equal(await me.isAlive(far), true);

    // This host: a pid that exited is dead whatever its heartbeat says (kill -9 leaves one behind).
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const local = formatOwnerId({ host: localHost(), pid: child.pid!, startedAt: 2 });
    await r.set(keys(prefix).owner(local), '2', 'PX', 60_000);
    assert.equal(await me.isAlive(local), true, 'its pid runs and its heartbeat is there');
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
    assert.equal(await me.isAlive(local), false);
    // An earlier process that had our very pid is gone too.
    assert.equal(await me.isAlive(formatOwnerId({ host: localHost(), pid: process.pid, startedAt: 3 })), false);
    assert.equal(await me.isAlive('not-an-owner'), true, 'a folder that is no owner id is never taken');
  } finally {
    await me.stop();
  }
  assert.equal(await r.exists(keys(prefix).owner(me.id)), 0, 'a clean stop removes the heartbeat');
});

test('the same file name dropped again with corrected text updates the story: one article, the new text', { skip, timeout: 60_000 }, async () => {
  const inbox = mkdtempSync(join(tmpdir(), 'wf-correct-'));
  const drop = (text: string) => {
    writeFileSync(join(inbox, 'EGY-FUEL.txt'), text);
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(inbox, 'EGY-FUEL.txt'), past, past);
  };
  const svc = await startTestService(redis, `sources:\n  - id: wire\n    type: directory\n    path: ${inbox}\n    every: 500ms\n`);
  try {
    const store = new ArticleStore(redis.client(), svc.prefix);
    drop('CAIRO, April 10 (Reuters) - Egypt raised fuel prices by 10 percent on Friday, the ministry said.');
    const first = await waitFor('the first version', async () => (await store.newest('source:wire', 5))[0]);
    await waitFor('the file settled', async () => (readdirSync(join(inbox, 'done')).length === 1 ? true : undefined));
    drop('CAIRO, April 10 (Reuters) - Egypt raised fuel prices by 12 percent on Friday, the petroleum ministry said.');
    const second = await waitFor('the corrected version', async () => {
      const [a] = await store.newest('source:wire', 5);
      return a && a.bodyText.includes('12 percent') ? a : undefined;
    });
    assert.equal(second.id, first.id);
    assert.equal(await store.countStored(), 1);
    assert.equal(await store.count('source:wire'), 1);
  } finally {
    await svc.service.stop();
  }
});
