/**
 * `wirefeed dlq`: the documents that failed for good (the ingest queue's failed jobs, kept for
 * 7 days), with the source, the file and the cause; `--retry` queues them again (after a fix of
 * the source or the configuration), `--remove` forgets them.
 */
import { Queue, type Job } from 'bullmq';
import { ConfigError, loadConfig } from '../config/load-config.ts';
import { createRedis, waitReady } from '../queue/connection.ts';
import { privateRedisUrl } from '../queue/private-redis.ts';
import { DEFAULT_JOB_OPTIONS, type IngestJobData } from '../queue/registry.ts';
import { keys } from '../store/keys.ts';

export interface DlqOptions {
  config: string;
  retry?: string[] | true;
  remove?: string[] | true;
  json?: boolean;
  limit: number;
}

interface Row {
  id: string;
  source: string;
  file: string | null;
  bytes: number;
  attempts: number;
  failedAt: string | null;
  reason: string;
}

function row(job: Job<IngestJobData>): Row {
  return {
    id: job.id ?? '',
    source: job.data.sourceId,
    file: job.data.file?.name ?? null,
    bytes: Buffer.byteLength(job.data.body ?? ''),
    attempts: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    reason: (job.failedReason ?? '').split('\n')[0]!,
  };
}

/** Chooses the jobs named by `--retry id…` / `--remove id…`, or all of them for the bare flag. */
function pick(jobs: Job<IngestJobData>[], ids: string[] | true): { chosen: Job<IngestJobData>[]; unknown: string[] } {
  if (ids === true) return { chosen: jobs, unknown: [] };
  const byId = new Map(jobs.map((j) => [j.id, j]));
  return { chosen: ids.flatMap((id) => byId.get(id) ?? []), unknown: ids.filter((id) => !byId.has(id)) };
}

export async function dlqCommand(opts: DlqOptions): Promise<number> {
  let config;
  try {
    config = loadConfig(opts.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`wirefeed dlq: ${err.problems.length} problem(s) in the configuration:\n${err.problems.map((p) => `  ${p}\n`).join('')}`);
    return 1;
  }
  const url = config.settings.redisUrl ?? privateRedisUrl(config.settings.dataDir);
  const redis = createRedis(url, 'client');
  redis.on('error', () => undefined);
  const queue = new Queue('ingest', { connection: redis, prefix: keys(config.settings.redisPrefix).queuePrefix, defaultJobOptions: DEFAULT_JOB_OPTIONS.ingest });
  queue.on('error', () => undefined);
  try {
    await waitReady(redis, url, 5_000);
    const jobs = (await queue.getFailed(0, opts.limit - 1)) as Job<IngestJobData>[];
    const action = opts.retry ? 'retry' : opts.remove ? 'remove' : null;
    if (action) {
      const { chosen, unknown } = pick(jobs, (opts.retry ?? opts.remove)!);
      for (const job of chosen) {
        if (action === 'retry') await job.retry('failed', { resetAttemptsMade: true });
        else await job.remove();
      }
      process.stdout.write(`${action === 'retry' ? 'queued again' : 'removed'}: ${chosen.length} document(s)\n`);
      for (const id of unknown) process.stderr.write(`wirefeed dlq: no failed document ${id}\n`);
      return unknown.length ? 1 : 0;
    }
    const rows = jobs.map(row);
    if (opts.json) {
      for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
    } else if (rows.length === 0) {
      process.stdout.write('no failed documents\n');
    } else {
      process.stdout.write(`${rows.length} failed document(s), newest first:\n`);
      for (const r of rows) {
        process.stdout.write(`${r.id}  ${r.failedAt ?? '-'}  source ${r.source}${r.file ? `, file ${r.file}` : ''}, ${r.bytes} bytes, ${r.attempts} attempt(s)\n    ${r.reason}\n`);
      }
    }
    return 0;
  } catch (err) {
    process.stderr.write(`wirefeed dlq: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}
