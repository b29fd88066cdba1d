/**
 * What a renderer needs to know about a feed besides its articles.
 */
import type { TopicTitles } from '../classify/top-level-topics.ts';
import type { ArticleRecord } from '../model/article-record.ts';

/** Channel-level facts of one feed; the same object renders every format. */
export interface FeedMeta {
  /** Stable feed id, e.g. 'economy', 'all'. */
  id: string;
  title: string;
  description: string;
  /** BCP 47 tag when the feed is single-language (e.g. 'ar'); undefined for mixed feeds. */
  language?: string;
  /** Absolute URL of the service's home page (PUBLIC_URL + '/'). */
  homeUrl: string;
  /** Absolute self URLs of this feed in each format. */
  selfUrls: { rss: string; atom: string; json: string };
  /** When the feed last changed: the newest article's `updated`, or the time of rendering for an empty feed. */
  updated: Date;
  /** e.g. 'Wirefeed 0.1.0' */
  generator: string;
  /** WebSub hub URL when configured. */
  hubUrl?: string;
  /**
   * The configured topics' titles, for human-readable category labels; default the 17 top-level
   * IPTC Media Topics (an operator's own topic is then labelled with its slug).
   */
  topics?: readonly { slug: string; code?: string; title: TopicTitles }[];
}

/**
 * The `updated` a feed of `articles` should carry: the latest `updated` (or, where that is not a
 * date, `published`) among them, or `renderedAt` when there is none. Scans every article because
 * articles come ordered by publication, and an older story may have been corrected last.
 */
export function feedUpdatedAt(articles: readonly ArticleRecord[], renderedAt: Date): Date {
  let latest = Number.NEGATIVE_INFINITY;
  for (const article of articles) {
    const time = parseTime(article.updated) ?? parseTime(article.published);
    if (time !== undefined && time > latest) latest = time;
  }
  return Number.isFinite(latest) ? new Date(latest) : renderedAt;
}

/**
 * Milliseconds since the epoch for an ISO 8601 string, or undefined when it is not a date that
 * every feed format can write (years 0001..9999).
 */
export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  const year = new Date(time).getUTCFullYear();
  return year >= 1 && year <= 9999 ? time : undefined;
}
