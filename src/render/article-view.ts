/**
 * One article as every feed format presents it: cleaned text, checked URLs, dates that can be
 * written, and the reader-facing HTML. Deriving this once keeps RSS, Atom and JSON Feed from
 * disagreeing about the same story.
 */
import { createHash } from 'node:crypto';

import type { ArticleRecord } from '../model/article-record.ts';
import { parseTime } from './feed-meta.ts';
import { cleanText, escapeHtml } from './xml-text.ts';

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
  authors: string[];
  /** Topic slugs first, then keywords; no duplicates. */
  categories: string[];
  /** A well-formed BCP 47 tag; undefined when the language is unknown (`und`) or malformed. */
  language: string | undefined;
  direction: 'ltr' | 'rtl';
  image: ImageView | undefined;
}

/**
 * Derives the view of `article`. `fallbackDate` stands in for dates the record lacks or that are
 * not dates (the feed's own `updated` is the natural choice), so a bad date costs a date, not the
 * whole feed.
 */
export function viewArticle(article: ArticleRecord, fallbackDate: Date): ArticleView {
  const id = itemId(cleanText(article.guid).trim(), article.id);
  const url = httpUrl(article.url);
  const language = languageTag(article.language);
  const direction = article.direction === 'rtl' ? 'rtl' : 'ltr';
  const lead = leadImage(article);
  const image = lead?.image;
  const summary = collapse(article.summary);

  const publishedTime = parseTime(article.published);
  const updatedTime = parseTime(article.updated);
  const published = new Date(publishedTime ?? updatedTime ?? fallbackDate.getTime());
  const updated = new Date(Math.max(updatedTime ?? published.getTime(), published.getTime()));

  let body = cleanText(article.bodyHtml).trim();
  const bodyText = cleanText(article.bodyText).trim();
  if (!body && bodyText) body = textToHtml(bodyText);
  // Readers such as NetNewsWire and Thunderbird show only the HTML, never an enclosure.
  if (lead && !mentionsUrl(body, lead.image.url, lead.original)) {
    body = figureHtml(lead.image) + body;
  }

  return {
    id,
    idIsUrl: url !== undefined && id === url,
    url,
    headline: collapse(article.headline),
    summary,
    summaryHtml: summary ? wrapDirection(escapeHtml(summary), direction, language) : '',
    contentHtml: body ? wrapDirection(body, direction, language) : '',
    contentText: bodyText,
    published,
    updated,
    authors: unique(article.authors.map(collapse)),
    categories: unique([...article.topics.map((t) => collapse(t.slug)), ...article.keywords.map(collapse)]),
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

function leadImage(article: ArticleRecord): { image: ImageView; original: string } | undefined {
  for (const image of article.images) {
    const url = httpUrl(image.url);
    if (!url || !image.url) continue;
    const extension = /\.([A-Za-z0-9]+)$/.exec(new URL(url).pathname)?.[1]?.toLowerCase();
    return {
      image: {
        url,
        type: extension ? IMAGE_TYPES[extension] : undefined,
        caption: collapse(image.caption ?? ''),
        credit: collapse(image.credit ?? ''),
      },
      original: image.url,
    };
  }
  return undefined;
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

function textToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
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
