/**
 * ingest queue processor: one job per document. Thin: parse → normalize → classify is
 * src/ingest; this file stores the batch, asks for the changed feeds to be published, settles a
 * dropped file, and maps errors to BullMQ (a bad document fails at once, a Redis hiccup retries).
 * A document that fails for good, and each item of a stored document that could not become an
 * article, is kept as a dead letter (src/store/dead-letters.ts); a document or item that is
 * ingested drops its letter (a retry that succeeded).
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { SourceConfig } from '../src/config/schema.ts';
import { settleFile } from '../src/fetch/directory-source.ts';
import { ingestDocument, ingestItems, type IngestOutcome, type ItemContext } from '../src/ingest/ingest-document.ts';
import type { RawItem } from '../src/model/raw-item.ts';
import { WireError, errorText, isWireError } from '../src/model/wire-error.ts';
import { schedulePublish, scheduleRelease } from '../src/queue/registry.ts';
import { pageContext, renderArticlePage } from '../src/render/article-page.ts';
import { feedCatalog } from '../src/render/feed-catalog.ts';
import { ITEM_LETTER_TYPE, itemLetterId, type IngestRetryData } from '../src/store/dead-letters.ts';
import type { WorkerDeps } from './deps.ts';

/** An item's dead letter bytes. */
interface ItemLetterBody {
  item: RawItem;
  context: ItemContext;
}

export function ingestProcessor(deps: WorkerDeps) {
  // The catalogue is the one list of published feeds (language variants included).
  const knownFeeds = new Set(feedCatalog(deps.config).map((f) => f.id));
  const pages = pageContext(deps.config);
  return async (job: Job<IngestRetryData>) => {
    const { sourceId, file, deadItem } = job.data;
    const jobId = job.id ?? '';
    const log = deps.logger.child({ queue: 'ingest', jobId: job.id, sourceId, file: file?.name });
    const source = deps.pipeline.sources.get(sourceId);
    const settle = async (error: string | null) => {
      if (!file) return;
      const path = await settleFile(file, error, deps.now().getTime()).catch((err: unknown) => {
        log.warn({ err }, `could not move ${file.name} out of .processing`);
        return null;
      });
      if (path) log.debug({ path }, 'file settled');
      return path;
    };
    try {
      if (!source) throw new WireError('UNKNOWN_SOURCE', `source ${sourceId} is not configured`);
      const outcome: Omit<IngestOutcome, 'format'> & { format: IngestOutcome['format'] | 'item' } = deadItem
        ? await retryItem(job.data.body, source, deps, new Date(job.data.receivedAt))
        : await ingestDocument(
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
      for (const s of outcome.skipped) {
        const id = itemLetterId(jobId, s.index);
        const body: ItemLetterBody = { item: s.item, context: outcome.context };
        await deps.deadLetters.put(
          { id, kind: 'item', sourceId, jobId, file: file?.name ?? null, path: null, url: job.data.url, contentType: ITEM_LETTER_TYPE, receivedAt: job.data.receivedAt, code: s.code ?? '', message: s.reason, body: JSON.stringify(body), itemIndex: s.index, attempts: 1 },
          nowMs,
        );
        log.warn({ item: s.index, deadLetter: id }, `source ${sourceId}: item ${s.index} skipped: ${s.reason}`);
      }
      // Ingested: a letter of this document or item (a failure before, then a retry or a resend) is done with.
      if (await deps.deadLetters.drop(jobId)) log.info({ deadLetter: jobId }, `source ${sourceId}: dead letter ${jobId} ingested, dropped`);
      await settle(null);
      const repaired = 'repaired' in outcome ? outcome.repaired : undefined;
      const summary = { format: outcome.format, items: outcome.articles.length, skipped: outcome.skipped.length, duplicates, ...stored, heldUntil: stored.heldUntil.length, changedFeeds: feeds.length, ...(repaired ? { repaired } : {}) };
      // A document read only after repairs is the source's defect: said at warn, naming them.
      if (repaired) log.warn(summary, `source ${sourceId}: ingested after repairing ${repaired.join(', ')}`);
      else log.info(summary, 'ingested');
      return summary;
    } catch (err) {
      const giveUp = isWireError(err) ? err.advice !== 'retry' : err instanceof UnrecoverableError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const reason = errorText(err);
      const where = `source ${sourceId}${file ? `, file ${file.name}` : ''}`;
      if (giveUp || lastAttempt) {
        const what = deadItem ? `item ${deadItem.index}` : 'document';
        log.error({ err: reason, deadLetter: jobId }, `${where}: ${what} rejected: ${reason}`);
        const path = await settle(`${where}: ${reason}`);
        await deps.deadLetters
          .put(
            {
              id: jobId,
              kind: deadItem ? 'item' : 'document',
              sourceId,
              jobId: deadItem?.jobId ?? jobId,
              file: file?.name ?? null,
              path: path ?? null,
              url: job.data.url,
              contentType: job.data.contentType,
              receivedAt: job.data.receivedAt,
              code: isWireError(err) ? err.code : '',
              message: isWireError(err) ? err.message : reason,
              body: job.data.body,
              itemIndex: deadItem?.index ?? null,
              attempts: job.attemptsMade + 1,
            },
            deps.now().getTime(),
          )
          // Still listed by `wirefeed dlq` from the failed job, with its full bytes, while BullMQ keeps it.
          .catch((e: unknown) => log.error({ err: errorText(e) }, `${where}: could not keep the dead letter ${jobId}: ${errorText(e)}`));
        throw err instanceof UnrecoverableError ? err : new UnrecoverableError(`${where}: ${reason}`);
      }
      log.warn({ err: reason, attempt: job.attemptsMade + 1 }, `${where}: ingest failed, will retry: ${reason}`);
      throw err;
    }
  };
}

/** Normalizes one item again from its dead letter's bytes (`wirefeed dlq retry` of an item). */
async function retryItem(body: string, source: SourceConfig, deps: WorkerDeps, now: Date) {
  let letter: ItemLetterBody;
  try {
    letter = JSON.parse(body) as ItemLetterBody;
  } catch (err) {
    throw new WireError('PARSE_ERROR', `the item's dead letter is not JSON: ${errorText(err)}`);
  }
  const { articles, skipped } = await ingestItems([letter.item], letter.context, source, deps.pipeline, now);
  if (articles.length === 0) {
    const s = skipped[0];
    throw new WireError(s?.code ?? 'EMPTY_DOCUMENT', s?.reason ?? 'the item gave no article');
  }
  return { format: 'item' as const, articles, skipped: [], context: letter.context };
}
