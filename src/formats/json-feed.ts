/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) → RawDocument.
 */
import type { ArticleImage, RelatedLink } from '../model/article-record.ts';
import type { RawDocument, RawItem } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';

type Json = Record<string, unknown>;

/**
 * Parses a JSON Feed document.
 *
 * Maps `id` → guid, `url` → url, `external_url` → related link, `title`, `summary`,
 * `content_html` / `content_text`, `date_published` / `date_modified` (as written), `authors`
 * (1.1) or `author` (1.0) names (else the feed's), `tags`, `language` (item, else the feed's),
 * `image` and image attachments (`banner_image` is decoration and is left out). Wrongly typed members are skipped, not fatal.
 *
 * @throws WireError `PARSE_ERROR` for invalid JSON or a top level that is not an object.
 */
export function parseJsonFeed(text: string): RawDocument {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new WireError('PARSE_ERROR', `invalid JSON Feed: ${(err as Error).message}`, { cause: err });
  }
  if (!isObject(value)) throw new WireError('PARSE_ERROR', 'invalid JSON Feed: the top level is not an object');

  const language = str(value.language);
  const feedAuthors = authorsOf(value);
  const doc: RawDocument = { format: 'json-feed', items: [] };
  const title = str(value.title);
  if (title !== undefined) doc.title = title;
  const link = str(value.home_page_url);
  if (link !== undefined) doc.link = link;
  if (language !== undefined) doc.language = language;

  const items = Array.isArray(value.items) ? value.items : [];
  for (const entry of items) {
    if (isObject(entry)) doc.items.push(mapItem(entry, language, feedAuthors));
  }
  return doc;
}

function mapItem(entry: Json, feedLanguage: string | undefined, feedAuthors: string[]): RawItem {
  const item: RawItem = {};
  // The spec makes id a string, but numeric ids are common in the wild.
  const id = typeof entry.id === 'number' ? String(entry.id) : str(entry.id);
  if (id !== undefined) item.guid = id;
  setIf(item, 'url', str(entry.url));
  setIf(item, 'title', str(entry.title));
  setIf(item, 'summary', str(entry.summary));
  setIf(item, 'contentHtml', str(entry.content_html));
  setIf(item, 'contentText', str(entry.content_text));
  setIf(item, 'published', str(entry.date_published));
  setIf(item, 'updated', str(entry.date_modified));

  // An item without authors inherits the feed's (spec: "the feed's authors apply to all items").
  const authors = authorsOf(entry);
  if (authors.length > 0) item.authors = authors;
  else if (feedAuthors.length > 0) item.authors = [...feedAuthors];

  if (Array.isArray(entry.tags)) {
    const tags = entry.tags.filter((t): t is string => typeof t === 'string');
    if (tags.length > 0) item.categories = tags;
  }
  setIf(item, 'language', str(entry.language) ?? feedLanguage);

  const images: ArticleImage[] = [];
  const addImage = (url: string | undefined, caption: string | null = null) => {
    if (url !== undefined && !images.some((img) => img.url === url)) images.push({ url, caption, credit: null });
  };
  addImage(str(entry.image));
  if (Array.isArray(entry.attachments)) {
    for (const att of entry.attachments) {
      if (isObject(att) && /^image\//i.test(str(att.mime_type) ?? '')) addImage(str(att.url), str(att.title) ?? null);
    }
  }
  if (images.length > 0) item.images = images;

  const external = str(entry.external_url);
  if (external !== undefined) {
    const related: RelatedLink[] = [{ title: str(entry.title) ?? external, url: external }];
    item.related = related;
  }
  return item;
}

/** Author names from 1.1 `authors` or, failing that, 1.0 `author`. */
function authorsOf(obj: Json): string[] {
  const list = Array.isArray(obj.authors) ? obj.authors : isObject(obj.author) ? [obj.author] : [];
  const names: string[] = [];
  for (const a of list) {
    const name = isObject(a) ? str(a.name) : undefined;
    if (name !== undefined && name.trim() !== '') names.push(name);
  }
  return names;
}

function setIf<K extends keyof RawItem>(item: RawItem, key: K, value: RawItem[K] | undefined): void {
  if (value !== undefined) item[key] = value;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
