/**
 * The service's home page: what it is and every feed it publishes. Topics are listed with their
 * titles in every feed language, each title linking to that language's feed; languages are
 * headed by their own name (العربية, English, Français) and laid out in their direction; the head
 * carries an autodiscovery link for every feed in every format, so a reader given the site's
 * address offers them all. Under each topic, its newest stories with their time, each linking to
 * its page here.
 *
 * The publish worker renders it with the newest stories whenever a topic feed changed and stores
 * it like a feed; the HTTP server renders it once at start without them, for as long as none is
 * stored.
 */
import { escapeAttribute, escapeUTF8 } from 'entities';
import type { ArticleRecord } from '../model/article-record.ts';
import { directionOf } from '../normalize/language.ts';
import { articlePageUrl } from './article-url.ts';
import { viewArticle } from './article-view.ts';
import { CONTENT_TYPES, FEED_FORMATS, type FeedEntry, type FeedFormat } from './feed-catalog.ts';

/** Stories listed under each topic. */
export const INDEX_NEWEST = 5;

/** Times on the page: one zone for every reader, said on the page. */
const TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

const FORMAT_LABEL: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

function plainTitle(f: FeedEntry): string {
  return f.title.replace(/^Wirefeed · /, '');
}

/** A language's name in that language, capitalized as a heading: `ar` → العربية, `fr` → Français. */
export function languageName(lang: string): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang);
  } catch {
    name = undefined;
  }
  if (!name || name === lang) return lang;
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}

function formatLinks(publicUrl: string, f: FeedEntry): string {
  return FEED_FORMATS.map((ext) => `<a href="${escapeAttribute(`${publicUrl}${f.path}.${ext}`)}">${FORMAT_LABEL[ext]}</a>`).join(' · ');
}

function autodiscovery(publicUrl: string, feeds: readonly FeedEntry[]): string {
  return feeds
    .flatMap((f) =>
      FEED_FORMATS.map(
        (ext) =>
          `<link rel="alternate" type="${CONTENT_TYPES[ext].split(';')[0]}" title="${escapeAttribute(`${plainTitle(f)} (${FORMAT_LABEL[ext]})`)}" href="${escapeAttribute(`${publicUrl}${f.path}.${ext}`)}"${f.language ? ` hreflang="${escapeAttribute(f.language)}"` : ''}>`,
      ),
    )
    .join('\n');
}

/** A topic's newest stories: headline in its language and direction, linking to its page, and its time (UTC). */
function newestList(publicUrl: string, articles: readonly ArticleRecord[], renderedAt: Date): string {
  if (articles.length === 0) return '';
  const items = articles.map((article) => {
    const view = viewArticle(article, renderedAt);
    const lang = view.language ? ` lang="${escapeAttribute(view.language)}"` : '';
    return `<li${lang} dir="${view.direction}"><a href="${escapeAttribute(articlePageUrl(publicUrl, article.id))}">${escapeUTF8(view.headline || article.id)}</a> <time datetime="${view.published.toISOString()}" dir="ltr">${escapeUTF8(TIME.format(view.published))} UTC</time></li>`;
  });
  return `\n<ol class="newest">\n${items.join('\n')}\n</ol>`;
}

/** One row per topic: every language's title linking to that language's feed, then the feed of all languages, then its newest stories. */
function topics(publicUrl: string, feeds: readonly FeedEntry[], langs: readonly string[], newest: NewestByFeed, renderedAt: Date): string {
  const base = feeds.filter((f) => f.kind === 'topic' && !f.language);
  if (base.length === 0) return '';
  const rows = base.map((t) => {
    const titles = langs
      .map((lang) => feeds.find((f) => f.id === `${t.id}.${lang}`))
      .filter((f): f is FeedEntry => f !== undefined)
      .map((f) => `<a lang="${f.language}" dir="${directionOf(f.language!)}" href="${escapeAttribute(`${publicUrl}${f.path}.atom`)}">${escapeUTF8(plainTitle(f))}</a>`);
    const names = titles.length ? titles.join(' · ') : `<bdi>${escapeUTF8(plainTitle(t))}</bdi>`;
    return `<li>${names} — <small>${formatLinks(publicUrl, t)}${t.code ? ` · IPTC ${escapeUTF8(t.code)}` : ''}</small>${newestList(publicUrl, newest.get(t.id) ?? [], renderedAt)}</li>`;
  });
  const note = newest.size > 0 ? ` Under each topic, its newest stories (times in UTC).` : '';
  return `<h2>Topics</h2>\n<p>Every language in one feed (RSS, Atom, JSON Feed), or one language: follow its title.${note}</p>\n<ul>\n${rows.join('\n')}\n</ul>`;
}

/** A section per feed language, headed and laid out in that language. */
function languages(publicUrl: string, feeds: readonly FeedEntry[], langs: readonly string[]): string {
  return langs
    .map((lang) => {
      const items = feeds
        .filter((f) => f.kind !== 'source' && f.language === lang)
        .map((f) => `<li><a href="${escapeAttribute(`${publicUrl}${f.path}.atom`)}">${escapeUTF8(plainTitle(f))}</a> <small dir="ltr">${formatLinks(publicUrl, f)}</small></li>`)
        .join('\n');
      if (!items) return '';
      const dir = directionOf(lang);
      return `<section lang="${escapeAttribute(lang)}" dir="${dir}">\n<h2>${escapeUTF8(languageName(lang))}</h2>\n<ul>\n${items}\n</ul>\n</section>`;
    })
    .filter(Boolean)
    .join('\n');
}

/** The newest stories of each topic feed, by feed id, newest first. */
export type NewestByFeed = ReadonlyMap<string, readonly ArticleRecord[]>;

/**
 * The home page. `newest`: each topic's newest stories ({@link INDEX_NEWEST} are shown); none at
 * start. `renderedAt` stands in for a story's time when its record has none that can be written.
 */
export function renderIndexPage(feeds: readonly FeedEntry[], publicUrl: string, version: string, newest: NewestByFeed = new Map(), renderedAt = new Date()): string {
  const langs = [...new Set(feeds.filter((f) => f.kind !== 'source' && f.language).map((f) => f.language!))];
  const list = (title: string, entries: readonly FeedEntry[]) =>
    entries.length
      ? `<h2>${title}</h2>\n<ul>\n${entries.map((f) => `<li><bdi>${escapeUTF8(plainTitle(f))}</bdi> — <small>${formatLinks(publicUrl, f)}</small></li>`).join('\n')}\n</ul>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wirefeed</title>
${autodiscovery(publicUrl, feeds)}
<style>body{font:16px/1.5 system-ui,"Noto Sans","Noto Naskh Arabic",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}li{margin:.3rem 0}small{color:#555}section{margin-top:1.5rem}ol.newest{margin:.2rem 0 .8rem;padding-inline-start:1.4rem;font-size:.95rem}ol.newest time{color:#555;font-size:.85rem;margin-inline-start:.4rem}</style>
</head>
<body>
<h1>Wirefeed</h1>
<p>News feeds by topic, in every language the sources carry. Subscribe to a feed in your reader, or import <a href="${escapeAttribute(`${publicUrl}/feeds.opml`)}">all feeds as OPML</a>.</p>
${list('All articles', feeds.filter((f) => f.kind === 'all' && !f.language))}
${topics(publicUrl, feeds, langs, new Map([...newest].map(([id, list]) => [id, list.slice(0, INDEX_NEWEST)])), renderedAt)}
${languages(publicUrl, feeds, langs)}
${list('Sources', feeds.filter((f) => f.kind === 'source'))}
<p><small>Wirefeed ${escapeUTF8(version)} · topic labels: IPTC Media Topics (CC BY 4.0)</small></p>
</body>
</html>
`;
}
