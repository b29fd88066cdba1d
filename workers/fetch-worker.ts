/**
 * fetch queue processor: one job per source poll. Thin: the poll lives in src/fetch; this file
 * wires its dependencies (lease, claim owner, ingest queue), maps its errors to BullMQ (a poll is
 * never retried in place: the next scheduled poll, after backoff, is the retry) and logs.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { RecoveryResult } from '../src/fetch/directory-source.ts';
import { pollSource, recoverDirectory, type PollDeps, type SourceEvent } from '../src/fetch/poll-source.ts';
import type { Logger } from '../src/log/logger.ts';
import { WireError, errorText, isWireError } from '../src/model/wire-error.ts';
import { JOB, enqueueIngest, fileJobId, ingestJobId, pollSchedulerId, type FetchJobData, type IngestJobData } from '../src/queue/registry.ts';
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

/** One line per change of a source's state: health, a wait that starts, a URL moved. */
export function logSourceEvent(log: Logger, e: SourceEvent): void {
  const next = new Date(e.kind === 'moved' ? 0 : e.nextPollAt).toISOString();
  if (e.kind === 'moved') {
    log.info({ sourceId: e.sourceId, event: 'moved', from: e.from, to: e.to, polls: e.polls }, `source ${e.sourceId}: permanently redirected to ${e.to} by ${e.polls} polls in a row; polling it instead of ${e.from}`);
  } else if (e.kind === 'wait') {
    log.info({ sourceId: e.sourceId, event: 'wait', code: e.code, nextPollAt: next }, `source ${e.sourceId}: asked to wait (${e.code}: ${e.message}); next poll at ${next}, no failure counted`);
  } else if (e.to === 'healthy') {
    log.info({ sourceId: e.sourceId, event: 'health', from: e.from, to: e.to, nextPollAt: next }, `source ${e.sourceId}: healthy again (was ${e.from}); next poll at ${next}`);
  } else {
    const why = e.to === 'unhealthy' ? 'unhealthy, the operator should look' : 'failing, backing off';
    log.warn(
      { sourceId: e.sourceId, event: 'health', from: e.from ?? null, to: e.to, code: e.code, failures: e.failures, nextPollAt: next },
      `source ${e.sourceId}: ${why} after ${e.failures} failure(s) in a row (${e.code}: ${e.message}); next poll at ${next}`,
    );
  }
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
    hosts: deps.sourceState.hosts,
    onEvent: (e) => logSourceEvent(log, e),
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
      else if (outcome.kind === 'too-soon') log.debug({ outcome }, `source ${source.id}: poll skipped, its next poll is not due yet`);
      else if (outcome.kind === 'host-busy') {
        // Put off a little, not failed: one more poll once a slot of the host may be free. A
        // request in flight ends within its timeout (retryInMs is only when a killed one's slot
        // would expire): a quarter of it; the minute's budget frees a slot at retryInMs.
        const timeout = (source.type === 'feed' ? source.timeout : undefined) ?? deps.config.settings.fetch.timeout;
        const wait = outcome.why === 'rate' ? outcome.retryInMs : Math.min(outcome.retryInMs, Math.max(500, timeout / 4));
        const delay = Math.min(Math.max(wait, 200), source.every) + Math.floor(Math.random() * 250);
        const at = Date.now() + delay;
        await deps.queues.fetch.add(JOB.poll, { sourceId: source.id }, { jobId: `${pollSchedulerId(source.id)}-host-${at}`, delay });
        log.debug({ outcome }, `source ${source.id}: poll put off ${delay} ms, no request slot of ${outcome.host} free (${outcome.why})`);
      }
      else log.debug({ outcome }, 'polled');
      return outcome;
    } catch (err) {
      if (isWireError(err)) {
        // The state changes were logged once each (onEvent); a poll that failed like the last is not.
        log.debug({ code: err.code, err: err.message }, `source ${source.id}: ${errorText(err)}`);
        throw new UnrecoverableError(errorText(err));
      }
      log.error({ err }, `source ${source.id}: poll failed`);
      throw err;
    }
  };
}
