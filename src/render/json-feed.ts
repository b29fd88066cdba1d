/**
 * JSON Feed 1.1 (https://jsonfeed.org/version/1.1), built as a plain object: the `feed` library
 * writes only version 1 (no `language`, a single `author`), see the adapter test.
 */
import type { ArticleRecord } from '../model/article-record.ts';
import type { FeedPaging } from './archive.ts';
import { entryContext, httpUrl, languageTag, viewArticle } from './article-view.ts';
import type { ArticleView, EntryContext } from './article-view.ts';
import type { FeedMeta } from './feed-meta.ts';
import { cleanText } from './xml-text.ts';

/** The top-level object of a JSON Feed 1.1 document, as far as Wirefeed fills it. */
export interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url: string;
  feed_url: string;
  /** The older items: the newest archive page from the feed, the page before from a page. */
  next_url?: string;
  description?: string;
  language?: string;
  hubs?: { type: string; url: string }[];
  items: JsonFeedItem[];
}

export interface JsonFeedItem {
  id: string;
  url?: string;
  title?: string;
  summary?: string;
  content_html?: string;
  content_text?: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors?: { name: string }[];
  tags?: string[];
  language?: string;
}

/**
 * Renders `articles` (newest first, kept in that order) as a JSON Feed 1.1 document: the head of
 * {@link renderJsonFeedDocument} and the item of {@link jsonFeedEntry} for each article.
 *
 * Items carry both `content_html` (right-to-left stories wrapped in `<div dir="rtl">`) and
 * `content_text`; `language` is set on the feed when it is single-language and on every item
 * whose language is known.
 */
export function renderJsonFeed(meta: FeedMeta, articles: readonly ArticleRecord[], paging?: FeedPaging): string {
  const context = entryContext(meta);
  return renderJsonFeedDocument(meta, articles.map((article) => jsonFeedEntry(article, context)), paging);
}

/** How the document's items are indented: the items array's elements, two levels down. */
const ITEM_INDENT = '    ';

/**
 * The JSON Feed 1.1 document of `meta` with `entries` (from {@link jsonFeedEntry}) as its items:
 * byte for byte what `JSON.stringify(feed, null, 2)` writes for the whole feed.
 *
 * `paging` (the feed's archive): `next_url` names the older items, the newest archive page from
 * the feed and the previous page from a page; an archive page's `feed_url` stays the feed's own,
 * which JSON Feed makes the feed's identifier.
 */
export function renderJsonFeedDocument(meta: FeedMeta, entries: readonly string[], paging?: FeedPaging): string {
  const language = languageTag(meta.language);
  const description = cleanText(meta.description).trim();
  const feed: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: cleanText(meta.title),
    home_page_url: meta.homeUrl,
    feed_url: paging?.kind === 'archive' ? paging.current.json : meta.selfUrls.json,
    ...(paging?.prevArchive ? { next_url: paging.prevArchive.json } : {}),
    ...(description ? { description } : {}),
    ...(language ? { language } : {}),
    ...(meta.hubUrl && httpUrl(meta.hubUrl) ? { hubs: [{ type: 'WebSub', url: meta.hubUrl }] } : {}),
    items: [],
  };
  const head = JSON.stringify(feed, null, 2);
  if (entries.length === 0) return head;
  // `items` is the last member: its empty array closes the document.
  const empty = head.lastIndexOf('"items": []');
  return `${head.slice(0, empty)}"items": [\n${ITEM_INDENT}${entries.join(`,\n${ITEM_INDENT}`)}\n  ]${head.slice(empty + '"items": []'.length)}`;
}

/** The item of `article` as it stands in every JSON Feed of `context`, indented for its place in the document. */
export function jsonFeedEntry(article: ArticleRecord, context: EntryContext): string {
  const item = toItem(viewArticle(article, context.fallbackDate, context));
  return JSON.stringify(item, null, 2).replace(/\n/g, `\n${ITEM_INDENT}`);
}

function toItem(view: ArticleView): JsonFeedItem {
  // JSON Feed requires content_html or content_text on every item.
  const text = view.contentText || view.summary || view.headline;
  // Tags are labels only: topic titles in the feed's language, then the source's own categories.
  const tags = uniqueTags([...view.topics.map((topic) => topic.label), ...view.keywords]);
  return {
    id: view.id,
    ...(view.link ? { url: view.link } : {}),
    ...(view.headline ? { title: view.headline } : {}),
    ...(view.summary ? { summary: view.summary } : {}),
    ...(view.contentHtml ? { content_html: view.contentHtml } : {}),
    content_text: text,
    ...(view.image ? { image: view.image.url } : {}),
    date_published: view.published.toISOString(),
    date_modified: view.updated.toISOString(),
    ...(view.authors.length > 0 ? { authors: view.authors.map((name) => ({ name })) } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(view.language ? { language: view.language } : {}),
  };
}

function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = tag.toLowerCase();
    if (!tag || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
