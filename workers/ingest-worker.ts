/**
 * ingest queue processor: one job per document. Thin: parse → normalize → classify is
 * src/ingest; this file stores the batch, asks for the changed feeds to be published, settles a
 * dropped file, and maps errors to BullMQ (a bad document fails at once, a Redis hiccup retries).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import { settleFile } from '../src/fetch/directory-source.ts';
import { ingestDocument } from '../src/ingest/ingest-document.ts';
import { WireError, errorText, isWireError } from '../src/model/wire-error.ts';
import { schedulePublish, scheduleRelease, type IngestJobData } from '../src/queue/registry.ts';
import { pageContext, renderArticlePage } from '../src/render/article-page.ts';
import { feedCatalog } from '../src/render/feed-catalog.ts';
import type { WorkerDeps } from './deps.ts';

export function ingestProcessor(deps: WorkerDeps) {
  // The catalogue is the one list of published feeds (language variants included).
  const knownFeeds = new Set(feedCatalog(deps.config).map((f) => f.id));
  const pages = pageContext(deps.config);
  return async (job: Job<IngestJobData>) => {
    const { sourceId, file } = job.data;
    const log = deps.logger.child({ queue: 'ingest', jobId: job.id, sourceId, file: file?.name });
    const source = deps.pipeline.sources.get(sourceId);
    const settle = async (error: string | null) => {
      if (!file) return;
      const path = await settleFile(file, error, deps.now().getTime()).catch((err: unknown) => {
        log.warn({ err }, `could not move ${file.name} out of .processing`);
        return null;
      });
      if (path) log.debug({ path }, 'file settled');
    };
    try {
      if (!source) throw new WireError('UNKNOWN_SOURCE', `source ${sourceId} is not configured`);
      const outcome = await ingestDocument(
        { body: job.data.body, contentType: job.data.contentType, url: job.data.url, format: source.format, fileName: file?.name },
        source,
        deps.pipeline,
        new Date(job.data.receivedAt),
      );
      const nowMs = deps.now().getTime();
      const duplicates = await deps.duplicates.resolve(outcome.articles);
      // Article pages are rendered here, for the inserted and updated articles only: HTTP serves them.
      const stored = await deps.articles.upsertWithPages(outcome.articles, nowMs, (a) => renderArticlePage(a, pages));
      const feeds = stored.changedFeeds.filter((f) => knownFeeds.has(f));
      await schedulePublish(deps.queues.publish, feeds, nowMs, deps.config.settings.publishWindow);
      await scheduleRelease(deps.queues.publish, stored.heldUntil, nowMs);
      for (const s of outcome.skipped) log.warn({ item: s.index }, `source ${sourceId}: item ${s.index} skipped: ${s.reason}`);
      await settle(null);
      const summary = { format: outcome.format, items: outcome.articles.length, skipped: outcome.skipped.length, duplicates, ...stored, heldUntil: stored.heldUntil.length, changedFeeds: feeds.length };
      log.info(summary, 'ingested');
      return summary;
    } catch (err) {
      const giveUp = isWireError(err) ? err.advice !== 'retry' : err instanceof UnrecoverableError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const reason = errorText(err);
      const where = `source ${sourceId}${file ? `, file ${file.name}` : ''}`;
      if (giveUp || lastAttempt) {
        log.error({ err: reason }, `${where}: document rejected: ${reason}`);
        await settle(`${where}: ${reason}`);
        throw err instanceof UnrecoverableError ? err : new UnrecoverableError(`${where}: ${reason}`);
      }
      log.warn({ err: reason, attempt: job.attemptsMade + 1 }, `${where}: ingest failed, will retry: ${reason}`);
      throw err;
    }
  };
}
