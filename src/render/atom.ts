/**
 * Atom 1.0 (RFC 4287), written by the `feed` library through the adapter and then corrected
 * where the library cannot express what we mean: language (`xml:lang`), plain-text titles,
 * entries without a web page, and the image's media type.
 */
import type { ArticleRecord } from '../model/article-record.ts';
import { languageTag, viewArticle, wrapDirection } from './article-view.ts';
import type { ArticleView } from './article-view.ts';
import { cdata, renderWithFeed, text } from './feed-adapter.ts';
import type { LibraryItem } from './feed-adapter.ts';
import type { FeedMeta } from './feed-meta.ts';
import type { StartTag, TagPatch } from './xml-patch.ts';
import { escapeHtml } from './xml-text.ts';

/**
 * Renders `articles` (newest first, kept in that order) as an Atom 1.0 document.
 *
 * The feed carries `xml:lang` when it is single-language; an entry carries its own `xml:lang`
 * when its language differs from the feed's (`xml:lang=""` when unknown inside a feed that has
 * one). Titles are `type="text"`, summary and content `type="html"`, right-to-left stories
 * wrapped in `<div dir="rtl">`.
 *
 * @throws TypeError when `meta.homeUrl` or a self URL is not an absolute URL (a configuration error).
 */
export function renderAtom(meta: FeedMeta, articles: readonly ArticleRecord[]): string {
  const views = articles.map((article) => viewArticle(article, meta.updated));
  const feedLanguage = languageTag(meta.language);
  return renderWithFeed({
    format: 'atom',
    characterReferences: 'named',
    options: {
      id: text(meta.selfUrls.atom),
      title: text(meta.title),
      ...(meta.description ? { description: text(meta.description) } : {}),
      link: meta.homeUrl,
      updated: meta.updated,
      generator: text(meta.generator),
      feedLinks: { atom: meta.selfUrls.atom },
      ...(meta.hubUrl ? { hub: meta.hubUrl } : {}),
      // RFC 4287 wants an author on the feed unless every entry has one; wire copy often has none.
      author: { name: text(meta.title) },
    },
    items: views.map(toItem),
    patch: atomPatch(views, feedLanguage),
  });
}

function toItem(view: ArticleView): LibraryItem {
  let content = view.contentHtml;
  // An entry with neither content nor an alternate link is invalid Atom (RFC 4287 §4.1.2).
  if (!content && !view.url) {
    content = view.summaryHtml || wrapDirection(escapeHtml(view.headline), view.direction, view.language);
  }
  return {
    title: cdata(view.headline),
    id: view.id,
    ...(view.url ? { link: view.url } : {}),
    date: view.updated,
    published: view.published,
    ...(view.summaryHtml ? { description: cdata(view.summaryHtml) } : {}),
    ...(content ? { content: cdata(content) } : {}),
    author: view.authors.map((name) => ({ name: text(name) })),
    category: view.categories.map((term) => ({ term: text(term) })),
    ...(view.image ? { image: view.image.url } : {}),
  };
}

function atomPatch(
  views: readonly ArticleView[],
  feedLanguage: string | undefined,
): (tag: StartTag) => TagPatch | undefined {
  let entry: ArticleView | undefined;
  let entryIndex = -1;
  return (tag): TagPatch | undefined => {
    switch ([...tag.parents, tag.name].join('/')) {
      case 'feed':
        return feedLanguage ? { set: { 'xml:lang': feedLanguage } } : undefined;
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
