import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { claimFiles, readClaimed, recoverStaleClaims, releaseClaim, settleFile } from '../../src/fetch/directory-source.ts';

function drop(dir: string, name: string, text: string, ageMs: number, now: number): void {
  writeFileSync(join(dir, name), text);
  const t = new Date(now - ageMs);
  utimesSync(join(dir, name), t, t);
}

test('settled files are claimed once, oldest first; files still being written and temp names are left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-dir-'));
  const now = Date.now();
  drop(dir, 'b.txt', 'b', 5000, now);
  drop(dir, 'a.txt', 'a', 9000, now);
  drop(dir, 'fresh.txt', 'still writing', 100, now);
  drop(dir, 'upload.part', 'partial', 9000, now);
  drop(dir, '.hidden', 'dot', 9000, now);
  const claimed = await claimFiles(dir, { nowMs: now });
  assert.deepEqual(claimed.map((f) => f.name), ['a.txt', 'b.txt']);
  assert.deepEqual(readdirSync(dir).sort(), ['.hidden', '.processing', 'done', 'failed', 'fresh.txt', 'upload.part']);
  assert.deepEqual(await claimFiles(dir, { nowMs: now }), [], 'a second scan takes nothing twice');
  assert.equal((await readClaimed(claimed[0]!, 100)).toString(), 'a');
  await assert.rejects(readClaimed(claimed[0]!, 0), { code: 'BODY_TOO_LARGE' });
});

test('settling moves to done/ or to failed/ with the reason beside it; names never overwrite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-dir-'));
  const now = Date.now();
  drop(dir, 'ok.txt', 'ok', 5000, now);
  drop(dir, 'bad.xml', '<rss', 5000, now);
  const [bad, ok] = await claimFiles(dir, { nowMs: now });
  assert.equal(await settleFile(ok!, null, now), join(dir, 'done/ok.txt'));
  assert.equal(await settleFile(bad!, 'source inbox, file bad.xml: PARSE_ERROR: truncated', now), join(dir, 'failed/bad.xml'));
  assert.equal(readFileSync(join(dir, 'failed/bad.xml.error.txt'), 'utf8'), 'source inbox, file bad.xml: PARSE_ERROR: truncated\n');
  drop(dir, 'ok.txt', 'ok again', 5000, now);
  const [again] = await claimFiles(dir, { nowMs: now });
  assert.equal(await settleFile(again!, null, now), join(dir, `done/${now}-ok.txt`));
  assert.equal(readFileSync(join(dir, 'done/ok.txt'), 'utf8'), 'ok');
});

test('a released claim and a stale claim go back to the folder for the next scan', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-dir-'));
  const now = Date.now();
  drop(dir, 'x.txt', 'x', 5000, now);
  drop(dir, 'y.txt', 'y', 5000, now);
  const [x, y] = await claimFiles(dir, { nowMs: now });
  await releaseClaim(x!, now);
  assert.ok(existsSync(join(dir, 'x.txt')));
  assert.equal(await recoverStaleClaims(dir, now + 60_000, 3_600_000), 0, 'a recent claim is still being worked on');
  assert.equal(await recoverStaleClaims(dir, now + 2 * 3_600_000, 3_600_000), 1);
  assert.ok(existsSync(join(dir, 'y.txt')));
  assert.ok(!existsSync(y!.claimedPath));
});
