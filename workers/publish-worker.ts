/**
 * publish queue processor: one job per feed per coalescing window renders the feed's newest
 * articles in every format once and stores the bytes; `prune` jobs apply the retention.
 */
import type { Job } from 'bullmq';
import { VERSION } from '../src/config/load-config.ts';
import { pingHub } from '../src/fetch/websub-ping.ts';
import { JOB, schedulePublish, type PublishJobData } from '../src/queue/registry.ts';
import { CONTENT_TYPES, FEED_FORMATS, feedCatalog, feedMeta } from '../src/render/feed-catalog.ts';
import { renderAtom } from '../src/render/atom.ts';
import { withStylesheet } from '../src/render/feed-stylesheet.ts';
import { renderJsonFeed } from '../src/render/json-feed.ts';
import { renderRss } from '../src/render/rss.ts';
import type { WorkerDeps } from './deps.ts';

export function publishProcessor(deps: WorkerDeps) {
  const catalog = new Map(feedCatalog(deps.config).map((f) => [f.id, f]));
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
    const entry = catalog.get(job.data.feed);
    if (!entry) return { skipped: 'unknown feed' };
    const articles = await deps.articles.newest(entry.id, feedSize);
    // The configuration's topics give every category its title, the operator's own topics too.
    const meta = { ...feedMeta(entry, publicUrl, articles, now, generator, deps.config.topics), ...(websubHub ? { hubUrl: websubHub } : {}) };
    // RSS and Atom name the stylesheet that makes them readable in a browser.
    const bodies = { rss: withStylesheet(renderRss(meta, articles)), atom: withStylesheet(renderAtom(meta, articles)), json: renderJsonFeed(meta, articles) };
    const changed: string[] = [];
    for (const format of FEED_FORMATS) {
      if (await deps.feeds.put(entry.id, format, bodies[format], CONTENT_TYPES[format], now)) changed.push(`${publicUrl}${entry.path}.${format}`);
    }
    if (websubHub && changed.length) {
      // Subscribers hear of the change now; a hub that fails costs them only the wait for a poll.
      const failed = await pingHub(websubHub, changed, { userAgent: fetchSettings.userAgent, timeoutMs: Math.min(fetchSettings.timeout, 10_000), signal: deps.signal });
      for (const f of failed) deps.logger.warn({ queue: 'publish', feed: entry.id, hub: websubHub, url: f.url }, `websub ping failed: ${f.reason}`);
    }
    deps.logger.debug({ queue: 'publish', feed: entry.id, articles: articles.length, written: changed.length }, 'published');
    return { feed: entry.id, articles: articles.length, written: changed.length };
  };
}
