/**
 * `wirefeed sources` (issue 11): each source from sources.yaml beside its state in Redis — type,
 * configured and polled URL, health, last poll and status, next poll and why — through the real
 * CLI, and as JSON.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sourcesCommand, type SourceRow } from '../../src/cli/sources-command.ts';
import { SourceStateStore } from '../../src/store/source-state.ts';
import { useTestRedis } from '../helpers/redis-server.ts';
import { ROOT } from '../helpers/service.ts';

const { skip, redis } = useTestRedis();
/** A fixed epoch: nothing depends on today's date. */
const T0 = Date.UTC(2030, 0, 1);

const YAML = `sources:
  - id: moved
    type: feed
    url: https://old.example.org/rss
    every: 5m
  - id: broken
    type: feed
    url: https://broken.example.org/feed
  - id: fresh
    type: feed
    url: https://fresh.example.org/feed
  - id: inbox
    type: directory
    path: ./inbox
  - id: agency
    type: push
    tokenEnv: AGENCY_TOKEN
`;

test('wirefeed sources lists each source: type, URL configured and polled, state, last poll and status, next poll and why', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-sources-'));
  writeFileSync(join(dir, 'sources.yaml'), YAML);
  copyFileSync(join(ROOT, 'config/topics.yaml'), join(dir, 'topics.yaml'));
  const prefix = redis.prefix();
  const env = { REDIS_URL: redis.url, REDIS_PREFIX: prefix, AGENCY_TOKEN: 'x'.repeat(32) };
  const state = new SourceStateStore(redis.client(), prefix);
  await state.update('moved', {
    health: 'healthy',
    lastPollAt: T0,
    lastPollEnd: T0 + 200,
    lastStatus: '304',
    nextPollAt: T0 + 3_600_000,
    nextReason: 'publishing-rate',
    effectiveUrl: 'https://new.example.org/rss',
    effectiveFrom: 'https://old.example.org/rss',
  });
  await state.update('broken', { health: 'unhealthy', failures: 2, lastPollAt: T0, lastStatus: 'HTTP_4XX', lastError: 'HTTP 410 Gone from https://broken.example.org/feed', nextPollAt: T0 + 6 * 3_600_000, nextReason: 'unhealthy', redirectTarget: 'https://b2.example.org/feed', redirectSeen: 1 });

  let out = '';
  assert.equal(await sourcesCommand({ config: dir, json: true }, env, (s) => void (out += s)), 0);
  const rows = out.trim().split('\n').map((l) => JSON.parse(l) as SourceRow);
  const by = new Map(rows.map((r) => [r.id, r]));
  assert.deepEqual(rows.map((r) => [r.id, r.type, r.state]), [
    ['moved', 'feed', 'healthy'],
    ['broken', 'feed', 'unhealthy'],
    ['fresh', 'feed', 'never polled'],
    ['inbox', 'directory', 'never polled'],
    ['agency', 'push', 'not polled'],
  ]);
  assert.deepEqual(
    (({ url, effectiveUrl, lastPollAt, lastStatus, nextPollAt, why }) => ({ url, effectiveUrl, lastPollAt, lastStatus, nextPollAt, why }))(by.get('moved')!),
    { url: 'https://old.example.org/rss', effectiveUrl: 'https://new.example.org/rss', lastPollAt: '2030-01-01T00:00:00.000Z', lastStatus: '304', nextPollAt: '2030-01-01T01:00:00.000Z', why: 'publishing-rate' },
  );
  assert.deepEqual([by.get('broken')!.why, by.get('broken')!.failures, by.get('broken')!.redirect], ['unhealthy', 2, { to: 'https://b2.example.org/feed', polls: 1 }]);
  assert.equal(by.get('fresh')!.why, 'floor');

  // The real command line, as an operator types it.
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'sources', '--config', dir], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^moved {2}feed {2}healthy$/m);
  assert.match(run.stdout, /^ {2}url {8}https:\/\/old\.example\.org\/rss$/m);
  assert.match(run.stdout, /^ {2}polled {5}https:\/\/new\.example\.org\/rss {2}\(permanent redirect\)$/m);
  assert.match(run.stdout, /^ {2}next poll {2}2030-01-01T01:00:00\.000Z {2}\(publishing-rate\)$/m);
  assert.match(run.stdout, /^broken {2}feed {2}unhealthy \(2 failure\(s\) in a row\)$/m);
  assert.match(run.stdout, /^ {2}error {6}HTTP 410 Gone/m);
});
