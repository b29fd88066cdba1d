/**
 * The ingest stage's pure core: one document in, its article records out — detect the format,
 * parse, normalize every item, assign topics, drop in-document duplicates. No I/O; `now` comes in.
 * It gives the event loop a turn every {@link YIELD_EVERY} items.
 */
import type { SourceConfig } from '../config/schema.ts';
import { assignTopics } from '../classify/assign-topics.ts';
import { parseDocument } from '../formats/parse-document.ts';
import type { ArticleRecord } from '../model/article-record.ts';
import type { FormatName, RawItem } from '../model/raw-item.ts';
import { WireError, isWireError, type ErrorCode } from '../model/wire-error.ts';
import { parseDate } from '../normalize/dates.ts';
import { normalizeItem } from '../normalize/normalize-item.ts';
import type { Pipeline } from './pipeline.ts';

/** The guid of the one item of a dropped file that has none: its file name. */
function fileGuid(fileName: string): string {
  return `file:${fileName}`;
}

/** Items normalized between two turns of the event loop. */
const YIELD_EVERY = 50;

export interface DocumentInput {
  body: string;
  contentType?: string | null;
  /** The document's URL (fetch URL), base for relative links. */
  url?: string | null;
  format?: FormatName;
  /**
   * The name of the dropped file the document came in. A file of one item with neither guid nor
   * URL (plain-text wire copy) is identified by it, so the same name dropped again with corrected
   * text updates the story instead of adding a second one.
   */
  fileName?: string;
}

/** An item that could not become an article: kept as a dead letter by the ingest worker. */
export interface SkippedItem {
  index: number;
  /** The message of the failure; `code` its catalogue code when it has one. */
  reason: string;
  code: ErrorCode | null;
  /** The item as parsed, for its dead letter (and a retry of it alone). */
  item: RawItem;
}

/** What an item is normalized against besides itself: its document's head and base URL. */
export interface ItemContext {
  document: { title?: string; link?: string; language?: string };
  baseUrl?: string;
}

export interface IngestOutcome {
  format: FormatName;
  articles: ArticleRecord[];
  /** Items that could not become articles, with the reason; the others still go through. */
  skipped: SkippedItem[];
  /** The context the items were normalized in (an item's dead letter keeps it). */
  context: ItemContext;
  /** What had to be repaired for the document to be read (RawDocument.repaired); absent when nothing. */
  repaired?: string[];
}

/**
 * Turns a document into article records for `source`.
 * @throws WireError when the document as a whole cannot be used (not a feed, malformed, empty).
 */
export async function ingestDocument(
  input: DocumentInput,
  source: SourceConfig,
  pipeline: Pipeline,
  now: Date,
): Promise<IngestOutcome> {
  const doc = await parseDocument(input.body, { format: input.format, contentType: input.contentType });
  const context: ItemContext = { document: { title: doc.title, link: doc.link, language: doc.language }, baseUrl: doc.link ?? input.url ?? undefined };
  const named = input.fileName !== undefined && doc.items.length === 1 ? input.fileName : undefined;
  const { articles, skipped } = await ingestItems(doc.items, context, source, pipeline, now, named);
  if (doc.items.length > 0 && articles.length === 0) {
    throw new WireError('EMPTY_DOCUMENT', `no usable item in ${doc.items.length}: ${skipped[0]?.reason ?? 'unknown'}`);
  }
  return { format: doc.format, articles, skipped, context, ...(doc.repaired?.length ? { repaired: doc.repaired } : {}) };
}

/**
 * Turns parsed items into article records for `source` (a document's, or one item retried from
 * its dead letter). `fileName`: the dropped file a single guid-less item is identified by.
 */
export async function ingestItems(
  items: readonly RawItem[],
  context: ItemContext,
  source: SourceConfig,
  pipeline: Pipeline,
  now: Date,
  fileName?: string,
): Promise<{ articles: ArticleRecord[]; skipped: SkippedItem[] }> {
  const byId = new Map<string, ArticleRecord>();
  const skipped: SkippedItem[] = [];
  const categories = pipeline.categories.get(source.id);
  const { document, baseUrl } = context;

  for (const [index, raw] of items.entries()) {
    // A document of thousands of items must not hold the event loop for seconds: the worker's
    // job lock is renewed on a timer (a lock that lapses runs the job twice), and /healthz
    // answers from the same loop.
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const named = fileName !== undefined && !raw.guid && !raw.url;
      const article = normalizeItem(named ? { ...raw, guid: fileGuid(fileName) } : raw, {
        sourceId: source.id,
        now,
        languageHint: source.language,
        baseUrl,
        document,
      });
      // Provider state travels with the record: the store keeps canceled and embargoed
      // articles out of the feeds, and orders versions by `updated`.
      article.status = raw.status ?? 'usable';
      article.version = raw.version ?? null;
      article.embargoUntil = raw.embargo ? (parseDate(raw.embargo)?.toISOString() ?? null) : null;
      article.provider = raw.provider ?? null;
      article.subjects = raw.subjects ?? [];
      article.topics = assignTopics(article, source, pipeline.topicContext, categories);
      // A feed that repeats an item keeps its last occurrence.
      byId.set(article.id, article);
    } catch (err) {
      skipped.push({ index, reason: err instanceof Error ? err.message : String(err), code: isWireError(err) ? err.code : null, item: raw });
    }
  }
  return { articles: [...byId.values()], skipped };
}
