/**
 * An article's own page (`/articles/{id}`): one self-contained HTML document per story, rendered
 * when the article is stored or changed (workers/ingest-worker.ts) and served as stored bytes.
 * Pure: the clock and the configuration come in as arguments.
 *
 * No script and no external asset: the only `<script>` is the schema.org JSON-LD data block,
 * which browsers never execute (and the route's Content-Security-Policy forbids scripts anyway).
 */
import type { TopicTitles } from '../classify/top-level-topics.ts';
import type { WirefeedConfig } from '../config/load-config.ts';
import type { ArticleRecord } from '../model/article-record.ts';
import { sanitizeArticleHtml } from '../normalize/sanitize-html.ts';
import { articleJsonUrl, articlePageUrl } from './article-url.ts';
import { feedCatalog } from './feed-catalog.ts';
import { httpUrl, languageTag } from './article-view.ts';
import { cleanText, escapeHtml, textToHtml } from './xml-text.ts';

/** What a page needs of the configuration, derived once per process by {@link pageContext}. */
export interface PageContext {
  publicUrl: string;
  /** Topic titles by slug (built-in and the operator's). */
  topics: ReadonlyMap<string, TopicTitles>;
  /** Paths (without extension) of every published feed: `/feeds/economy`, `/feeds/economy.ar`. */
  feedPaths: ReadonlySet<string>;
  /** Source titles by id. */
  sources: ReadonlyMap<string, string>;
}

export function pageContext(config: Pick<WirefeedConfig, 'topics' | 'sources' | 'settings'>): PageContext {
  return {
    publicUrl: config.settings.publicUrl.replace(/\/+$/, ''),
    topics: new Map(config.topics.map((t) => [t.slug, t.title])),
    feedPaths: new Set(feedCatalog(config).map((f) => f.path)),
    sources: new Map(config.sources.map((s) => [s.id, s.title ?? s.id])),
  };
}

export interface ArticlePage {
  /** The HTML document. */
  body: string;
  /** 200, or 410 for a story its provider canceled (the page then only says it was withdrawn). */
  status: 200 | 410;
  /**
   * Epoch ms before which neither the page nor the record may be served (an embargo); 0 when
   * none; {@link NEVER} for a withheld story (a later usable version replaces the page).
   */
  availableAt: number;
}

/** `availableAt` of a withheld story: not until a new version says otherwise. */
export const NEVER = Number.MAX_SAFE_INTEGER;

interface Texts {
  published: string;
  updated: string;
  by: string;
  topics: string;
  readAlso: string;
  source: string;
  image: string;
  record: string;
  original: string;
  withdrawnTitle: string;
  withdrawn: string;
  and: string;
}

/** Page labels in the languages the service speaks; others fall back to English. */
const TEXTS: Record<string, Texts> = {
  en: {
    published: 'Published',
    updated: 'Updated',
    by: 'By',
    topics: 'Topics',
    readAlso: 'Read also',
    source: 'Source',
    image: 'Image',
    record: 'This article as JSON',
    original: 'Original story',
    withdrawnTitle: 'Story withdrawn',
    withdrawn: 'This story was withdrawn by its source and is no longer available.',
    and: ', ',
  },
  ar: {
    published: 'نُشر',
    updated: 'حُدّث',
    by: 'بقلم',
    topics: 'المواضيع',
    readAlso: 'إقرأ أيضاً',
    source: 'المصدر',
    image: 'مصدر الصورة',
    record: 'هذا الخبر بصيغة JSON',
    original: 'الخبر الأصلي',
    withdrawnTitle: 'خبر مسحوب',
    withdrawn: 'سحب المصدر هذا الخبر ولم يعد متاحاً.',
    and: '، ',
  },
  fr: {
    published: 'Publié',
    updated: 'Mis à jour',
    by: 'Par',
    topics: 'Thèmes',
    readAlso: 'Lire aussi',
    source: 'Source',
    image: 'Photo',
    record: 'Cet article en JSON',
    original: 'Article original',
    withdrawnTitle: 'Article retiré',
    withdrawn: 'Cet article a été retiré par sa source et n’est plus disponible.',
    and: ', ',
  },
};

// Phone first: one readable column, system fonts, images never wider than the screen.
const CSS =
  'body{font:17px/1.6 system-ui,sans-serif;max-width:42rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}' +
  'h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}img{max-width:100%;height:auto}' +
  'figure{margin:1rem 0}figcaption,.meta,footer{font-size:.875rem;color:#555}' +
  '.dateline{font-weight:600}ul.topics{list-style:none;padding:0}ul.topics li{display:inline-block;margin:0 .6rem .3rem 0}' +
  'a{color:#0645ad}@media (prefers-color-scheme:dark){body{color:#eee;background:#111}a{color:#8ab4f8}figcaption,.meta,footer{color:#aaa}}';

/** Renders the page of `article`. */
export function renderArticlePage(article: ArticleRecord, ctx: PageContext): ArticlePage {
  const lang = languageTag(article.language);
  const primary = lang?.toLowerCase().split('-')[0] ?? 'en';
  const t = TEXTS[primary] ?? TEXTS.en!;
  const dir = article.direction === 'rtl' ? 'rtl' : 'ltr';
  const htmlAttrs = `${lang ? ` lang="${escapeHtml(lang)}"` : ''} dir="${dir}"`;
  const pageUrl = articlePageUrl(ctx.publicUrl, article.id);
  const jsonUrl = articleJsonUrl(ctx.publicUrl, article.id);
  const headline = text(article.headline);

  if (article.status === 'canceled') {
    return {
      status: 410,
      availableAt: 0,
      body: document(htmlAttrs, t.withdrawnTitle, '', `<main><h1>${escapeHtml(t.withdrawnTitle)}</h1>\n<p>${escapeHtml(t.withdrawn)}</p></main>`),
    };
  }

  const canonical = httpUrl(article.url);
  const published = isoTime(article.published) ?? isoTime(article.updated);
  const updatedRaw = isoTime(article.updated);
  const updated = updatedRaw && published && updatedRaw > published ? updatedRaw : undefined;
  const authors = article.authors.map(text).filter(Boolean);
  // Photos lead the story; a credit without its image (`مصدر الصورة: REUTERS`) stays where wire
  // copy prints it, after the text.
  const figures = article.images.filter((i) => httpUrl(i.url)).map((image) => figure(image, t));
  const credits = article.images.filter((i) => !httpUrl(i.url)).map((image) => figure(image, t)).filter(Boolean);
  const related = article.related
    .map((r) => {
      const title = text(r.title);
      const url = httpUrl(r.url);
      if (!title && !url) return '';
      return `<li>${url ? `<a href="${escapeHtml(url)}">${escapeHtml(title || url)}</a>` : `<bdi>${escapeHtml(title)}</bdi>`}</li>`;
    })
    .filter(Boolean);
  const topics = article.topics
    .map((topic) => {
      const titles = ctx.topics.get(topic.slug);
      if (!titles) return '';
      const title = titles[primary] ?? titles.en;
      // The feed in the page's language when the operator publishes one, else the topic's feed.
      const path = ctx.feedPaths.has(`/feeds/${topic.slug}.${primary}`) ? `/feeds/${topic.slug}.${primary}` : `/feeds/${topic.slug}`;
      if (!ctx.feedPaths.has(path)) return '';
      return `<li><a href="${escapeHtml(`${ctx.publicUrl}${path}.rss`)}" type="application/rss+xml">${escapeHtml(title)}</a></li>`;
    })
    .filter(Boolean);
  const sourceTitle = ctx.sources.get(article.sourceId) ?? article.sourceId;
  const sourceFeed = `/feeds/source/${article.sourceId}`;
  const sourceHtml = ctx.feedPaths.has(sourceFeed)
    ? `<a href="${escapeHtml(`${ctx.publicUrl}${sourceFeed}.rss`)}" type="application/rss+xml"><bdi>${escapeHtml(sourceTitle)}</bdi></a>`
    : `<bdi>${escapeHtml(sourceTitle)}</bdi>`;
  const provider = article.provider ? text(article.provider) : '';

  let body = sanitizeArticleHtml(cleanText(article.bodyHtml)).trim();
  if (!body) body = textToHtml(cleanText(article.bodyText), '\n');
  const dateline = article.dateline?.text ? text(article.dateline.text) : '';

  const head = [
    `<meta name="description" content="${escapeHtml(text(article.summary))}">`,
    canonical ? `<link rel="canonical" href="${escapeHtml(canonical)}">` : '',
    `<link rel="alternate" type="application/json" href="${escapeHtml(jsonUrl)}">`,
    `<script type="application/ld+json">${jsonLd(article, { pageUrl, canonical, headline, published, updated, authors, lang, dateline, topics: article.topics.map((x) => ctx.topics.get(x.slug)?.[primary] ?? ctx.topics.get(x.slug)?.en ?? '').filter(Boolean), sourceTitle: provider || sourceTitle })}</script>`,
  ]
    .filter(Boolean)
    .join('\n');

  const times = [
    published ? `${escapeHtml(t.published)} <time datetime="${published}">${escapeHtml(displayTime(published, primary))}</time>` : '',
    updated ? `${escapeHtml(t.updated)} <time datetime="${updated}">${escapeHtml(displayTime(updated, primary))}</time>` : '',
  ].filter(Boolean);

  const main = [
    '<main><article>',
    `<h1>${escapeHtml(headline)}</h1>`,
    times.length ? `<p class="meta">${times.join(' · ')}</p>` : '',
    authors.length ? `<p class="meta">${escapeHtml(t.by)} ${authors.map((a) => `<bdi>${escapeHtml(a)}</bdi>`).join(escapeHtml(t.and))}</p>` : '',
    figures.join('\n'),
    // The dateline opens the story, as the agencies print it: `MOSCOW (Reuters) -`.
    dateline ? `<p class="dateline">${escapeHtml(dateline)}</p>` : '',
    body,
    credits.join('\n'),
    related.length ? `<section class="related"><h2>${escapeHtml(t.readAlso)}</h2>\n<ul>${related.join('')}</ul></section>` : '',
    topics.length ? `<nav class="topics" aria-label="${escapeHtml(t.topics)}"><h2>${escapeHtml(t.topics)}</h2>\n<ul class="topics">${topics.join('')}</ul></nav>` : '',
    '</article></main>',
    `<footer><p>${escapeHtml(t.source)}: ${sourceHtml}${provider && provider !== sourceTitle ? ` · <bdi>${escapeHtml(provider)}</bdi>` : ''}` +
      `${canonical ? ` · <a href="${escapeHtml(canonical)}">${escapeHtml(t.original)}</a>` : ''}` +
      ` · <a href="${escapeHtml(jsonUrl)}" type="application/json">${escapeHtml(t.record)}</a></p></footer>`,
  ]
    .filter(Boolean)
    .join('\n');

  const holdUntil = (article.embargoUntil && Date.parse(article.embargoUntil)) || 0;
  return {
    status: 200,
    availableAt: article.status === 'withheld' ? NEVER : holdUntil,
    body: document(htmlAttrs, headline, head, main),
  };
}

function document(htmlAttrs: string, title: string, head: string, main: string): string {
  return `<!doctype html>
<html${htmlAttrs}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head ? `${head}\n` : ''}<style>${CSS}</style>
</head>
<body>
${main}
</body>
</html>
`;
}

function figure(image: ArticleRecord['images'][number], t: Texts): string {
  const url = httpUrl(image.url);
  const caption = text(image.caption ?? '');
  const credit = text(image.credit ?? '');
  if (!url && !caption && !credit) return '';
  const captionHtml = [
    caption ? `<span class="caption">${escapeHtml(caption)}</span>` : '',
    credit ? `<span class="credit">${escapeHtml(t.image)}: <bdi>${escapeHtml(credit)}</bdi></span>` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    '<figure>' +
    (url ? `<img src="${escapeHtml(url)}" alt="${escapeHtml(caption)}" loading="lazy">` : '') +
    (captionHtml ? `<figcaption>${captionHtml}</figcaption>` : '') +
    '</figure>'
  );
}

interface LdFields {
  pageUrl: string;
  canonical: string | undefined;
  headline: string;
  published: string | undefined;
  updated: string | undefined;
  authors: string[];
  lang: string | undefined;
  dateline: string;
  topics: string[];
  sourceTitle: string;
}

/**
 * schema.org NewsArticle as JSON-LD, safe inside `<script>`: `<`, `>` and `&` are written as
 * JSON escapes, so no `</script>` or `<!--` can end or change the block, and U+2028/U+2029 (valid
 * in JSON, line terminators in older JavaScript) are escaped too.
 */
function jsonLd(article: ArticleRecord, f: LdFields): string {
  const images = article.images.map((i) => httpUrl(i.url)).filter((u): u is string => u !== undefined);
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: f.headline,
    description: text(article.summary) || undefined,
    url: f.pageUrl,
    mainEntityOfPage: f.canonical ?? f.pageUrl,
    isBasedOn: f.canonical,
    datePublished: f.published,
    dateModified: f.updated ?? f.published,
    inLanguage: f.lang,
    dateline: f.dateline || undefined,
    author: f.authors.length ? f.authors.map((name) => ({ '@type': 'Person', name })) : undefined,
    image: images.length ? images : undefined,
    keywords: [...f.topics, ...article.keywords.map(text)].filter(Boolean).join(', ') || undefined,
    sourceOrganization: f.sourceTitle ? { '@type': 'Organization', name: f.sourceTitle } : undefined,
    identifier: article.guid ? text(article.guid) : undefined,
  };
  return JSON.stringify(ld)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function text(value: string | null | undefined): string {
  return cleanText(value ?? '').replace(/\s+/g, ' ').trim();
}

function isoTime(value: string | null | undefined): string | undefined {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** A date as readers of the page's language write it, in UTC (said so: the page has one zone). */
function displayTime(iso: string, language: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  } catch {
    format = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  }
  return `${format.format(new Date(iso))} UTC`;
}

