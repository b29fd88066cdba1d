/**
 * RSS 2.0, written by the `feed` library through the adapter, with the RSS Best Practices
 * Profile's conventions: plain-text fields use hexadecimal character references, authors are
 * `dc:creator` (RSS's own `<author>` must be an e-mail address), the lead image is `media:content`.
 */
import type { ArticleRecord } from '../model/article-record.ts';
import { FH_NAMESPACE, withPagingLinks, type FeedPaging } from './archive.ts';
import { entryContext, languageTag, viewArticle } from './article-view.ts';
import type { ArticleView, EntryContext } from './article-view.ts';
import { cdata, insertEntries, renderEntryWithFeed, renderWithFeed, text } from './feed-adapter.ts';
import type { LibraryExtension, LibraryItem } from './feed-adapter.ts';
import type { FeedMeta } from './feed-meta.ts';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
};

/**
 * Renders `articles` (newest first, kept in that order) as an RSS 2.0 document: the head of
 * {@link renderRssDocument} and the entry of {@link rssEntry} for each article.
 *
 * Per item: `guid` is the article's guid (see `ArticleView.id`; `isPermaLink="true"` only when it
 * is the story's URL), `link` the story's URL or else its page here (`/articles/{id}`), `description` the summary,
 * `content:encoded` the body, `pubDate` the publication date; right-to-left stories are wrapped
 * in `<div dir="rtl">`.
 *
 * @throws TypeError when `meta.homeUrl` or a self URL is not an absolute URL (a configuration error).
 */
export function renderRss(meta: FeedMeta, articles: readonly ArticleRecord[], paging?: FeedPaging): string {
  const context = entryContext(meta);
  return renderRssDocument(meta, articles.map((article) => rssEntry(article, context)), paging);
}

/**
 * The RSS 2.0 document of `meta` with `entries` (from {@link rssEntry}, rendered in this feed's
 * context: the context of its language) as its items.
 *
 * `paging` places the document in its feed's archive (RFC 5005): `atom:link` `prev-archive` on
 * the subscription feed; `current`, `prev-archive`, `next-archive` and `<fh:archive/>` on an
 * archive page (whose `meta.selfUrls` are the page's own).
 */
export function renderRssDocument(meta: FeedMeta, entries: readonly string[], paging?: FeedPaging): string {
  const language = languageTag(meta.language);
  const namespaces = paging?.kind === 'archive' ? { ...NAMESPACES, 'xmlns:fh': FH_NAMESPACE } : NAMESPACES;
  const head = renderWithFeed({
    format: 'rss',
    characterReferences: 'hex',
    options: {
      title: text(meta.title),
      description: text(meta.description),
      link: meta.homeUrl,
      ...(language ? { language } : {}),
      updated: meta.updated,
      generator: text(meta.generator),
      feedLinks: { rss: meta.selfUrls.rss },
      ...(meta.hubUrl ? { hub: meta.hubUrl } : {}),
    },
    items: [],
    // The library declares only the namespaces its own elements use; ours come as extensions.
    patch: (tag) => (tag.name === 'rss' && tag.parents.length === 0 ? { set: namespaces } : undefined),
  });
  return insertEntries(withPagingLinks(head, 'rss', paging), 'rss', entries);
}

/** The `<item>` element of `article` as it stands in every RSS feed of `context`. */
export function rssEntry(article: ArticleRecord, context: EntryContext): string {
  const view = viewArticle(article, context.fallbackDate, context);
  return renderEntryWithFeed({
    format: 'rss',
    characterReferences: 'hex',
    options: { title: '', link: context.publicUrl, updated: context.fallbackDate },
    items: [toItem(view, context.feedLanguage)],
  });
}

function toItem(view: ArticleView, channelLanguage: string | undefined): LibraryItem {
  // Extensions replace the library's element of the same name in place: its title is a CDATA
  // section (flagged by the RSS profile) and its guid is never a permalink.
  const extensions: LibraryExtension[] = [
    {
      name: 'guid',
      objects: { _text: text(view.id), _attributes: { isPermaLink: String(view.idIsUrl) } },
    },
  ];
  if (view.headline) extensions.push({ name: 'title', objects: { _text: text(view.headline) } });
  if (view.authors.length > 0) {
    // xml-js writes an array as repeated elements; the library's type only admits one object.
    const creators = view.authors.map((author) => ({ _text: text(author) }));
    extensions.push({ name: 'dc:creator', objects: creators as unknown as Record<string, unknown> });
  }
  // A mixed feed (or a story in another language than its feed's) says each item's language.
  if (view.language && view.language !== channelLanguage) {
    extensions.push({ name: 'dc:language', objects: { _text: text(view.language) } });
  }
  if (view.image) {
    const { url, type, caption, credit } = view.image;
    extensions.push({
      name: 'media:content',
      objects: {
        _attributes: { url: text(url), medium: 'image', ...(type ? { type } : {}) },
        ...(caption ? { 'media:description': { _attributes: { type: 'plain' }, _text: text(caption) } } : {}),
        ...(credit ? { 'media:credit': { _text: text(credit) } } : {}),
      },
    });
  }
  return {
    title: text(view.headline),
    id: text(view.id),
    ...(view.link ? { link: view.link } : {}),
    date: view.updated,
    published: view.published,
    ...descriptionAndContent(view),
    category: [
      ...view.topics.map((topic) => ({ name: text(topic.label), domain: text(topic.uri) })),
      ...view.keywords.map((keyword) => ({ name: text(keyword), domain: text(view.keywordScheme) })),
    ],
    // RSS 2.0 requires url, length and type; the record does not know an image's size, and the
    // RSS Best Practices Profile says to write 0 then. Without a known type there is no enclosure.
    ...(view.image?.type ? { enclosure: { url: view.image.url, type: view.image.type, length: 0 } } : {}),
    extensions,
  };
}

/**
 * The summary goes to `description` and the body to `content:encoded`. Without a summary the body
 * moves to `description`: the RSS profile wants a description before any content:encoded, and a
 * copy of the body in both would double the feed's size.
 */
function descriptionAndContent(view: ArticleView): Pick<LibraryItem, 'description' | 'content'> {
  if (!view.summaryHtml) return view.contentHtml ? { description: cdata(view.contentHtml) } : {};
  return {
    description: cdata(view.summaryHtml),
    ...(view.contentHtml ? { content: cdata(view.contentHtml) } : {}),
  };
}
