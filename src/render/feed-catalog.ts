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

/**
 * The home page, published like a feed (its newest stories change with the topic feeds): its id
 * in the publish queue and the feed store, which no feed id can take (those start with a letter
 * or digit), and its one format.
 */
export const INDEX_PAGE = { id: ':index', format: 'html', contentType: 'text/html; charset=utf-8' } as const;

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

/** Feed texts in the languages the service speaks; others fall back to English. */
const TEXTS: Record<string, { all: string; allDescription: string; topicDescription: (topic: string) => string }> = {
  en: {
    all: 'all articles',
    allDescription: 'Every article in English from every source, newest first.',
    topicDescription: (t) => `Articles in English on ${t.toLowerCase()}, from every source.`,
  },
  ar: {
    all: 'كل الأخبار',
    allDescription: 'كل الأخبار باللغة العربية من كل المصادر، الأحدث أولاً.',
    topicDescription: (t) => `أخبار ${t} باللغة العربية من كل المصادر.`,
  },
  fr: {
    all: 'tous les articles',
    allDescription: 'Tous les articles en français, de toutes les sources, les plus récents d’abord.',
    topicDescription: (t) => `Articles en français sur le thème « ${t} », de toutes les sources.`,
  },
};

/**
 * Every feed: `all`, one per topic, one per enabled source, and for each language in
 * `feedLanguages` a variant of `all` and of every topic (`economy.ar`) titled in that language.
 */
export function feedCatalog(config: Pick<WirefeedConfig, 'topics' | 'sources' | 'settings'>): FeedEntry[] {
  const feeds: FeedEntry[] = [
    { id: 'all', kind: 'all', path: '/feeds/all', title: 'Wirefeed · all articles', description: 'Every article from every source, newest first.' },
  ];
  for (const lang of config.settings.feedLanguages) {
    const t = TEXTS[lang] ?? TEXTS.en!;
    feeds.push({ id: `all.${lang}`, kind: 'all', path: `/feeds/all.${lang}`, title: `Wirefeed · ${t.all} (${lang})`, description: t.allDescription, language: lang });
  }
  for (const topic of config.topics) {
    feeds.push({
      id: topic.slug,
      kind: 'topic',
      path: `/feeds/${topic.slug}`,
      title: `Wirefeed · ${bilingual(topic.title)}`,
      description: `Articles on ${topic.title.en.toLowerCase()}${topic.code ? ` (IPTC Media Topic ${topic.code})` : ''}, from every source.`,
      code: topic.code || undefined,
    });
    for (const lang of config.settings.feedLanguages) {
      const t = TEXTS[lang] ?? TEXTS.en!;
      const title = topic.title[lang] ?? topic.title.en;
      feeds.push({
        id: `${topic.slug}.${lang}`,
        kind: 'topic',
        path: `/feeds/${topic.slug}.${lang}`,
        title: `Wirefeed · ${title}`,
        description: t.topicDescription(title),
        language: lang,
        code: topic.code || undefined,
      });
    }
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

/**
 * FeedMeta for rendering `entry` with `articles` (newest first). `topics` (the configuration's)
 * give the categories their titles; without them only the built-in IPTC topics have one.
 */
export function feedMeta(
  entry: FeedEntry,
  publicUrl: string,
  articles: readonly ArticleRecord[],
  now: Date,
  generator: string,
  topics?: FeedMeta['topics'],
): FeedMeta {
  return {
    ...(topics ? { topics } : {}),
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
