/**
 * One article as every feed format presents it: cleaned text, checked URLs, dates that can be
 * written, and the reader-facing HTML. Deriving this once keeps RSS, Atom and JSON Feed from
 * disagreeing about the same story.
 */
import { createHash } from 'node:crypto';

import { TOP_LEVEL_TOPICS } from '../classify/top-level-topics.ts';
import type { TopicTitles } from '../classify/top-level-topics.ts';
import type { ArticleRecord, RelatedLink } from '../model/article-record.ts';
import { articlePageUrl } from './article-url.ts';
import { parseTime, type FeedMeta } from './feed-meta.ts';
import { cleanText, escapeHtml, textToHtml } from './xml-text.ts';

/** The lead image of an article. */
export interface ImageView {
  /** Absolute http(s) URL, normalized. */
  url: string;
  /** Media type guessed from the file extension; undefined when the URL does not tell. */
  type: string | undefined;
  caption: string;
  credit: string;
}

export interface ArticleView {
  /**
   * The item's identity in every format (RSS `guid`, Atom `id`, JSON Feed `id`): the article's
   * guid when that is an http(s) URL (normalized), a URN or a tag URI; otherwise a name-based
   * UUID URN of the record id. Guids like `12345` are unique only within their source, and the
   * `all` feed mixes sources; Atom moreover requires an IRI.
   */
  id: string;
  /** True when `id` is the story's own URL (RSS `isPermaLink`). */
  idIsUrl: boolean;
  /** The story's absolute http(s) URL, normalized; undefined when it has none or it is unusable. */
  url: string | undefined;
  /**
   * What a reader opens: the story's URL, else its page on this service (`/articles/{id}`);
   * undefined only when the context gives no public URL.
   */
  link: string | undefined;
  /** Plain text, whitespace collapsed. */
  headline: string;
  /** Plain text, whitespace collapsed; may be empty. */
  summary: string;
  /** The summary as HTML, wrapped for right-to-left display when needed; empty when no summary. */
  summaryHtml: string;
  /** The full story as HTML (lead image first when the body lacks it), wrapped for right-to-left display when needed; may be empty. */
  contentHtml: string;
  /** The full story as plain text; may be empty. */
  contentText: string;
  published: Date;
  /** Never earlier than `published`. */
  updated: Date;
  /** The people who wrote the story (no duplicates); often none in wire copy. */
  authors: string[];
  /**
   * Who the copy is credited to when it names no author: the agencies of the dateline, else the
   * provider, the dateline's outlet, the host of the story's URL, the source id. Never empty.
   */
  credits: string[];
  /** The story's topics, labelled; no duplicates. */
  topics: TopicView[];
  /** The source's own categories, as written; no duplicates. */
  keywords: string[];
  /** Scheme (IRI) of the source's own categories: `urn:wirefeed:source:<source id>`. */
  keywordScheme: string;
  /** A well-formed BCP 47 tag; undefined when the language is unknown (`und`) or malformed. */
  language: string | undefined;
  direction: 'ltr' | 'rtl';
  image: ImageView | undefined;
}

/** A topic as feeds write it. */
export interface TopicView {
  slug: string;
  /** Human-readable title in the feed's language (the story's in a mixed feed), else English. */
  label: string;
  /** Atom `term`: the IPTC code for a Media Topic, else the slug. */
  term: string;
  /** Atom `scheme`: `http://cv.iptc.org/newscodes/mediatopic/` or `urn:wirefeed:topic`. */
  scheme: string;
  /** The topic's own IRI (RSS category `domain`): scheme and term, e.g. `…/mediatopic/11000000`. */
  uri: string;
}

/** A topic's titles, as the configuration (or the built-in IPTC set) declares them. */
export interface TopicLabels {
  slug: string;
  code?: string;
  title: TopicTitles;
}

/** What the feed adds to an article's view. */
export interface ViewContext {
  /** PUBLIC_URL: items without a URL of their own link to their page there. */
  publicUrl?: string;
  /** The feed's language (BCP 47), for topic labels; undefined for mixed feeds. */
  feedLanguage?: string;
  /** Topic titles (the configuration's); the 17 top-level IPTC Media Topics fill in for slugs it lacks. */
  topics?: readonly TopicLabels[];
}

/**
 * Everything an item's rendering depends on besides its article. It is the same for every feed of
 * one language (and for every mixed feed), which is why an entry rendered once serves them all.
 */
export interface EntryContext extends ViewContext {
  publicUrl: string;
  /** Stands in for an article's dates when it has none that can be written (see {@link viewArticle}). */
  fallbackDate: Date;
}

/** The entry context of the feed `meta` describes. */
export function entryContext(meta: FeedMeta): EntryContext {
  const feedLanguage = languageTag(meta.language);
  return { publicUrl: meta.homeUrl, fallbackDate: meta.updated, ...(feedLanguage ? { feedLanguage } : {}), ...(meta.topics ? { topics: meta.topics } : {}) };
}

export const IPTC_MEDIATOPIC = 'http://cv.iptc.org/newscodes/mediatopic/';
const WIREFEED_TOPIC = 'urn:wirefeed:topic';

/**
 * Derives the view of `article`. `fallbackDate` stands in for dates the record lacks or that are
 * not dates (the feed's own `updated` is the natural choice), so a bad date costs a date, not the
 * whole feed.
 */
export function viewArticle(article: ArticleRecord, fallbackDate: Date, context: ViewContext = {}): ArticleView {
  const id = itemId(cleanText(article.guid).trim(), article.id);
  const url = httpUrl(article.url);
  const language = languageTag(article.language);
  const direction = article.direction === 'rtl' ? 'rtl' : 'ltr';
  const images = imagesOf(article);
  const lead = images[0];
  const image = lead?.image;
  const summary = collapse(article.summary);

  const publishedTime = parseTime(article.published);
  const updatedTime = parseTime(article.updated);
  const published = new Date(publishedTime ?? updatedTime ?? fallbackDate.getTime());
  const updated = new Date(Math.max(updatedTime ?? published.getTime(), published.getTime()));

  const datelineText = collapse(article.dateline?.text ?? '');
  let body = cleanText(article.bodyHtml).trim();
  const bodyText = cleanText(article.bodyText).trim();
  if (!body && bodyText) body = textToHtml(bodyText);
  body = withDateline(body, datelineText);
  // Readers such as NetNewsWire and Thunderbird show only the HTML, never an enclosure.
  const shown = images.filter((candidate) => !mentionsUrl(body, candidate.image.url, candidate.original));
  if (lead && shown[0] === lead) body = figureHtml(lead.image) + body;
  body += shown.filter((candidate) => candidate !== lead).map((candidate) => figureHtml(candidate.image)).join('');
  body += creditLinesHtml(article, language);
  body += relatedHtml(article.related, url, language);

  return {
    id,
    idIsUrl: url !== undefined && id === url,
    url,
    link: url ?? (context.publicUrl ? articlePageUrl(context.publicUrl, article.id) : undefined),
    headline: collapse(article.headline),
    summary,
    summaryHtml: summary ? wrapDirection(escapeHtml(summary), direction, language) : '',
    contentHtml: body ? wrapDirection(body, direction, language) : '',
    contentText: bodyText && datelineText && !bodyText.startsWith(datelineText) ? `${datelineText}${datelineSeparator(datelineText)}${bodyText}` : bodyText,
    published,
    updated,
    authors: unique(article.authors.map(collapse)),
    credits: creditsOf(article, url),
    topics: topicViews(article, context.feedLanguage ?? language, [...(context.topics ?? []), ...TOP_LEVEL_TOPICS]),
    keywords: unique(article.keywords.map(collapse)),
    keywordScheme: `urn:wirefeed:source:${encodeURIComponent(cleanText(article.sourceId).trim() || 'unknown')}`,
    language,
    direction,
    image,
  };
}

const BCP47 = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** `tag` when it is a well-formed BCP 47 tag naming a language, else undefined (`und` included). */
export function languageTag(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  const trimmed = tag.trim();
  return BCP47.test(trimmed) && trimmed.toLowerCase() !== 'und' ? trimmed : undefined;
}

/** The normalized form of an absolute http(s) URL; undefined for anything else. */
export function httpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const parsed = new URL(cleanText(value).trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps right-to-left HTML so readers lay it out right to left: readers render item HTML inside
 * their own left-to-right page and ignore the feed's language for direction.
 */
export function wrapDirection(html: string, direction: 'ltr' | 'rtl', language: string | undefined): string {
  if (direction !== 'rtl') return html;
  const lang = language ? ` lang="${escapeHtml(language)}"` : '';
  return `<div dir="rtl"${lang}>${html}</div>`;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

interface ImageCandidate {
  image: ImageView;
  original: string;
}

/** The images with a usable URL, in order, each once; the first is the lead image. */
function imagesOf(article: ArticleRecord): ImageCandidate[] {
  const out: ImageCandidate[] = [];
  const seen = new Set<string>();
  for (const image of article.images) {
    const url = httpUrl(image.url);
    if (!url || !image.url || seen.has(url)) continue;
    seen.add(url);
    const extension = /\.([A-Za-z0-9]+)$/.exec(new URL(url).pathname)?.[1]?.toLowerCase();
    out.push({
      image: {
        url,
        type: extension ? IMAGE_TYPES[extension] : undefined,
        caption: collapse(image.caption ?? ''),
        credit: collapse(image.credit ?? ''),
      },
      original: image.url,
    });
  }
  return out;
}

/**
 * The dateline at the head of the story as agencies print it, `WASHINGTON (AP) — The Senate…`:
 * run into the first paragraph when the body opens with one of text, else a paragraph of its own. Left
 * out when the body already shows it near its top (normalization lifts it out, but not from every source).
 */
function withDateline(body: string, text: string): string {
  if (!text || !body) return body;
  // Near the top rather than first: a body may open with its own figure and caption.
  const opening = collapse(body.replace(/<[^>]*>/g, ' ')).slice(0, text.length + 300);
  if (opening.includes(text) || opening.includes(escapeHtml(text))) return body;
  const lead = `<span class="dateline">${escapeHtml(text)}</span>${datelineSeparator(text)}`;
  // Run in only where the first paragraph opens with text (an image first would split them).
  const firstParagraph = /^<p(?:\s[^>]*)?>(?=[^<\s]|<(?:a|b|em|i|span|strong)[\s>])/i.exec(body);
  if (firstParagraph) return firstParagraph[0] + lead + body.slice(firstParagraph[0].length);
  return `<p class="dateline">${escapeHtml(text)}</p>` + body;
}

/** A dateline that ends in its own dash or colon (`PARIS, 10 avril -`) keeps it; others get an em dash. */
function datelineSeparator(text: string): string {
  return /[-\u2010-\u2015:|]$/.test(text) ? ' ' : ' — ';
}

const READ_ALSO: Readonly<Record<string, string>> = { en: 'Read also', ar: 'اقرأ أيضاً', fr: 'Lire aussi' };
const PHOTO: Readonly<Record<string, string>> = { en: 'Photo: ', ar: 'مصدر الصورة: ', fr: 'Crédit photo : ' };

/**
 * Wire copy credits a photo it does not carry (`Photo: AP`, `مصدر الصورة: REUTERS`): an image
 * without a URL becomes that credit line again, in the story's language, after the body.
 */
function creditLinesHtml(article: ArticleRecord, language: string | undefined): string {
  const label = PHOTO[primaryLanguage(language)] ?? PHOTO.en!;
  const seen = new Set<string>();
  let out = '';
  for (const image of article.images) {
    if (httpUrl(image.url)) continue;
    const line = [collapse(image.caption ?? ''), collapse(image.credit ?? '')].filter(Boolean).join(' — ');
    if (!line || seen.has(line)) continue;
    seen.add(line);
    out += `<p class="credit">${escapeHtml(label + line)}</p>`;
  }
  return out;
}

/** The read-also items as a list of links (an item without a usable URL stays as its title). */
function relatedHtml(related: readonly RelatedLink[], ownUrl: string | undefined, language: string | undefined): string {
  const seen = new Set<string>();
  const items: string[] = [];
  for (const link of related) {
    const title = collapse(link.title ?? '');
    const url = httpUrl(link.url);
    if (!title || (url !== undefined && url === ownUrl)) continue;
    const key = url ?? `title:${title}`;
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(url ? `<li><a href="${escapeHtml(url)}">${escapeHtml(title)}</a></li>` : `<li>${escapeHtml(title)}</li>`);
  }
  if (items.length === 0) return '';
  const heading = READ_ALSO[primaryLanguage(language)] ?? READ_ALSO.en!;
  return `<p><strong>${escapeHtml(heading)}</strong></p><ul class="related">${items.join('')}</ul>`;
}

function primaryLanguage(tag: string | undefined): string {
  return (tag ?? 'en').split('-')[0]!.toLowerCase();
}

function topicViews(article: ArticleRecord, language: string | undefined, known: readonly TopicLabels[]): TopicView[] {
  const lang = primaryLanguage(language);
  const seen = new Set<string>();
  const out: TopicView[] = [];
  for (const topic of article.topics) {
    const slug = collapse(topic.slug);
    if (!slug || seen.has(slug.toLowerCase())) continue;
    seen.add(slug.toLowerCase());
    const declared = known.find((candidate) => candidate.slug === slug);
    const label = collapse(declared?.title[lang] ?? declared?.title.en ?? '') || slug;
    const code = collapse(topic.code || declared?.code || '');
    // Only an 8-digit code is an IPTC Media Topic; an operator's own code is not IPTC's to resolve.
    if (/^\d{8}$/.test(code)) {
      out.push({ slug, label, term: code, scheme: IPTC_MEDIATOPIC, uri: IPTC_MEDIATOPIC + code });
    } else {
      out.push({ slug, label, term: slug, scheme: WIREFEED_TOPIC, uri: `${WIREFEED_TOPIC}:${encodeURIComponent(slug)}` });
    }
  }
  return out;
}

/** Who the copy is credited to when no author is named; see `ArticleView.credits`. */
function creditsOf(article: ArticleRecord, url: string | undefined): string[] {
  const agencies = unique((article.dateline?.agencies ?? []).map((agency) => collapse(agency.raw || agency.code)));
  if (agencies.length > 0) return agencies;
  const sources = unique((article.dateline?.sources ?? []).map(collapse));
  if (sources.length > 0) return sources;
  for (const candidate of [article.provider, article.dateline?.outlet, url ? new URL(url).hostname : undefined, article.sourceId]) {
    const name = collapse(candidate ?? '');
    if (name) return [name];
  }
  return ['unknown'];
}

function mentionsUrl(html: string, normalized: string, original: string): boolean {
  const forms = [normalized, escapeHtml(normalized), original.trim(), escapeHtml(original.trim())];
  return forms.some((form) => form !== '' && html.includes(form));
}

function figureHtml(image: ImageView): string {
  const caption = [image.caption, image.credit].filter(Boolean).map(escapeHtml).join(' — ');
  const alt = escapeHtml(image.caption);
  return (
    `<figure><img src="${escapeHtml(image.url)}" alt="${alt}">` +
    (caption ? `<figcaption>${caption}</figcaption>` : '') +
    '</figure>'
  );
}

function collapse(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ').trim();
}

function unique(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const key = value.toLowerCase();
    if (value && !seen.has(key)) {
      seen.add(key);
      out.push(value);
    }
  }
  return out;
}

// Identifiers that are globally unique by construction: URNs (RFC 8141), tag URIs (RFC 4151).
const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,30}[A-Za-z0-9]:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})+$/i;
const URN_UUID = /^urn:uuid:/i;
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG = /^tag:(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+,\d{4}(?:-\d{2}(?:-\d{2})?)?:[A-Za-z0-9;/?:@&=+$.\-_!~*'()%,]*(?:#[A-Za-z0-9;/?:@&=+$.\-_!~*'()%,]*)?$/i;

/** Namespace of Wirefeed's name-based (version 5) UUIDs; fixed forever, or every Atom id changes. */
const UUID_NAMESPACE = '79f06d53-c85e-4397-a296-2c758d379a27';

/**
 * A guid that is an http(s) URL, a URN or a tag URI names the story worldwide; anything else
 * (`12345`, `AFP:998877`) is only unique within its source and is replaced by a UUID URN.
 */
function itemId(guid: string, recordId: string): string {
  let candidate: string | undefined;
  if (/^https?:/i.test(guid)) {
    candidate = httpUrl(guid);
  } else if (URN.test(guid) && (!URN_UUID.test(guid) || UUID.test(guid))) {
    candidate = `urn:${guid.slice(4)}`;
  } else if (TAG.test(guid)) {
    candidate = `tag:${guid.slice(4)}`;
  }
  // The `feed` library re-serializes Atom ids through URL, so only a fixed point survives intact.
  if (candidate !== undefined && fixedPoint(candidate)) return candidate;
  return `urn:uuid:${uuidV5(recordId)}`;
}

function fixedPoint(uri: string): boolean {
  try {
    return new URL(uri).href === uri;
  } catch {
    return false;
  }
}

function uuidV5(name: string): string {
  const namespace = Buffer.from(UUID_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
