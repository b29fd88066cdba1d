/**
 * Every feed the service publishes, derived from the configuration: one per topic, `all`, and one
 * per source. Pure; the publish worker and the HTTP server (OPML, index page) share it.
 */
import type { TopicTitles } from '../classify/top-level-topics.ts';
import type { WirefeedConfig } from '../config/load-config.ts';
import type { ArticleRecord } from '../model/article-record.ts';
import { feedUpdatedAt, type FeedMeta } from './feed-meta.ts';

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export interface FeedEntry {
  /** Store id: topic slug, `all`, or `source:<id>`. */
  id: string;
  kind: 'topic' | 'all' | 'source';
  /** URL path without extension, e.g. `/feeds/economy`, `/feeds/source/agency-inbox`. */
  path: string;
  title: string;
  description: string;
  language?: string;
  /** IPTC code for topic feeds. */
  code?: string;
}

function bilingual(title: TopicTitles): string {
  return title.ar && title.ar !== title.en ? `${title.en} · ${title.ar}` : title.en;
}

export function feedCatalog(config: Pick<WirefeedConfig, 'topics' | 'sources'>): FeedEntry[] {
  const feeds: FeedEntry[] = [
    { id: 'all', kind: 'all', path: '/feeds/all', title: 'Wirefeed · all articles', description: 'Every article from every source, newest first.' },
  ];
  for (const t of config.topics) {
    feeds.push({
      id: t.slug,
      kind: 'topic',
      path: `/feeds/${t.slug}`,
      title: `Wirefeed · ${bilingual(t.title)}`,
      description: `Articles on ${t.title.en.toLowerCase()}${t.code ? ` (IPTC Media Topic ${t.code})` : ''}, from every source.`,
      code: t.code || undefined,
    });
  }
  for (const s of config.sources) {
    if (!s.enabled) continue;
    feeds.push({
      id: `source:${s.id}`,
      kind: 'source',
      path: `/feeds/source/${s.id}`,
      title: `Wirefeed · ${s.title ?? s.id}`,
      description: `Articles from the source ${s.title ?? s.id}.`,
      language: s.language,
    });
  }
  return feeds;
}

/** FeedMeta for rendering `entry` with `articles` (newest first). */
export function feedMeta(entry: FeedEntry, publicUrl: string, articles: readonly ArticleRecord[], now: Date, generator: string): FeedMeta {
  return {
    id: entry.id,
    title: entry.title,
    description: entry.description,
    language: entry.language,
    homeUrl: `${publicUrl}/`,
    selfUrls: {
      rss: `${publicUrl}${entry.path}.rss`,
      atom: `${publicUrl}${entry.path}.atom`,
      json: `${publicUrl}${entry.path}.json`,
    },
    updated: feedUpdatedAt(articles, now),
    generator,
  };
}
