/**
 * IPTC NewsML-G2 (2.x) → RawDocument: a `newsItem` document, or a `newsMessage` whose
 * `itemSet` carries several items. Namespace prefixes are ignored (`ns0:newsItem`, `html:p`),
 * as producers choose them freely.
 *
 * Only news items become RawItems. Packages, concepts, knowledge and planning items describe or
 * group stories rather than tell them; picture, graphic, video and audio items are kept only
 * when they carry text (a headline or a description), a picture then becoming an item whose
 * image is the picture.
 */
import type { ArticleImage, Dateline, RelatedLink } from '../model/article-record.ts';
import type { RawDocument, RawItem, RawSubject } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { nitfBodyContent, urgency } from './nitf.ts';
import {
  at,
  attr,
  bodyToHtml,
  child,
  childElements,
  hasContent,
  htmlStringToHtml,
  isImageLocation,
  looksLikeMarkup,
  parseXml,
  put,
  rawText,
  rootName,
  text,
  unique,
  type XmlElement,
} from './xml-tree.ts';

const G2_ROOTS = new Set(['newsItem', 'newsMessage', 'packageItem']);
const NAR_NAMESPACE = 'http://iptc.org/std/nar/2006-10-01/';
const TEXT_CLASSES = /(^|:)text$/i;
/** Reuters puts the transmission time where the dateline belongs (`2014-07-16 15:53:10 GMT+00:00`). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?\s*(Z|GMT|UTC|[+-]\d{2}:?\d{2})?([+-]\d{2}:?\d{2})?$/i;

/**
 * Cheap check on the first ~2 KB of a decoded document: is its root a NewsML-G2 `newsItem`,
 * `newsMessage` or `packageItem` (any prefix), or does it declare the NewsML-G2 namespace?
 * The names are compared with their case, so NewsML 1.x (`<NewsML>`, `<NewsItem>`) is not taken.
 */
export function looksLikeNewsmlG2(head: string): boolean {
  const root = rootName(head);
  if (root === undefined) return false;
  return G2_ROOTS.has(root) || (root !== 'NewsML' && root.toLowerCase() !== 'nitf' && head.includes(NAR_NAMESPACE));
}

/**
 * Parses a NewsML-G2 document.
 *
 * Per news item: guid and version (attributes of `newsItem`); `itemMeta/versionCreated` →
 * updated; `firstCreated` (else `contentMeta/contentCreated`) → published; `pubStatus` →
 * status; `embargoed` → embargo; every `edNote` → editorNote; `provider` → provider (its
 * literal, the code of an `nprov:` qcode, its name, else the qcode or uri as written);
 * `contentMeta`: main `headline` → title, `slugline`, `by` (else creators' names) → authors,
 * `description` → summary (a picture caption only for picture items; a sub-headline when there
 * is no description), `urgency`, `language/@tag` (else `xml:lang`), `subject` qcodes →
 * subjects (with the IPTC `medtop:`/`subj:` codes their `sameAs` give), `genre` and `keyword`
 * → categories, `dateline` with `located` (+ `broader`) → dateline, `irel:seeAlso` links →
 * related. The body is the first `contentSet` rendition that yields text: `inlineXML` holding
 * NITF (`nitf/body/body.content`) or XHTML (`html/body`) → contentHtml; `inlineData` as
 * `text/html` → contentHtml, as plain text → contentText. `remoteContent` pictures → images.
 *
 * When an item has a `located` but no `dateline` element, its dateline has an empty `text`
 * (the copy carries none) and only the structured city and country: normalization then takes
 * the dateline written in the body, if any.
 *
 * @throws WireError `PARSE_ERROR` for malformed XML (with line and column), `NOT_A_FEED` for
 *   another root element, `EMPTY_DOCUMENT` when no item has a headline or a body.
 */
export function parseNewsmlG2(xml: string): RawDocument {
  const root = parseXml(xml, 'NewsML-G2');
  const local = root.name;
  let candidates: XmlElement[];
  if (local === 'newsMessage' || local.toLowerCase() === 'newsmessage') {
    candidates = childElements(root, 'itemSet').flatMap((set) => childElements(set));
  } else if (['newsitem', 'packageitem', 'conceptitem', 'knowledgeitem', 'planningitem'].includes(local.toLowerCase())) {
    candidates = [root];
  } else if (local.toLowerCase() === 'contentmeta') {
    // A bare contentMeta (as in the IPTC guidelines' listings) is read as an item that has only it.
    candidates = [{ kind: 'element', name: 'newsItem', attrs: {}, children: [root] }];
  } else {
    throw new WireError('NOT_A_FEED', `not a NewsML-G2 document: root element <${local}>`);
  }

  const items = candidates
    .filter((c) => c.name.toLowerCase() === 'newsitem')
    .map(newsItem)
    .filter((item) => item !== undefined);
  if (items.length === 0) {
    const kinds = unique(candidates.map((c) => c.name)).join(', ') || 'none';
    throw new WireError('EMPTY_DOCUMENT', `NewsML-G2 document has no news item with a headline or a body (items: ${kinds})`);
  }
  const doc: RawDocument = { format: 'newsml-g2', items };
  const languages = unique(items.map((i) => i.language ?? ''));
  if (languages.length === 1 && languages[0]) doc.language = languages[0];
  return doc;
}

function newsItem(el: XmlElement): RawItem | undefined {
  const itemMeta = child(el, 'itemMeta');
  const contentMeta = child(el, 'contentMeta');
  const itemClass = attr(child(itemMeta, 'itemClass'), 'qcode') ?? 'ninat:text';
  const isText = TEXT_CLASSES.test(itemClass);
  const item: RawItem = {};

  put(item, 'guid', attr(el, 'guid'));
  put(item, 'version', attr(el, 'version'));
  put(item, 'updated', text(child(itemMeta, 'versionCreated')));
  put(item, 'published', text(child(itemMeta, 'firstCreated')) ?? text(child(contentMeta, 'contentCreated')));
  put(item, 'status', pubStatus(attr(child(itemMeta, 'pubStatus'), 'qcode')));
  put(item, 'embargo', text(child(itemMeta, 'embargoed')));
  // dpa sends its notepad twice: once as an XHTML section, once as plain notes. The plain ones read better.
  const edNotes = childElements(itemMeta, 'edNote');
  const plainNotes = edNotes.filter((n) => childElements(n).length === 0);
  const notes = (plainNotes.length > 0 ? plainNotes : edNotes).map((n) => text(n)).filter((n) => n !== undefined);
  put(item, 'editorNote', notes.length > 0 ? unique(notes).join('\n') : undefined);
  put(item, 'provider', provider(child(itemMeta, 'provider')));
  put(item, 'related', seeAlso(itemMeta));

  const headlines = childElements(contentMeta, 'headline');
  const main = headlines.find((h) => isMainRole(attr(h, 'role'))) ?? headlines[0];
  const sub = headlines.find((h) => h !== main);
  put(item, 'title', text(main));
  const descriptions = childElements(contentMeta, 'description');
  const caption = descriptions.find((d) => /caption/i.test(attr(d, 'role') ?? ''));
  const description = descriptions.find((d) => d !== caption);
  put(item, 'summary', text(description) ?? (isText ? undefined : text(caption)) ?? text(sub));
  put(item, 'slugline', text(child(contentMeta, 'slugline')));
  put(item, 'authors', authors(contentMeta));
  put(item, 'urgency', urgency(text(child(contentMeta, 'urgency'))));
  put(item, 'language', attr(child(contentMeta, 'language'), 'tag') ?? attr(el, 'xml:lang'));
  put(item, 'subjects', subjects(contentMeta));
  put(
    item,
    'categories',
    unique(
      [
        ...childElements(contentMeta, 'genre').map((g) => englishName(g) ?? attr(g, 'literal') ?? attr(g, 'qcode')),
        ...childElements(contentMeta, 'keyword').map((k) => text(k)),
      ].filter((c) => c !== undefined),
    ),
  );
  put(item, 'dateline', dateline(contentMeta));

  const contentSet = child(el, 'contentSet');
  const body = contentSetBody(contentSet);
  put(item, 'contentHtml', body.html);
  put(item, 'contentText', body.text);
  // Some providers (Scoop) leave contentMeta without a headline and put it in the NITF head.
  if (item.title === undefined) put(item, 'title', body.title);
  const images = [...body.images];
  if (!isText) {
    const picture = pictureRendition(contentSet);
    if (picture !== undefined) {
      images.unshift({
        url: picture,
        caption: text(caption) ?? text(description) ?? null,
        credit: text(child(contentMeta, 'creditline')) ?? text(child(contentMeta, 'by')) ?? null,
      });
    }
  }
  put(item, 'images', images);

  if (!isText && item.title === undefined && item.summary === undefined) return undefined;
  if (isText && !hasContent(item)) return undefined;
  return item;
}

function isMainRole(role: string | undefined): boolean {
  return role === undefined || /(^|:)main$/i.test(role);
}

/** `stat:usable`, `stat:withheld`, `stat:canceled`, as qcode or as the full IPTC URI. */
function pubStatus(qcode: string | undefined): RawItem['status'] {
  const code = qcode?.replace(/^.*[:/]/, '').toLowerCase();
  if (code === 'usable' || code === 'withheld') return code;
  if (code === 'canceled' || code === 'cancelled') return 'canceled';
  return undefined;
}

function provider(el: XmlElement | undefined): string | undefined {
  if (el === undefined) return undefined;
  const qcode = attr(el, 'qcode');
  const nprov = qcode !== undefined && /^nprov:/i.test(qcode) ? qcode.slice(qcode.indexOf(':') + 1) : undefined;
  return attr(el, 'literal') ?? nprov ?? englishName(el) ?? qcode ?? attr(el, 'uri');
}

/**
 * The name of a concept: the English one when names come in several languages, else the display
 * name, else the first.
 */
function englishName(el: XmlElement | undefined): string | undefined {
  const names = childElements(el, 'name').filter((n) => text(n) !== undefined);
  if (names.length === 0) return undefined;
  const english = names.find((n) => /^en\b/i.test(attr(n, 'xml:lang') ?? ''));
  const display = names.find((n) => /display|full/i.test(attr(n, 'role') ?? ''));
  return text(english ?? display ?? names[0]);
}

function authors(contentMeta: XmlElement | undefined): string[] {
  const bylines = childElements(contentMeta, 'by')
    .map((b) => text(b)?.replace(/^by\s+/i, ''))
    .filter((b): b is string => b !== undefined && b !== '');
  if (bylines.length > 0) return unique(bylines);
  return unique(
    childElements(contentMeta, 'creator')
      .map((c) => englishName(c) ?? attr(c, 'literal'))
      .filter((c) => c !== undefined),
  );
}

const IPTC_SCHEMES = /^(medtop|subj):/i;

function subjects(contentMeta: XmlElement | undefined): RawSubject[] {
  const found: RawSubject[] = [];
  const add = (el: XmlElement) => {
    const qcode = attr(el, 'qcode');
    if (qcode === undefined) return;
    const subject: RawSubject = { code: qcode };
    const colon = qcode.indexOf(':');
    if (colon > 0) subject.scheme = qcode.slice(0, colon);
    put(subject, 'name', englishName(el));
    found.push(subject);
  };
  for (const subject of childElements(contentMeta, 'subject')) {
    add(subject);
    // dpa gives the IPTC equivalents of its own codes as sameAs: they are what classification maps.
    for (const same of childElements(subject, 'sameAs')) if (IPTC_SCHEMES.test(attr(same, 'qcode') ?? '')) add(same);
  }
  return unique(found, (s) => s.code);
}

function dateline(contentMeta: XmlElement | undefined): Dateline | undefined {
  const written = text(child(contentMeta, 'dateline'));
  const value = written !== undefined && !TIMESTAMP.test(written) ? written : undefined;
  const located = child(contentMeta, 'located');
  if (value === undefined && located === undefined) return undefined;

  let city: string | null = null;
  let country: string | null = null;
  if (located !== undefined) {
    const ownName = englishName(located) ?? attr(located, 'literal') ?? codeIn(attr(located, 'qcode'), /^city$/i);
    if (isCountry(located)) country = ownName ?? null;
    else city = ownName ?? null;
    const broaderCountry = childElements(located, 'broader').find(isCountry);
    if (broaderCountry !== undefined) {
      country ??= englishName(broaderCountry) ?? attr(broaderCountry, 'literal') ?? codeIn(attr(broaderCountry, 'qcode'), /^(cntry|country)$/i) ?? null;
    }
  }
  if (value === undefined && city === null && country === null) return undefined;
  return { text: value ?? '', outlet: null, city, country, sources: [], agencies: [] };
}

function isCountry(el: XmlElement): boolean {
  return /country/i.test(attr(el, 'type') ?? '') || /^(cntry|country|iso3166-1a[23]):/i.test(attr(el, 'qcode') ?? '');
}

/** The code of a qcode whose scheme matches (`city:Moscow` → `Moscow`). */
function codeIn(qcode: string | undefined, scheme: RegExp): string | undefined {
  if (qcode === undefined) return undefined;
  const colon = qcode.indexOf(':');
  if (colon <= 0 || !scheme.test(qcode.slice(0, colon))) return undefined;
  return qcode.slice(colon + 1) || undefined;
}

function seeAlso(itemMeta: XmlElement | undefined): RelatedLink[] {
  return childElements(itemMeta, 'link')
    .filter((l) => /seeAlso$/i.test(attr(l, 'rel') ?? '') && /^https?:\/\//i.test(attr(l, 'href') ?? ''))
    .map((l) => ({ title: text(child(l, 'title')) ?? attr(l, 'title') ?? attr(l, 'href') ?? '', url: attr(l, 'href') ?? null }));
}

interface Body {
  /** The headline inside the rendition (NITF `hl1` / `title`, XHTML `title`). */
  title?: string;
  html?: string;
  text?: string;
  images: ArticleImage[];
}

function contentSetBody(contentSet: XmlElement | undefined): Body {
  for (const rendition of childElements(contentSet)) {
    const name = rendition.name.toLowerCase();
    const type = (attr(rendition, 'contenttype') ?? '').toLowerCase();
    if (name === 'inlinexml') {
      const body = inlineXmlBody(rendition);
      if (body.html !== undefined) return body;
    } else if (name === 'inlinedata') {
      const data = rawText(rendition);
      if (data.trim() === '') continue;
      if (/html/.test(type)) {
        const html = htmlStringToHtml(data);
        if (html !== undefined) return { html, images: [] };
      } else if (type === '' || type.startsWith('text/')) {
        const body = plainTextBody(data);
        if (body.html !== undefined || body.text !== undefined) return body;
      }
    }
  }
  return { images: [] };
}

function inlineXmlBody(inline: XmlElement): Body {
  const top = childElements(inline);
  const nitf = top.find((e) => e.name.toLowerCase() === 'nitf');
  if (nitf !== undefined) {
    const { html, images } = nitfBodyContent(child(nitf, 'body'));
    const body: Body = { images };
    put(body, 'html', html);
    put(body, 'title', text(at(nitf, 'body/body.head/hedline/hl1')) ?? text(at(nitf, 'head/title')));
    return body;
  }
  const html = top.find((e) => e.name.toLowerCase() === 'html');
  const body: Body = { images: [] };
  put(body, 'html', bodyToHtml(html !== undefined ? (child(html, 'body')?.children ?? []) : inline.children));
  put(body, 'title', text(at(html, 'head/title')));
  return body;
}

/**
 * Plain-text inline data. ANSA labels its copy `text/plain` yet wraps it in `<p>` and marks
 * paragraphs by indenting their first line, as teleprinter copy did: a `<p>`/`<br>` wrapper is
 * unwrapped and an indented line starts a paragraph. Text with any other markup is HTML.
 */
function plainTextBody(data: string): Body {
  const unwrapped = data.replace(/<br\s*\/?>/gi, '\n').replace(/<\/?p(\s[^>]*)?>/gi, '\n\n');
  if (looksLikeMarkup(unwrapped)) {
    const html = htmlStringToHtml(data);
    return html === undefined ? { images: [] } : { html, images: [] };
  }
  const paragraphs: string[][] = [];
  let current: string[] = [];
  const lines = unwrapped.replace(/\r\n?/g, '\n').split('\n');
  const blankSeparated = lines.filter((l) => l.trim() === '').length > 0 && /\S\n[ \t]*\n[ \t]*\S/.test(unwrapped.trim());
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length > 0) paragraphs.push(current);
      current = [];
      continue;
    }
    if (!blankSeparated && /^[ \t]{2,}/.test(line) && current.length > 0) {
      paragraphs.push(current);
      current = [];
    }
    current.push(line.trim());
  }
  if (current.length > 0) paragraphs.push(current);
  const value = paragraphs.map((p) => p.join('\n')).join('\n\n');
  return value === '' ? { images: [] } : { text: value, images: [] };
}

/** The best rendition of a picture for a feed reader: a view/web size, else the largest not huge. */
function pictureRendition(contentSet: XmlElement | undefined): string | undefined {
  const pictures = childElements(contentSet, 'remoteContent').filter((r) => {
    const href = attr(r, 'href');
    const type = attr(r, 'contenttype') ?? '';
    return href !== undefined && isImageLocation(href) && (type === '' || /^image\//i.test(type));
  });
  if (pictures.length === 0) return undefined;
  const named = pictures.find((p) => /view|preview|web|display|screen/i.test(attr(p, 'rendition') ?? ''));
  if (named !== undefined) return attr(named, 'href');
  const width = (p: XmlElement) => Number(attr(p, 'width') ?? 0) || 0;
  const sized = pictures.filter((p) => !/thumb/i.test(attr(p, 'rendition') ?? '')).sort((a, b) => width(b) - width(a));
  const fit = sized.find((p) => width(p) <= 2048) ?? sized[0] ?? pictures[0];
  return attr(fit, 'href');
}
