/**
 * A child process for tests: a BullMQ worker with Wirefeed's worker options that takes one job
 * of queue `argv[4]` and never finishes it, printing `active <jobId>`: the test kills it with -9.
 * Usage: node --import tsx tests/helpers/hanging-worker.ts <socket> <queuePrefix> <queue>
 */
import { Worker } from 'bullmq';
import { WORKER_OPTIONS } from '../../src/queue/registry.ts';

const [socket, prefix, queue] = process.argv.slice(2);
const worker = new Worker(
  queue!,
  async (job) => {
    process.stdout.write(`active ${job.id}\n`);
    await new Promise(() => undefined);
  },
  { connection: { path: socket!, maxRetriesPerRequest: null }, prefix: prefix!, ...WORKER_OPTIONS },
);
worker.on('error', () => undefined);
