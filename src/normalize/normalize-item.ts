/**
 * The normalization stage: one RawItem in, one complete ArticleRecord out (topics left empty for
 * the classifier). Pure: the clock is `ctx.now`, there is no I/O, and the same input gives the
 * same record, id and contentHash on every run.
 */
import type { ArticleImage, ArticleRecord, Dateline, RelatedLink } from '../model/article-record.ts';
import type { RawItem } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { datelineFromParts, matchInlineDateline, parseDatelineText } from './dateline.ts';
import { findDateInText, parseDate } from './dates.ts';
import { headlineFromText, summaryFromParagraphs, truncateAtWord } from './excerpt.ts';
import { processHtmlBody } from './html-body.ts';
import { articleId, canonicalJson, derivedGuid, sha256Hex } from './identity.ts';
import { detectLanguage, directionOf, normalizeLanguageTag } from './language.ts';
import { htmlToText, looksLikeHtml, sanitizeArticleHtml } from './sanitize-html.ts';
import { processTextBody } from './text-body.ts';
import { cleanInline, cleanText, collapseLine, escapeHtmlText } from './text-hygiene.ts';
import { absoluteWebUrl } from './urls.ts';

/** What normalization needs to know beyond the item itself. */
export interface NormalizeContext {
  /** Id of the configured source the item came from; part of the record id. */
  sourceId: string;
  /** First-seen time, used as `published` only when the item carries no usable date. */
  now: Date;
  /** The source's configured language (`language: ar`); wins over anything declared or detected. */
  languageHint?: string;
  /** Base for relative links: the document's link or the URL it was fetched from. */
  baseUrl?: string;
  /** Document-level fallbacks (feed title, link and language). */
  document?: { title?: string; link?: string; language?: string };
}

/** Headlines made from a lede are cut to this many characters. */
const HEADLINE_MAX = 140;
/** Summaries are cut to this many characters. */
const SUMMARY_MAX = 300;
/** A headline the item gives is cut (at a word, with `…`) to this many characters. */
export const HEADLINE_CAP = 300;
/**
 * A body's text is cut to this many characters: whole paragraphs up to the cap, the last one
 * ending with `…`. Long features run to 60,000; a body past the cap is runaway input.
 */
export const BODY_CAP = 100_000;
/** Raw content past this many characters is not read at all (before sanitizing). */
const BODY_INPUT_CAP = 4 * BODY_CAP;

interface Body {
  paragraphs: string[];
  html: string;
  dateline: Dateline | null;
  datelineDate: Date | null;
  images: ArticleImage[];
  related: RelatedLink[];
  fromSummary: boolean;
}

/**
 * Normalizes one raw item into an ArticleRecord.
 *
 * - Bodies: HTML is sanitized (links made absolute against `ctx.baseUrl`), text is split into
 *   paragraphs; in both, the dateline is lifted from the top and image credits / "read also"
 *   trailers from the bottom into `dateline`, `images` and `related`.
 * - `published`, best source first: the item's published date, else its updated date (the
 *   format's own fields); else the dateline's complete date (`PARIS, 10 avril 2020 (AFP)`); else a
 *   year-less date or a weekday in the dateline (`LONDON, April 10 (Reuters)`, `MOSCOW, Monday`),
 *   resolved against `ctx.now`; else a weekday standing alone in the first paragraph
 *   (`أعلن الكرملين، الجمعة، …`, `voted on Thursday`): the most recent such day on or before
 *   `ctx.now`; a day without a time is timed at noon UTC (see `atNoon`); else `ctx.now`. `updated`: the item's updated date (never before
 *   `published`), else `published`.
 * - `language`: `ctx.languageHint`, else the item's, else the document's, else detected.
 * - `contentHash` covers what a reader sees, and the dates only when the document gave them, so
 *   normalizing the same document again later yields the same hash.
 *
 * @throws WireError `EMPTY_DOCUMENT` when the item has neither a title nor any body text.
 */
export function normalizeItem(input: RawItem, ctx: NormalizeContext): ArticleRecord {
  const raw = coerceRawItem(input);
  const base = ctx.baseUrl ?? ctx.document?.link ?? null;
  const url = absoluteWebUrl(raw.url, base);
  const body = capBody(buildBody(raw, base));
  const bodyText = body.paragraphs.join('\n\n');
  const title = raw.title === undefined ? '' : truncateAtWord(plainInline(raw.title), HEADLINE_CAP);
  if (title === '' && bodyText === '') {
    throw new WireError('EMPTY_DOCUMENT', `item ${raw.guid ?? raw.url ?? '(no guid)'} of source ${ctx.sourceId} has neither title nor body`);
  }

  const headline = title !== '' ? title : headlineFromText(body.paragraphs[0] ?? '', HEADLINE_MAX);
  const rawGuid = raw.guid === undefined ? '' : cleanInline(raw.guid);
  const guid = rawGuid !== '' ? rawGuid : (url ?? derivedGuid(ctx.sourceId, headline, bodyText));
  const id = articleId(ctx.sourceId, guid);
  // A dateline the format gives structurally is the provider's own; the body's is our reading.
  const given = raw.dateline && cleanInline(raw.dateline.text) !== '' ? raw.dateline : undefined;
  const dateline = given ? cleanDateline(given) : body.dateline;
  const summary = buildSummary(raw, body, bodyText, dateline);

  const datelineDate = given ? (parseDatelineText(given.text).date ?? body.datelineDate) : body.datelineDate;
  const fieldPublished = parseOptionalDate(raw.published) ?? parseOptionalDate(raw.updated);
  // A day without a time (from the dateline, or a date-only field) is timed at noon UTC.
  const dayOnly = fieldPublished === null ? datelineDate !== null : isDateOnly(raw.published ?? raw.updated);
  const documentPublished = fieldPublished ?? datelineDate;
  // Dates resolved against ctx.now stay out of the contentHash, like ctx.now itself: the same
  // document normalized another day must hash the same.
  const relative = documentPublished === null ? relativePublished(dateline, body.paragraphs[0], ctx.now) : null;
  const published =
    documentPublished !== null
      ? dayOnly
        ? atNoon(documentPublished, ctx.now, id)
        : documentPublished
      : relative !== null
        ? atNoon(relative, ctx.now, id)
        : ctx.now;
  const documentUpdated = parseOptionalDate(raw.updated);
  // Feeds do send updated < published; a reader would see an edit before the story existed.
  const updated = documentUpdated !== null && documentUpdated.getTime() >= published.getTime() ? documentUpdated : published;

  const language =
    normalizeLanguageTag(ctx.languageHint) ??
    normalizeLanguageTag(raw.language) ??
    normalizeLanguageTag(ctx.document?.language) ??
    detectLanguage(`${headline}\n${bodyText || summary}`);

  const authors = uniqueStrings(raw.authors ?? []);
  const keywords = uniqueStrings(raw.categories ?? []);
  const images = mergeImages(raw.images ?? [], body.images, base);
  const related = mergeRelated(raw.related ?? [], body.related, base);

  const content = {
    headline,
    summary,
    bodyHtml: body.html,
    url,
    authors,
    dateline,
    images,
    related,
    language,
    keywords,
    // The document's own dates, not their clamp to the arrival time: the hash must not move with it.
    published: documentPublished === null ? undefined : documentPublished.toISOString(),
    updated: documentPublished === null ? undefined : (documentUpdated ?? documentPublished).toISOString(),
  };

  return {
    id,
    sourceId: ctx.sourceId,
    url,
    guid,
    language,
    direction: directionOf(language),
    headline,
    summary,
    bodyHtml: body.html,
    bodyText,
    published: published.toISOString(),
    updated: updated.toISOString(),
    authors,
    dateline,
    images,
    related,
    topics: [],
    keywords,
    contentHash: sha256Hex(canonicalJson(content)),
  };
}

/**
 * Parsers of JSON formats pass through what documents hold, and documents hold `null`, numbers
 * (JSON Feed ids) and mixed arrays where strings belong; one pass here keeps the rest simple.
 */
function coerceRawItem(raw: RawItem): RawItem {
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((x): x is string => x !== undefined) : []);
  const objects = <T>(v: unknown): T[] => (Array.isArray(v) ? v.filter((x): x is T => typeof x === 'object' && x !== null) : []);
  const nullable = (v: unknown): string | null => str(v) ?? null;
  const dateline = raw.dateline;
  return {
    guid: str(raw.guid),
    url: str(raw.url),
    title: str(raw.title),
    summary: str(raw.summary),
    contentHtml: str(raw.contentHtml),
    contentText: str(raw.contentText),
    published: str(raw.published),
    updated: str(raw.updated),
    authors: strings(raw.authors),
    categories: strings(raw.categories),
    language: str(raw.language),
    images: objects<ArticleImage>(raw.images).map((i) => ({ url: nullable(i.url), caption: nullable(i.caption), credit: nullable(i.credit) })),
    related: objects<RelatedLink>(raw.related).map((r) => ({ title: str(r.title) ?? '', url: nullable(r.url) })),
    dateline:
      typeof dateline === 'object' && dateline !== null && typeof dateline.text === 'string'
        ? datelineFromParts({
            text: dateline.text,
            outlet: nullable(dateline.outlet),
            city: nullable(dateline.city),
            country: nullable(dateline.country),
            sources: strings(dateline.sources),
          })
        : undefined,
  };
}

/** The richest body the item has: HTML content, else text content, else the summary. */
function buildBody(raw: RawItem, base: string | null): Body {
  const candidates: Array<{ value: string | undefined; html: boolean; fromSummary: boolean }> = [
    { value: raw.contentHtml, html: true, fromSummary: false },
    { value: raw.contentText, html: false, fromSummary: false },
    { value: raw.summary, html: raw.summary !== undefined && looksLikeHtml(raw.summary), fromSummary: true },
  ];
  for (const c of candidates) {
    if (c.value === undefined || c.value.trim() === '') continue;
    const value = c.value.length > BODY_INPUT_CAP ? c.value.slice(0, BODY_INPUT_CAP) : c.value;
    const body = c.html ? htmlBody(value, base) : textBody(value);
    if (body.paragraphs.length > 0) return { ...body, fromSummary: c.fromSummary };
  }
  return { paragraphs: [], html: '', dateline: null, datelineDate: null, images: [], related: [], fromSummary: false };
}

/**
 * Keeps a body within {@link BODY_CAP}: whole paragraphs while they fit, the next one cut at a
 * word. The HTML of a cut body is rebuilt from its paragraphs (formatting is the price of runaway
 * input; a body under the cap is untouched).
 */
function capBody(body: Body): Body {
  let total = 0;
  let cut = false;
  const kept: string[] = [];
  for (const p of body.paragraphs) {
    const room = BODY_CAP - total - (kept.length ? 2 : 0);
    if (p.length > room) {
      // Too little room for a useful piece: the previous paragraph ends the body with its `…`.
      if (room > 100) kept.push(truncateAtWord(p, room));
      else kept[kept.length - 1] = truncateAtWord(kept[kept.length - 1]!, kept[kept.length - 1]!.length - 1);
      cut = true;
      break;
    }
    kept.push(p);
    total += p.length + (kept.length > 1 ? 2 : 0);
  }
  if (!cut) return body;
  return { ...body, paragraphs: kept, html: paragraphsHtml(kept) };
}

function paragraphsHtml(paragraphs: readonly string[]): string {
  return paragraphs.map((p) => `<p>${escapeHtmlText(p)}</p>`).join('\n');
}

function htmlBody(html: string, base: string | null): Omit<Body, 'fromSummary'> {
  const result = processHtmlBody(sanitizeArticleHtml(cleanText(html), base));
  const paragraphs = result.text
    .split(/\n{2,}/)
    .map((p) => p.split('\n').map(collapseLine).filter((l) => l !== '').join('\n'))
    .filter((p) => p !== '');
  return {
    paragraphs,
    html: result.html,
    dateline: result.dateline,
    datelineDate: result.datelineDate,
    images: result.images,
    related: result.related,
  };
}

function textBody(text: string): Omit<Body, 'fromSummary'> {
  const result = processTextBody(text);
  return {
    paragraphs: result.paragraphs,
    html: paragraphsHtml(result.paragraphs),
    dateline: result.dateline,
    datelineDate: result.datelineDate,
    images: result.images,
    related: result.related,
  };
}

function buildSummary(raw: RawItem, body: Body, bodyText: string, dateline: Dateline | null): string {
  let given = raw.summary === undefined || body.fromSummary ? '' : plainInline(raw.summary);
  if (given !== '') {
    // Feed descriptions repeat the body's opening, dateline included.
    if (dateline !== null && given.startsWith(dateline.text)) {
      given = given.slice(dateline.text.length).replace(/^[\s\-‐‑‒–—―_:]+/u, '');
    } else {
      const inline = matchInlineDateline(given);
      if (inline !== null) given = given.slice(inline.length);
    }
  }
  if (given !== '' && given !== collapseAll(bodyText)) return truncateAtWord(given, SUMMARY_MAX);
  return summaryFromParagraphs(body.paragraphs, SUMMARY_MAX);
}

/** A one-line plain-text field from text that may be HTML. */
function plainInline(value: string): string {
  return cleanInline(looksLikeHtml(value) ? htmlToText(cleanText(value)) : value);
}

function collapseAll(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Copy without a date of its own still names its day: "MOSCOW, Monday (Reuters)", "LONDON,
 * April 10 (Reuters)", or a lede's "أعلن الكرملين، الجمعة، …" / "voted on Thursday" — in wire
 * style the weekday of the lede is the day of the news. Only a bare weekday is taken from the
 * lede: a full date there is as often an earlier event ("منذ 30 آذار/مارس"), and "الجمعة
 * الماضي" is one by definition. Resolved days later than the day after `now` are rejected:
 * a dateline's local date may run a day ahead of UTC, a publication date no further.
 */
function relativePublished(dateline: Dateline | null, lede: string | undefined, now: Date): Date | null {
  const fromDateline = dateline === null ? null : findDateInText(dateline.text, now);
  const found = fromDateline ?? (lede === undefined ? null : findDateInText(lede, now, { weekdayOnly: true }));
  if (found === null || found.date.getTime() > now.getTime() + 86_400_000) return null;
  return found.date;
}

/** A field that gives a calendar day and no time: `2020-04-10`, `20200410`. */
function isDateOnly(value: string | undefined): boolean {
  return value !== undefined && /^\s*\d{4}-?\d{2}-?\d{2}\s*$/.test(value);
}

/**
 * A story known only by its day is timed at 12:00 UTC of that day: the same calendar day for
 * every reader from UTC−11 to UTC+11 (midnight UTC showed the day before to every reader west of
 * Greenwich). Never later than the time the document arrived, so today's story is not dated in
 * the future.
 */
/**
 * A day without a time, timed: noon UTC, the instant at which the day is the same date from
 * UTC−11:59 to UTC+11:59, spread over the minute after it by the article's id, so that two
 * stories of one day do not carry the same instant (feed readers and the Atom validator take
 * equal `updated` times for one story changed); never later than `now` (a story of today that
 * arrives before noon is timed when it arrived).
 */
function atNoon(day: Date, now: Date, id: string): Date {
  const noon = day.getTime() + 12 * 3_600_000 + (Number.parseInt(id.slice(0, 8), 16) % 60_000);
  return new Date(Math.min(noon, Math.max(now.getTime(), day.getTime())));
}

function parseOptionalDate(value: string | undefined): Date | null {
  return value === undefined ? null : parseDate(value);
}

/** Trimmed, cleaned, without empties or case-insensitive duplicates; first spelling wins. */
function uniqueStrings(values: ReadonlyArray<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const clean = plainInline(v);
    const key = clean.toLocaleLowerCase();
    if (clean === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(clean);
  }
  return out;
}

function cleanDateline(d: Dateline): Dateline {
  const field = (v: string | null): string | null => {
    if (v === null) return null;
    const c = cleanInline(v);
    return c === '' ? null : c;
  };
  return datelineFromParts({
    text: cleanInline(d.text),
    outlet: field(d.outlet),
    city: field(d.city),
    country: field(d.country),
    sources: uniqueStrings(d.sources),
  });
}

/**
 * Images from the format (enclosures, media:content) first; a credit found in the copy belongs
 * to the first of them still without one, or stands alone when none is left.
 */
function mergeImages(given: ReadonlyArray<ArticleImage>, found: ReadonlyArray<ArticleImage>, base: string | null): ArticleImage[] {
  const field = (v: string | null): string | null => {
    if (v === null) return null;
    const c = cleanInline(v);
    return c === '' ? null : c;
  };
  const images: ArticleImage[] = given
    .map((img) => ({ url: absoluteWebUrl(img.url, base), caption: field(img.caption), credit: field(img.credit) }))
    .filter((img) => img.url !== null || img.caption !== null || img.credit !== null);
  for (const img of found) {
    const clean = { url: img.url, caption: field(img.caption), credit: field(img.credit) };
    const target = images.find((i) => i.credit === null && i.url !== null);
    if (target !== undefined && clean.credit !== null && clean.caption === null) target.credit = clean.credit;
    else images.push(clean);
  }
  return dedupeBy(images, (i) => canonicalJson(i));
}

function mergeRelated(given: ReadonlyArray<RelatedLink>, found: ReadonlyArray<RelatedLink>, base: string | null): RelatedLink[] {
  const links = [...given, ...found]
    .map((r) => {
      const url = absoluteWebUrl(r.url, base);
      const title = cleanInline(r.title);
      return { title: title !== '' ? title : (url ?? ''), url };
    })
    .filter((r) => r.title !== '');
  return dedupeBy(links, (r) => `${r.title}\u0000${r.url ?? ''}`);
}

function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
