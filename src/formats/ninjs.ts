/**
 * IPTC ninjs ("news in JSON", https://iptc.org/standards/ninjs/) 1.x and 2.x, and the AP Media
 * API item envelope built on it → RawDocument.
 */
import type { ArticleImage, Dateline } from '../model/article-record.ts';
import type { RawDocument, RawItem, RawSubject } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { bylineAuthors, stripControls } from './control-text.ts';

type Json = Record<string, unknown>;

/** How much of a document the sniff looks at: enough for any ninjs object's first keys. */
const SNIFF_CHARS = 65_536;

/**
 * Keys that belong to ninjs and to none of the other JSON formats Wirefeed reads (JSON Feed
 * uses `id`, `title`, `content_html`, `date_published`…).
 */
const NINJS_KEYS = [
  'versioncreated', 'firstcreated', 'pubstatus', 'embargoed', 'urgency', 'headlines', 'bodies',
  'body_html', 'body_text', 'body_xhtml', 'description_text', 'description_html', 'descriptions',
  'byline', 'located', 'copyrightholder', 'copyrightnotice', 'usageterms', 'ednote', 'subject',
  'subjects', 'associations', 'renditions', 'altids', 'infosources', 'slugline', 'representationtype',
];

/** ninjs `type` values that describe a still image. */
const IMAGE_TYPES = new Set(['picture', 'graphic', 'image', 'photo']);

/** IPTC NewsCodes vocabularies whose URIs have a well-known qcode alias. */
const IPTC_ALIASES: Readonly<Record<string, string>> = {
  mediatopic: 'medtop',
  subjectcode: 'subj',
};
const IPTC_CV = /^https?:\/\/cv\.iptc\.org\/newscodes\/([^/]+)\/(.*)$/i;

/**
 * Cheap test of whether a document (or its first characters) is ninjs: a JSON object or array
 * whose keys include `uri`, `guid` or a `$schema`/`standard` naming ninjs together with ninjs'
 * own keys (`versioncreated`, `pubstatus`, `headlines`, `bodies`, `body_html`…). A JSON Feed
 * (a `version` naming jsonfeed.org) is never claimed.
 */
export function looksLikeNinjs(head: string): boolean {
  const text = head.slice(0, SNIFF_CHARS).replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return false;
  if (/"version"\s*:\s*"[^"]*jsonfeed\.org/i.test(text)) return false;
  // A JSON Schema (the ninjs schema itself among them) names every ninjs key: not an item.
  if (/"\$schema"\s*:\s*"[^"]*json-schema\.org/i.test(text)) return false;
  if (/"\$schema"\s*:\s*"[^"]*ninjs/i.test(text)) return true;
  if (/"standard"\s*:\s*\{[^}]*"name"\s*:\s*"ninjs"/i.test(text)) return true;
  const hasKey = (key: string) => new RegExp(`"${key.replace('$', '\\$')}"\\s*:`).test(text);
  const specific = NINJS_KEYS.filter(hasKey).length;
  const identified = hasKey('uri') || hasKey('guid');
  return (identified && specific >= 1) || specific >= 3;
}

/**
 * Parses a ninjs document: one ninjs object, an array of them, an object with an `items` array,
 * or the AP Media API envelope (`data.item`, or `data.items[].item`).
 *
 * Mapping (values copied as written; dates stay strings):
 * `uri` (else `guid`) → guid — except that an AP Media `altids.itemid` wins, because AP's `uri`
 * carries per-request query tokens; `version` → version; `versioncreated` → updated;
 * `firstcreated` (else `contentcreated`) → published; `pubstatus` → status; `embargoed` →
 * embargo; `urgency` → urgency; `headline` / `headlines[]` (role `main` first) → title, else the
 * `title` metadata; `description_text` / `description_html` / `descriptions[]` → summary;
 * `body_html` / `body_xhtml` / `bodies[]` of an HTML type → contentHtml; `body_text` / plain-text
 * `bodies[]` → contentText; `byline` / `by` (else `authors[].name`) → authors; `subject` /
 * `subjects` → subjects; `keywords` → categories; `language`; `located` (or a `dateline` string)
 * → dateline; `provider`, else `infosources[0].name`, `copyrightholder`, `source` → provider;
 * `ednote` → editorNote; `slugline`; picture/graphic `associations` (1.x object, 2.x array) and
 * an image item's own `renditions` → images.
 *
 * Entries with no identifier, headline, summary or body are left out.
 *
 * @throws WireError `PARSE_ERROR` for invalid JSON (the message gives the position), a JSON Feed
 *   or a top level that holds no object; `EMPTY_DOCUMENT` for an empty text or no usable item.
 */
export function parseNinjs(text: string): RawDocument {
  const source = text.replace(/^\uFEFF/, '');
  if (source.trim() === '') throw new WireError('EMPTY_DOCUMENT', 'ninjs document is empty');
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    const message = (err as Error).message;
    const where = /position \d+/.test(message) ? '' : ` at position ${source.length}`;
    throw new WireError('PARSE_ERROR', `invalid ninjs JSON: ${message}${where}`, { cause: err });
  }

  if (isObject(value) && typeof value.version === 'string' && value.version.includes('jsonfeed.org')) {
    throw new WireError('PARSE_ERROR', 'not ninjs: the document is a JSON Feed (its version names jsonfeed.org)');
  }
  const entries = entriesOf(value);
  if (entries === null) throw new WireError('PARSE_ERROR', 'invalid ninjs: the top level is neither an object nor an array of objects');
  // An object with none of these is not a news item (a stray `{}`, an API error envelope).
  const items = entries.map(mapItem).filter(isNewsItem);
  if (items.length === 0) throw new WireError('EMPTY_DOCUMENT', 'ninjs document holds no item with an identifier, a headline or a body');
  return { format: 'ninjs', items };
}

/** The ninjs objects a document holds, or null when its top level is not ninjs-shaped. */
function entriesOf(value: unknown): Json[] | null {
  if (Array.isArray(value)) return value.filter(isObject);
  if (!isObject(value)) return null;
  // AP Media API: {api_version, data: {item}} for one item, {data: {items: [{item}]}} for a feed.
  const data = value.data;
  if (isObject(data)) {
    if (isObject(data.item)) return [data.item];
    if (Array.isArray(data.items)) return data.items.filter(isObject).map((e) => (isObject(e.item) ? e.item : e));
  }
  if (Array.isArray(value.items) && !('uri' in value)) return value.items.filter(isObject);
  return [value];
}

function mapItem(entry: Json): RawItem {
  const item: RawItem = {};
  const altIds = isObject(entry.altids) ? entry.altids : undefined;
  set(item, 'guid', identifier(altIds?.itemid, entry.uri, entry.guid));
  set(item, 'url', first(entry.url));
  set(item, 'version', identifier(entry.version));
  set(item, 'updated', first(entry.versioncreated));
  set(item, 'published', first(entry.firstcreated, entry.contentcreated));
  set(item, 'status', statusOf(entry.pubstatus));
  set(item, 'embargo', first(entry.embargoed));
  set(item, 'urgency', urgencyOf(entry.urgency));
  set(item, 'title', first(entry.headline) ?? pickText(entry.headlines, 'plain') ?? first(entry.title));
  set(item, 'summary', summaryOf(entry));
  set(item, 'contentHtml', first(entry.body_html, entry.body_xhtml) ?? pickText(entry.bodies, 'html'));
  set(item, 'contentText', first(entry.body_text) ?? pickText(entry.bodies, 'text'));
  set(item, 'authors', nonEmpty(authorsOf(entry)));
  set(item, 'subjects', nonEmpty(subjectsOf(entry)));
  set(item, 'categories', nonEmpty(stringList(entry.keywords)));
  set(item, 'language', first(entry.language));
  set(item, 'dateline', datelineOf(entry));
  set(item, 'provider', providerOf(entry));
  set(item, 'editorNote', first(entry.ednote, entry.editorsnote));
  set(item, 'slugline', first(entry.slugline));
  set(item, 'images', nonEmpty(imagesOf(entry)));
  return item;
}

function isNewsItem(i: RawItem): boolean {
  return [i.guid, i.title, i.summary, i.contentHtml, i.contentText].some((v) => v !== undefined);
}

function statusOf(value: unknown): RawItem['status'] {
  const s = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (s === 'usable' || s === 'withheld' || s === 'canceled') return s;
  if (s === 'cancelled') return 'canceled';
  return undefined;
}

function urgencyOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function summaryOf(entry: Json): string | undefined {
  return (
    first(entry.description_text, entry.description_html) ??
    pickText(entry.descriptions, 'plain') ??
    pickText(entry.descriptions, 'html') ??
    first(entry.summary, entry.description)
  );
}

/**
 * The value of the best entry of a ninjs 2.x list of `{role, contenttype, value}` (headlines,
 * bodies, descriptions): `main` role first, then list order. `kind` selects by content type;
 * an entry without one counts as plain text unless its role says `html`.
 */
function pickText(list: unknown, kind: 'plain' | 'text' | 'html'): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const candidates = list.filter(isObject).filter((e) => {
    const type = (text(e.contenttype) ?? '').toLowerCase();
    const isHtml = /html|xml/.test(type) || (type === '' && /html/i.test(text(e.role) ?? ''));
    return kind === 'html' ? isHtml : !isHtml;
  });
  const main = candidates.find((e) => text(e.role)?.toLowerCase() === 'main');
  for (const e of main ? [main, ...candidates] : candidates) {
    const v = text(e.value);
    if (v !== undefined && v.trim() !== '') return v;
  }
  return undefined;
}

function authorsOf(entry: Json): string[] {
  const byline = first(entry.byline, entry.by);
  if (byline !== undefined) return bylineAuthors(byline);
  if (!Array.isArray(entry.authors)) return [];
  return entry.authors
    .map((a) => (isObject(a) ? text(a.name) : text(a)))
    .filter((n): n is string => n !== undefined && n.trim() !== '');
}

/** ninjs 1.x `subject[]` ({code, scheme, name}) and 2.x `subjects[]` ({uri, literal, name}). */
function subjectsOf(entry: Json): RawSubject[] {
  const out: RawSubject[] = [];
  const list = [...(Array.isArray(entry.subject) ? entry.subject : []), ...(Array.isArray(entry.subjects) ? entry.subjects : [])];
  for (const s of list) {
    if (!isObject(s)) continue;
    const subject = subjectOf(s);
    if (subject !== null && !out.some((o) => o.code === subject.code)) out.push(subject);
  }
  return out;
}

function subjectOf(s: Json): RawSubject | null {
  const name = text(s.name);
  const withName = (subject: RawSubject): RawSubject => (name !== undefined ? { ...subject, name } : subject);
  const uri = text(s.uri) ?? text(s.qcode);
  if (uri !== undefined && uri.trim() !== '') return withName(fromUri(uri.trim()));

  const code = text(s.code) ?? text(s.literal);
  if (code === undefined || code.trim() === '') return null;
  const scheme = text(s.scheme)?.trim();
  if (scheme === undefined || scheme === '') return withName({ code: code.trim() });
  if (/^[a-z][\w.-]*$/i.test(scheme)) return withName({ code: `${scheme}:${code.trim()}`, scheme });
  // A scheme given as a URI: the concept's URI is the scheme followed by its code.
  const joined = fromUri(scheme.endsWith('/') || scheme.endsWith('#') ? `${scheme}${code.trim()}` : `${scheme}/${code.trim()}`);
  return withName({ ...joined, scheme });
}

/**
 * A subject URI: an IPTC NewsCodes URI becomes its qcode (`medtop:20000763`), a qcode stays as
 * written, any other URI is kept whole with its namespace as the scheme.
 */
function fromUri(uri: string): RawSubject {
  const iptc = IPTC_CV.exec(uri);
  if (iptc) {
    const vocabulary = (iptc[1] ?? '').toLowerCase();
    const alias = IPTC_ALIASES[vocabulary] ?? vocabulary;
    const code = (iptc[2] ?? '').replace(/\/+$/, '');
    return { code: `${alias}:${code}`, scheme: `http://cv.iptc.org/newscodes/${vocabulary}/` };
  }
  if (/^[a-z][\w.-]*:[^/]/i.test(uri) && !/^(?:https?|urn):/i.test(uri)) {
    return { code: uri, scheme: uri.slice(0, uri.indexOf(':')) };
  }
  const cut = Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('#'));
  return cut > 0 && cut < uri.length - 1 ? { code: uri, scheme: uri.slice(0, cut + 1) } : { code: uri };
}

function datelineOf(entry: Json): Dateline | undefined {
  const located = first(entry.located, entry.dateline);
  if (located === undefined) return undefined;
  // ninjs `located` is the name of the place the content originates from: a city as a rule.
  const isPlaceName = first(entry.located) !== undefined;
  // No agency is credited: `agencies` (being added to Dateline) is empty like `sources`.
  const dateline = { text: located.trim(), outlet: null, city: isPlaceName ? located.trim() : null, country: null, sources: [], agencies: [] };
  return dateline;
}

function providerOf(entry: Json): string | undefined {
  const infosource = Array.isArray(entry.infosources) ? entry.infosources.find(isObject) : undefined;
  const candidates = [entry.provider, infosource?.name, entry.copyrightholder, entry.source];
  for (const c of candidates) {
    const v = isObject(c) ? text(c.name) : text(c);
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** Pictures and graphics associated with the item, and the item's own renditions when it is one. */
function imagesOf(entry: Json): ArticleImage[] {
  const images: ArticleImage[] = [];
  const add = (image: ArticleImage | null) => {
    if (image !== null && !images.some((i) => i.url === image.url)) images.push(image);
  };
  if (isImageItem(entry)) add(imageOf(entry));
  const assoc = entry.associations;
  const associated = Array.isArray(assoc) ? assoc : isObject(assoc) ? Object.values(assoc) : [];
  for (const a of associated) {
    if (isObject(a) && isImageItem(a)) add(imageOf(a));
  }
  return images;
}

function isImageItem(entry: Json): boolean {
  const type = text(entry.type)?.toLowerCase();
  if (type !== undefined) return IMAGE_TYPES.has(type);
  return /^image\//i.test(text(entry.mimetype) ?? '');
}

function imageOf(entry: Json): ArticleImage | null {
  const url = renditionHref(entry.renditions);
  if (url === undefined) return null;
  const caption =
    first(entry.description_text) ?? pickText(entry.descriptions, 'plain') ?? first(entry.headline) ?? pickText(entry.headlines, 'plain');
  const credit = first(entry.byline, entry.by, entry.copyrightnotice);
  return { url, caption: blankToNull(caption), credit: blankToNull(credit) };
}

/**
 * The rendition to show: the one named `original`, else the widest, else the first with an
 * href. 1.x renditions are an object keyed by name, 2.x an array of objects with `name`.
 */
function renditionHref(renditions: unknown): string | undefined {
  const list: Json[] = Array.isArray(renditions)
    ? renditions.filter(isObject)
    : isObject(renditions)
      ? Object.entries(renditions).flatMap(([name, r]) => (isObject(r) ? [{ name, ...r }] : []))
      : [];
  const usable = list.filter((r) => text(r.href) !== undefined && !/^(?:audio|video|text)\//i.test(text(r.contenttype) ?? text(r.mimetype) ?? ''));
  if (usable.length === 0) return undefined;
  const original = usable.find((r) => text(r.name)?.toLowerCase() === 'original');
  if (original) return text(original.href);
  let best = usable[0] as Json;
  for (const r of usable) {
    if (typeof r.width === 'number' && (typeof best.width !== 'number' || r.width > best.width)) best = r;
  }
  return text(best.href);
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [stripControls(value)];
  if (!Array.isArray(value)) return [];
  return value.map((v) => (isObject(v) ? text(v.name) : text(v))).filter((v): v is string => v !== undefined && v.trim() !== '');
}

/** A string member with control characters removed. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? stripControls(value) : undefined;
}

/** Like `first`, but numbers count too: AP sends `version: 0`, some providers numeric ids. */
function identifier(...values: unknown[]): string | undefined {
  return first(...values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v)));
}

/** The first of the values that is a non-blank string, cleaned. */
function first(...values: unknown[]): string | undefined {
  for (const v of values) {
    const t = text(v);
    if (t !== undefined && t.trim() !== '') return t;
  }
  return undefined;
}

function blankToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

function set<K extends keyof RawItem>(item: RawItem, key: K, value: RawItem[K] | undefined): void {
  if (value !== undefined) item[key] = value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
