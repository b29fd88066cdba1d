/**
 * A feed is its head and the entries of its newest articles (issue 10, point 8). An entry depends
 * only on its article and on the context of the feed's language (`EntryContext`), so the publish
 * worker renders it once, stores it (src/store/entry-store.ts), and joins stored entries to a
 * freshly rendered head on every later publish of every feed the article is in. Pure.
 */
import { createHash } from 'node:crypto';

import type { ArticleRecord } from '../model/article-record.ts';
import type { FeedPaging } from './archive.ts';
import type { EntryContext } from './article-view.ts';
import { atomEntry, renderAtomDocument } from './atom.ts';
import type { FeedFormat } from './feed-catalog.ts';
import type { FeedMeta } from './feed-meta.ts';
import { jsonFeedEntry, renderJsonFeedDocument } from './json-feed.ts';
import { renderRssDocument, rssEntry } from './rss.ts';

const RENDERERS: Record<FeedFormat, {
  entry: (article: ArticleRecord, context: EntryContext) => string;
  document: (meta: FeedMeta, entries: readonly string[], paging?: FeedPaging) => string;
}> = {
  rss: { entry: rssEntry, document: renderRssDocument },
  atom: { entry: atomEntry, document: renderAtomDocument },
  json: { entry: jsonFeedEntry, document: renderJsonFeedDocument },
};

/** One article's entry in one format, as every feed of `context` carries it. */
export function renderEntry(format: FeedFormat, article: ArticleRecord, context: EntryContext): string {
  return RENDERERS[format].entry(article, context);
}

/** The document of `meta` in `format` with `entries` (rendered by {@link renderEntry} in the feed's context) as its items. */
export function renderDocument(format: FeedFormat, meta: FeedMeta, entries: readonly string[], paging?: FeedPaging): string {
  return RENDERERS[format].document(meta, entries, paging);
}

/**
 * Where an entry is kept among an article's entries: its format and the feed language of its
 * context (`*` for the mixed feeds, which label each story in its own language).
 */
export function entrySlot(format: FeedFormat, context: EntryContext): string {
  return `${format}:${context.feedLanguage ?? '*'}`;
}

/**
 * What the renderings of one configuration depend on besides the article and the feed language:
 * the renderer's version, the public URL (links to article pages) and the topics' titles
 * (category labels). A change of any gives every entry a new revision.
 */
export function renderFingerprint(version: string, context: Pick<EntryContext, 'publicUrl' | 'topics'>): string {
  return createHash('sha256').update(JSON.stringify([version, context.publicUrl, context.topics ?? []])).digest('base64url').slice(0, 16);
}

/**
 * The revision of `article`'s entries: a digest of the whole record and the fingerprint, so an
 * entry stored for an older version of the article, or by another configuration, is never used.
 */
export function entryRevision(article: ArticleRecord, fingerprint: string): string {
  return createHash('sha256').update(fingerprint).update('\n').update(JSON.stringify(article)).digest('base64url').slice(0, 22);
}
