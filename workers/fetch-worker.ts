/**
 * fetch queue processor: one job per source poll. Thin: the poll lives in src/fetch; this file
 * wires its dependencies (lease, claim owner, ingest queue), maps its errors to BullMQ (a poll is
 * never retried in place: the next scheduled poll, after backoff, is the retry) and logs.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { RecoveryResult } from '../src/fetch/directory-source.ts';
import { pollSource, recoverDirectory, type PollDeps } from '../src/fetch/poll-source.ts';
import type { Logger } from '../src/log/logger.ts';
import { WireError, errorText, isWireError } from '../src/model/wire-error.ts';
import { enqueueIngest, fileJobId, ingestJobId, type FetchJobData, type IngestJobData } from '../src/queue/registry.ts';
import type { WorkerDeps } from './deps.ts';

/** Job states in which an ingest job will still run and settle its file. */
const PENDING = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

function logRecovered(log: Logger, sourceId: string, r: RecoveryResult): void {
  log.info(
    { sourceId, recovered: r.returned, pending: r.pending, owners: r.owners, files: r.names.slice(0, 20) },
    `source ${sourceId}: ${r.returned + r.pending} file(s) claimed by a process that is gone (${r.owners.join(', ')}): ` +
      `${r.returned} put back for ingest, ${r.pending} left to their pending ingest jobs`,
  );
}

/** What a poll needs, from the worker's dependencies. */
export function pollDeps(deps: WorkerDeps, log: Logger = deps.logger.child({ component: 'fetch' })): PollDeps {
  return {
    settings: deps.config.settings,
    state: deps.sourceState,
    now: deps.now,
    signal: deps.signal,
    leases: deps.leases,
    owner: deps.claimOwner,
    enqueue: async (doc: IngestJobData) => {
      const jobId = doc.file ? fileJobId(doc.sourceId, doc.file.claimedPath) : ingestJobId(doc.sourceId, doc.body);
      await enqueueIngest(deps.queues.ingest, doc, jobId);
    },
    hasPendingJob: async (sourceId, claimedPath) => PENDING.has(await deps.queues.ingest.getJobState(fileJobId(sourceId, claimedPath))),
    onRecovered: (sourceId, result) => logRecovered(log, sourceId, result),
  };
}

/**
 * At start, before any scan: the claims of processes that died (kill -9, crash) go back to their
 * folders, every directory source's. A failure is logged and left to the scans, which retry it.
 */
export async function recoverClaimsAtStart(deps: WorkerDeps): Promise<void> {
  const log = deps.logger.child({ component: 'fetch' });
  const poll = pollDeps(deps, log);
  for (const source of deps.config.sources) {
    if (source.type !== 'directory' || !source.enabled) continue;
    await recoverDirectory(source, poll, { atStart: true }).catch((err: unknown) =>
      log.warn({ sourceId: source.id, err: err instanceof Error ? err.message : String(err) }, `source ${source.id}: could not recover claims at start: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
}

export function fetchProcessor(deps: WorkerDeps) {
  return async (job: Job<FetchJobData>) => {
    const source = deps.pipeline.sources.get(job.data.sourceId);
    const log = deps.logger.child({ queue: 'fetch', jobId: job.id, sourceId: job.data.sourceId });
    if (!source) throw new UnrecoverableError(errorText(new WireError('UNKNOWN_SOURCE', `source ${job.data.sourceId} is not configured`)));
    if (source.type === 'push') throw new UnrecoverableError(`source ${source.id} is a push source: it is not polled`);
    try {
      const outcome = await pollSource(source, pollDeps(deps, log));
      if (outcome.kind === 'document' || (outcome.kind === 'files' && outcome.claimed > 0)) log.info({ outcome }, 'polled');
      else if (outcome.kind === 'busy') log.debug({ outcome }, `source ${source.id}: poll skipped, the previous one is still in flight`);
      else if (outcome.kind === 'too-soon') log.debug({ outcome }, `source ${source.id}: poll skipped, the previous one ended less than its interval ago`);
      else log.debug({ outcome }, 'polled');
      return outcome;
    } catch (err) {
      if (isWireError(err)) {
        log.warn({ code: err.code, err: err.message }, `source ${source.id}: ${errorText(err)}`);
        throw new UnrecoverableError(errorText(err));
      }
      log.error({ err }, `source ${source.id}: poll failed`);
      throw err;
    }
  };
}
