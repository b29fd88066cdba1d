/**
 * fetch queue processor: one job per source poll. Thin: the poll lives in src/fetch; this file
 * maps its errors to BullMQ (a poll is never retried in place: the next scheduled poll, after
 * backoff, is the retry).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { pollDirectory, pollFeed } from '../src/fetch/poll-source.ts';
import { isWireError } from '../src/model/wire-error.ts';
import { JOB, fileJobId, ingestJobId, type FetchJobData, type IngestJobData } from '../src/queue/registry.ts';
import type { WorkerDeps } from './deps.ts';

export function fetchProcessor(deps: WorkerDeps) {
  return async (job: Job<FetchJobData>) => {
    const source = deps.pipeline.sources.get(job.data.sourceId);
    const log = deps.logger.child({ queue: 'fetch', jobId: job.id, sourceId: job.data.sourceId });
    if (!source) throw new UnrecoverableError(`UNKNOWN_SOURCE: source ${job.data.sourceId} is not configured`);
    const pollDeps = {
      settings: deps.config.settings,
      state: deps.sourceState,
      now: deps.now,
      signal: deps.signal,
      enqueue: async (doc: IngestJobData) => {
        const jobId = doc.file ? fileJobId(doc.sourceId, doc.file.claimedPath) : ingestJobId(doc.sourceId, doc.body);
        await deps.queues.ingest.add(JOB.ingest, doc, { jobId });
      },
    };
    if (source.type === 'push') throw new UnrecoverableError(`source ${source.id} is a push source: it is not polled`);
    try {
      const outcome = source.type === 'feed' ? await pollFeed(source, pollDeps) : await pollDirectory(source, pollDeps);
      if (outcome.kind === 'document' || (outcome.kind === 'files' && outcome.claimed > 0)) log.info({ outcome }, 'polled');
      else log.debug({ outcome }, 'polled');
      return outcome;
    } catch (err) {
      if (isWireError(err)) {
        log.warn({ code: err.code, err: err.message }, `source ${source.id}: ${err.code}: ${err.message}`);
        throw new UnrecoverableError(`${err.code}: ${err.message}`);
      }
      log.error({ err }, `source ${source.id}: poll failed`);
      throw err;
    }
  };
}
