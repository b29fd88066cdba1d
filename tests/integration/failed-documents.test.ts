/**
 * A document that fails for good stays visible (`wirefeed dlq`) and a resend of it is queued
 * afresh instead of being answered with the dead job of the same id (issue 9, item 1).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { Queue, QueueEvents, UnrecoverableError, Worker, type Job } from 'bullmq';
import { JOB, enqueueIngest, ingestJobId, type IngestJobData } from '../../src/queue/registry.ts';
import { keys } from '../../src/store/keys.ts';
import { ROOT } from '../helpers/service.ts';
import { useTestRedis } from '../helpers/redis-server.ts';

const { skip, redis } = useTestRedis();

function doc(body: string): IngestJobData {
  return { sourceId: 'wire', body, contentType: 'text/plain', url: null, receivedAt: new Date().toISOString() };
}

/** Opens the queue and its events; both are closed when the test ends, failed or not. */
async function setup(t: TestContext) {
  const prefix = redis.prefix();
  const connection = redis.client();
  const queue = new Queue(JOB.ingest, { connection, prefix: keys(prefix).queuePrefix, defaultJobOptions: { removeOnFail: { count: 50 } } });
  const events = new QueueEvents(JOB.ingest, { connection: { path: redis.url.slice('unix://'.length) }, prefix: keys(prefix).queuePrefix });
  t.after(async () => {
    await events.close();
    await queue.close();
  });
  await events.waitUntilReady();
  return { prefix, queue, events };
}

/** Runs a worker that fails every document whose body is in `bad`; closed when the test ends. */
function worker(t: TestContext, prefix: string, bad: Set<string>) {
  const seen: string[] = [];
  const w = new Worker(
    JOB.ingest,
    async (job: Job<IngestJobData>) => {
      seen.push(job.data.body);
      if (bad.has(job.data.body)) throw new UnrecoverableError(`PARSE_ERROR: source wire: ${job.data.body} is malformed`);
      return 'ok';
    },
    { connection: { path: redis.url.slice('unix://'.length), maxRetriesPerRequest: null }, prefix: keys(prefix).queuePrefix },
  );
  t.after(() => w.close());
  return { w, seen };
}

test('a resend of a document that failed for good is queued again and processed; one that succeeded is not repeated', { skip, timeout: 30_000 }, async (t) => {
  const { prefix, queue, events } = await setup(t);
  const bad = new Set(['doc-a']);
  const { seen } = worker(t, prefix, bad);
  const idA = ingestJobId('wire', 'doc-a');
  const idB = ingestJobId('wire', 'doc-b');

  const failed = new Promise((r) => events.once('failed', r));
  assert.deepEqual(await enqueueIngest(queue, doc('doc-a'), idA), { id: idA, requeued: false });
  await failed;
  const done = new Promise((r) => events.once('completed', r));
  await enqueueIngest(queue, doc('doc-b'), idB);
  await done;

  // The source is fixed; the same bytes are sent again.
  bad.clear();
  const again = new Promise((r) => events.once('completed', r));
  assert.deepEqual(await enqueueIngest(queue, doc('doc-a'), idA), { id: idA, requeued: true });
  await again;
  assert.equal(await (await queue.getJob(idA))!.getState(), 'completed');

  // A completed document sent again is the same document: not processed twice.
  assert.deepEqual(await enqueueIngest(queue, doc('doc-b'), idB), { id: idB, requeued: false });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(seen, ['doc-a', 'doc-b', 'doc-a']);
});

test('wirefeed dlq lists failed documents with source and cause, --retry queues them again, --remove forgets them', { skip, timeout: 60_000 }, async (t) => {
  const { prefix, queue, events } = await setup(t);
  const { w } = worker(t, prefix, new Set(['doc-1', 'doc-2']));
  const failures = new Promise<void>((resolve) => {
    let n = 0;
    events.on('failed', () => ++n === 2 && resolve());
  });
  await enqueueIngest(queue, doc('doc-1'), ingestJobId('wire', 'doc-1'));
  await enqueueIngest(queue, doc('doc-2'), ingestJobId('wire', 'doc-2'));
  await failures;
  await w.close();

  const dir = mkdtempSync(join(tmpdir(), 'wf-dlq-'));
  writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: wire\n    type: directory\n    path: ./inbox\n');
  const env = { ...process.env, REDIS_URL: redis.url, REDIS_PREFIX: prefix };
  const dlq = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/wirefeed.js'), 'dlq', '--config', dir, ...args], { env, encoding: 'utf8', cwd: dir });

  const listed = dlq('--json');
  assert.equal(listed.status, 0, listed.stderr);
  const rows = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(rows.map((r) => r.source), ['wire', 'wire']);
  assert.deepEqual(rows.map((r) => r.reason).sort(), ['PARSE_ERROR: source wire: doc-1 is malformed', 'PARSE_ERROR: source wire: doc-2 is malformed']);
  assert.match(dlq().stdout, /2 failed document\(s\)[\s\S]*source wire, 5 bytes[\s\S]*PARSE_ERROR/);

  const id1 = ingestJobId('wire', 'doc-1');
  const retried = dlq('--retry', id1);
  assert.equal(retried.status, 0, retried.stderr);
  assert.match(retried.stdout, /queued again: 1 document/);
  assert.equal(await (await queue.getJob(id1))!.getState(), 'waiting');
  assert.equal((await queue.getJob(id1))!.attemptsMade, 0);

  const unknown = dlq('--remove', 'doc-nope');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /no failed document doc-nope/);
  assert.equal(dlq('--remove').status, 0);
  assert.equal(await queue.getFailedCount(), 0);
  assert.match(dlq().stdout, /no failed documents/);
});
