/**
 * A job whose process is killed with -9 mid-run is run again by another worker soon, not after a
 * minute (issue 9: recovery within 10 s of the process being back).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { Queue, Worker } from 'bullmq';
import { WORKER_OPTIONS } from '../../src/queue/registry.ts';
import { keys } from '../../src/store/keys.ts';
import { ROOT } from '../helpers/service.ts';
import { useTestRedis } from '../helpers/redis-server.ts';

const { skip, redis } = useTestRedis();

test('a job left active by a killed process is re-run by another worker within seconds', { skip, timeout: 60_000 }, async () => {
  const socket = redis.url.slice('unix://'.length);
  const prefix = keys(redis.prefix()).queuePrefix;
  const queue = new Queue('ingest', { connection: redis.client(), prefix });
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/helpers/hanging-worker.ts'), socket, prefix, 'ingest'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const active = new Promise<string>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const m = /active (\S+)/.exec(chunk.toString());
      if (m) resolve(m[1]!);
    });
  });
  await queue.add('ingest', { n: 1 }, { jobId: 'doc-1' });
  assert.equal(await active, 'doc-1');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const killedAt = Date.now();

  let rerunAfter = -1;
  let worker: Worker | undefined;
  const rerun = new Promise<void>((resolve) => {
    worker = new Worker(
      'ingest',
      async () => {
        rerunAfter = Date.now() - killedAt;
        resolve();
      },
      { connection: { path: socket, maxRetriesPerRequest: null }, prefix, ...WORKER_OPTIONS },
    );
  });
  // BullMQ's defaults (30 s lock, 30 s stall checks) take up to a minute; the bound is generous.
  const bound = new Promise<void>((resolve) => setTimeout(resolve, 20_000).unref());
  await Promise.race([rerun, bound]);
  await worker?.close();
  await queue.close();
  assert.ok(rerunAfter >= 0, 'the job was not re-run within 20 s of the kill');
});
