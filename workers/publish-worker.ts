/**
 * publish queue processor: one job per feed per coalescing window renders the feed's newest
 * articles in every format once and stores the bytes, and the feed's archive pages that filled
 * since (RFC 5005, src/store/archive-store.ts); `prune` jobs apply the retention.
 *
 * A document is its head, rendered on every publish, and the entries of its articles, each
 * rendered once per format and feed language and then kept (src/render/feed-entries.ts,
 * src/store/entry-store.ts): a publish renders only the entries of articles new or changed since.
 */
import type { Job } from 'bullmq';
import { VERSION } from '../src/config/load-config.ts';
import { pingHub } from '../src/fetch/websub-ping.ts';
import { JOB, schedulePublish, type PublishJobData } from '../src/queue/registry.ts';
import { CONTENT_TYPES, FEED_FORMATS, INDEX_PAGE, feedCatalog, feedMeta } from '../src/render/feed-catalog.ts';
import { INDEX_NEWEST, renderIndexPage } from '../src/render/index-page.ts';
import { archiveUrls, type FeedPaging } from '../src/render/archive.ts';
import { entryContext } from '../src/render/article-view.ts';
import type { FeedEntry, FeedFormat } from '../src/render/feed-catalog.ts';
import { entryRevision, entrySlot, renderDocument, renderEntry, renderFingerprint } from '../src/render/feed-entries.ts';
import type { FeedMeta } from '../src/render/feed-meta.ts';
import { withStylesheet } from '../src/render/feed-stylesheet.ts';
import type { ArticleRecord } from '../src/model/article-record.ts';
import type { EntryWrite } from '../src/store/entry-store.ts';
import type { WorkerDeps } from './deps.ts';

/** Archive pages rendered per publish job: a first run on a large store catches up over several jobs. */
export const ARCHIVE_PAGES_PER_JOB = 20;

export function publishProcessor(deps: WorkerDeps) {
  const catalog = new Map(feedCatalog(deps.config).map((f) => [f.id, f]));
  const topicFeeds = [...catalog.values()].filter((f) => f.kind === 'topic' && !f.language);
  const { publicUrl, feedSize, retention, publishWindow, websubHub, fetch: fetchSettings } = deps.config.settings;
  const generator = `Wirefeed ${VERSION}`;

  return async (job: Job<PublishJobData>) => {
    const now = deps.now();
    const republish = (feeds: string[]) => schedulePublish(deps.queues.publish, feeds.filter((f) => catalog.has(f)), now.getTime(), publishWindow);
    if (job.name === JOB.release || job.name === JOB.prune) {
      // The hourly prune also releases due embargoes, in case a release job was lost.
      const { released, changedFeeds } = await deps.articles.release(now.getTime());
      if (released > 0) {
        await republish(changedFeeds);
        deps.logger.info({ released }, 'embargoed articles released');
      }
      if (job.name === JOB.release) return { released };
      const pruned = await deps.articles.prune(now.getTime() - retention);
      if (pruned.removed > 0) {
        await republish(pruned.changedFeeds);
        deps.logger.info({ removed: pruned.removed }, 'retention: old articles removed');
      }
      return { released, removed: pruned.removed };
    }
    if (job.data.feed === INDEX_PAGE.id) return publishIndex(now);
    const entry = catalog.get(job.data.feed);
    if (!entry) return { skipped: 'unknown feed' };
    // The archive first, so that the feed links only pages that are stored.
    const archive = await publishArchive(entry, now);
    if (archive.behind) await republish([entry.id]);
    const articles = await deps.articles.newest(entry.id, feedSize);
    // The configuration's topics give every category its title, the operator's own topics too.
    const meta = { ...feedMeta(entry, publicUrl, articles, now, generator, deps.config.topics), ...(websubHub ? { hubUrl: websubHub } : {}) };
    const paging: FeedPaging = { kind: 'current', ...(archive.newest > 0 ? { prevArchive: archiveUrls(publicUrl, entry.path, archive.newest) } : {}) };
    const bodies = await documents(meta, articles, paging);
    const changed: string[] = [];
    for (const format of FEED_FORMATS) {
      if (await deps.feeds.put(entry.id, format, bodies[format], CONTENT_TYPES[format], now)) changed.push(`${publicUrl}${entry.path}.${format}`);
    }
    // The home page lists each topic's newest stories.
    if (changed.length > 0 && entry.kind === 'topic' && !entry.language) await schedulePublish(deps.queues.publish, [INDEX_PAGE.id], now.getTime(), publishWindow);
    if (websubHub && changed.length) {
      // Subscribers hear of the change now; a hub that fails costs them only the wait for a poll.
      const failed = await pingHub(websubHub, changed, { userAgent: fetchSettings.userAgent, timeoutMs: Math.min(fetchSettings.timeout, 10_000), signal: deps.signal });
      for (const f of failed) deps.logger.warn({ queue: 'publish', feed: entry.id, hub: websubHub, url: f.url }, `websub ping failed: ${f.reason}`);
    }
    deps.logger.debug({ queue: 'publish', feed: entry.id, articles: articles.length, written: changed.length, archivePages: archive.newest }, 'published');
    return { feed: entry.id, articles: articles.length, written: changed.length, archived: archive.rendered };
  };

  /** The home page with each topic's newest stories, stored like a feed. */
  async function publishIndex(now: Date) {
    const newest = new Map<string, Awaited<ReturnType<typeof deps.articles.newest>>>();
    for (const topic of topicFeeds) newest.set(topic.id, await deps.articles.newest(topic.id, INDEX_NEWEST));
    const body = renderIndexPage([...catalog.values()], publicUrl, VERSION, newest, now);
    const written = await deps.feeds.put(INDEX_PAGE.id, INDEX_PAGE.format, body, INDEX_PAGE.contentType, now);
    return { feed: INDEX_PAGE.id, written: written ? 1 : 0 };
  }

  /**
   * The feed's documents in every format: a head rendered now and the entries of `articles`, the
   * stored ones where their revision is current, the others rendered and stored. RSS and Atom
   * name the stylesheet that makes them readable in a browser.
   */
  async function documents(meta: FeedMeta, articles: readonly ArticleRecord[], paging: FeedPaging): Promise<Record<FeedFormat, string>> {
    const context = entryContext(meta);
    const fingerprint = renderFingerprint(generator, context);
    const slots = FEED_FORMATS.map((format) => entrySlot(format, context));
    const wanted = articles.map((article) => ({ id: article.id, rev: entryRevision(article, fingerprint) }));
    const stored = await deps.feeds.entries.read(wanted, slots);
    const writes: EntryWrite[] = [];
    const bodies = {} as Record<FeedFormat, string>;
    FEED_FORMATS.forEach((format, j) => {
      const entries = articles.map((article, i) => {
        const kept = stored[i]![j];
        if (kept !== undefined) return kept;
        const entry = renderEntry(format, article, context);
        writes.push({ id: article.id, rev: wanted[i]!.rev, slot: slots[j]!, entry });
        return entry;
      });
      const document = renderDocument(format, meta, entries, paging);
      bodies[format] = format === 'json' ? document : withStylesheet(document);
    });
    if (writes.length > 0) await deps.feeds.entries.write(writes);
    return bodies;
  }

  /**
   * Numbers the feed's newcomers, renders and stores the archive pages that filled (at most
   * {@link ARCHIVE_PAGES_PER_JOB}), and takes away the oldest pages whose articles retention has
   * all removed. `newest`: the newest full page stored (0: none); `behind`: more to do.
   */
  async function publishArchive(entry: FeedEntry, now: Date): Promise<{ newest: number; rendered: number; behind: boolean }> {
    const archives = deps.feeds.archives;
    const state = await archives.sequence(entry.id, feedSize);
    const full = Math.floor(state.next / state.size);
    const upto = Math.min(full, state.pages + ARCHIVE_PAGES_PER_JOB);
    const current = { rss: `${publicUrl}${entry.path}.rss`, atom: `${publicUrl}${entry.path}.atom`, json: `${publicUrl}${entry.path}.json` };
    for (let page = state.pages + 1; page <= upto; page++) {
      const articles = await deps.articles.getMany(await archives.pageIds(entry.id, page, state.size));
      const urls = archiveUrls(publicUrl, entry.path, page);
      const meta = { ...feedMeta(entry, publicUrl, articles, now, generator, deps.config.topics), selfUrls: urls };
      const paging: FeedPaging = {
        kind: 'archive',
        current,
        ...(page > 1 ? { prevArchive: archiveUrls(publicUrl, entry.path, page - 1) } : {}),
        nextArchive: archiveUrls(publicUrl, entry.path, page + 1),
      };
      const bodies = await documents(meta, articles, paging);
      for (const format of FEED_FORMATS) await deps.feeds.putArchive(entry.id, page, format, bodies[format], CONTENT_TYPES[format], now);
    }
    const marked = upto > state.pages ? await archives.mark(entry.id, upto) : { pages: state.pages, first: state.first };
    let first = marked.first;
    const gone = await archives.expired(entry.id, { size: state.size, pages: marked.pages, first });
    if (gone.length > 0) {
      for (const page of gone) await deps.feeds.deleteArchive(entry.id, page, FEED_FORMATS);
      ({ first } = await archives.mark(entry.id, 0, gone.at(-1)! + 1));
      deps.logger.info({ queue: 'publish', feed: entry.id, pages: gone }, 'retention: archive pages removed, their articles all pruned');
    }
    // Every page gone: the feed links none.
    const newest = marked.pages >= first ? marked.pages : 0;
    return { newest, rendered: upto - state.pages, behind: state.more || upto < full };
  }
}
