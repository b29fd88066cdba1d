/**
 * Atom 1.0 (RFC 4287), written by the `feed` library through the adapter and then corrected
 * where the library cannot express what we mean: language (`xml:lang`), plain-text titles,
 * and the image's media type. Entries link to the story, or to its page here when it has none.
 */
import type { ArticleRecord } from '../model/article-record.ts';
import { FH_NAMESPACE, withPagingLinks, type FeedPaging } from './archive.ts';
import { entryContext, languageTag, viewArticle, wrapDirection } from './article-view.ts';
import type { ArticleView, EntryContext } from './article-view.ts';
import { cdata, insertEntries, renderEntryWithFeed, renderWithFeed, text } from './feed-adapter.ts';
import type { LibraryItem } from './feed-adapter.ts';
import type { FeedMeta } from './feed-meta.ts';
import type { StartTag, TagPatch } from './xml-patch.ts';
import { escapeHtml } from './xml-text.ts';

/**
 * Renders `articles` (newest first, kept in that order) as an Atom 1.0 document: the head of
 * {@link renderAtomDocument} and the entry of {@link atomEntry} for each article.
 *
 * The feed carries `xml:lang` when it is single-language; an entry carries its own `xml:lang`
 * when its language differs from the feed's (`xml:lang=""` when unknown inside a feed that has
 * one). Titles are `type="text"`, summary and content `type="html"`, right-to-left stories
 * wrapped in `<div dir="rtl">`.
 *
 * @throws TypeError when `meta.homeUrl` or a self URL is not an absolute URL (a configuration error).
 */
export function renderAtom(meta: FeedMeta, articles: readonly ArticleRecord[], paging?: FeedPaging): string {
  const context = entryContext(meta);
  return renderAtomDocument(meta, articles.map((article) => atomEntry(article, context)), paging);
}

/**
 * The Atom 1.0 document of `meta` with `entries` (from {@link atomEntry}, rendered in the context
 * of this feed's language) as its entries.
 *
 * `paging` places the document in its feed's archive (RFC 5005): `prev-archive` on the
 * subscription feed; `current`, `prev-archive`, `next-archive` and `<fh:archive/>` on an archive
 * page, whose `meta.selfUrls` are the page's own and whose `atom:id` stays the subscription
 * feed's (the pages are documents of one feed).
 */
export function renderAtomDocument(meta: FeedMeta, entries: readonly string[], paging?: FeedPaging): string {
  const feedLanguage = languageTag(meta.language);
  const head = renderWithFeed({
    format: 'atom',
    characterReferences: 'named',
    options: {
      id: text(paging?.kind === 'archive' ? paging.current.atom : meta.selfUrls.atom),
      title: text(meta.title),
      ...(meta.description ? { description: text(meta.description) } : {}),
      link: meta.homeUrl,
      updated: meta.updated,
      generator: text(meta.generator),
      feedLinks: { atom: meta.selfUrls.atom },
      ...(meta.hubUrl ? { hub: meta.hubUrl } : {}),
      // No feed author: the feed is no one's writing. Every entry carries its own instead.
    },
    items: [],
    patch: atomPatch([], feedLanguage, paging?.kind === 'archive'),
  });
  return insertEntries(withPagingLinks(head, 'atom', paging), 'atom', entries);
}

/** The `<entry>` element of `article` as it stands in every Atom feed of `context`. */
export function atomEntry(article: ArticleRecord, context: EntryContext): string {
  const view = viewArticle(article, context.fallbackDate, context);
  return renderEntryWithFeed({
    format: 'atom',
    characterReferences: 'named',
    options: { id: context.publicUrl, title: '', link: context.publicUrl, updated: context.fallbackDate },
    items: [toItem(view)],
    patch: atomPatch([view], context.feedLanguage),
  });
}

function toItem(view: ArticleView): LibraryItem {
  let content = view.contentHtml;
  // An entry with neither content nor an alternate link is invalid Atom (RFC 4287 §4.1.2).
  if (!content && !view.link) {
    content = view.summaryHtml || wrapDirection(escapeHtml(view.headline), view.direction, view.language);
  }
  return {
    title: cdata(view.headline),
    id: view.id,
    ...(view.link ? { link: view.link } : {}),
    date: view.updated,
    published: view.published,
    ...(view.summaryHtml ? { description: cdata(view.summaryHtml) } : {}),
    ...(content ? { content: cdata(content) } : {}),
    // RFC 4287 §4.1.2 wants an author on every entry of a feed that has none; wire copy names no
    // person as often as not, and is then credited to whom it credits itself: the agency of its
    // dateline, the provider or the source (an author may be "a person, corporation, or similar entity").
    author: (view.authors.length > 0 ? view.authors : view.credits).map((name) => ({ name: text(name) })),
    category: [
      ...view.topics.map((topic) => ({ term: text(topic.term), scheme: topic.scheme, name: text(topic.label) })),
      ...view.keywords.map((keyword) => ({ term: text(keyword), scheme: view.keywordScheme })),
    ],
    // Atom's enclosure length is optional, and the record does not know the image's size.
    ...(view.image ? { image: view.image.url } : {}),
  };
}

function atomPatch(
  views: readonly ArticleView[],
  feedLanguage: string | undefined,
  archive = false,
): (tag: StartTag) => TagPatch | undefined {
  let entry: ArticleView | undefined;
  let entryIndex = -1;
  return (tag): TagPatch | undefined => {
    switch ([...tag.parents, tag.name].join('/')) {
      case 'feed': {
        const set = { ...(feedLanguage ? { 'xml:lang': feedLanguage } : {}), ...(archive ? { 'xmlns:fh': FH_NAMESPACE } : {}) };
        return Object.keys(set).length > 0 ? { set } : undefined;
      }
      case 'feed/link': {
        const rel = tag.attributes.get('rel');
        if (rel === 'alternate') return { set: { type: 'text/html' } };
        if (rel === 'self') return { set: { type: 'application/atom+xml' } };
        return undefined;
      }
      case 'feed/entry': {
        entryIndex += 1;
        entry = views[entryIndex];
        const language = entry?.language;
        if (language === feedLanguage) return undefined;
        // xml:lang="" declares "language unknown" instead of inheriting the feed's.
        return { set: { 'xml:lang': language ?? '' } };
      }
      case 'feed/entry/title':
        // The library declares every title HTML; ours are plain text, `<script>` included.
        return { set: { type: 'text' } };
      case 'feed/entry/link': {
        const rel = tag.attributes.get('rel');
        if (rel === undefined) return { set: { rel: 'alternate', type: 'text/html' } };
        // The library derives `image/<extension>` (`image/jpg`, `image/php`); ours is a real type or none.
        if (rel === 'enclosure') return { set: { type: entry?.image?.type ?? null } };
        return undefined;
      }
      default:
        return undefined;
    }
  };
}
