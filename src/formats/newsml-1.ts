/**
 * IPTC NewsML 1.x (1.0–1.2, as sent by AFP and ANA-MPE) → RawDocument: every `NewsItem` of the
 * `NewsML` envelope becomes an item. A NewsItem's metadata is spread over nested
 * `NewsComponent`s; the first one that carries a given block (NewsLines, metadata) in document
 * order is the item's.
 */
import type { ArticleImage, Dateline } from '../model/article-record.ts';
import type { RawDocument, RawItem, RawSubject } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { bylineAuthors, nitfBodyContent, urgency } from './nitf.ts';
import {
  at,
  attr,
  bodyToHtml,
  child,
  childElements,
  descendants,
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

/** Cheap check on the first ~2 KB of a decoded document: is its root `<NewsML>`? */
export function looksLikeNewsml1(head: string): boolean {
  return rootName(head)?.toLowerCase() === 'newsml';
}

/**
 * Parses a NewsML 1.x document.
 *
 * Per NewsItem: `PublicIdentifier` → guid, `RevisionId` → version, `FirstCreated` /
 * `ThisRevisionCreated` → published / updated (as written, e.g. `20140829T134951+0000`),
 * `Status` (Usable, Withheld, Canceled) → status, `Urgency` → urgency, a `StatusWillChange` to
 * Usable → embargo; `NewsLines`: `HeadLine` → title, `SubHeadLine` → summary, `DateLine` →
 * dateline (city and country from the origin `Location` or the City/Country properties),
 * `SlugLine`, `ByLine` → authors; provider: the `Provider` (else `Source`) party, else the
 * `CopyrightLine`, else `ProviderId`; `DescriptiveMetadata`: `Language` (else `xml:lang`),
 * `SubjectCode` → `subj:` subjects (named from the item's `TopicSet` when it names them in
 * English), Keyword properties and `Genre` → categories. The body is every text `ContentItem`'s
 * `DataContent` in order: NITF (`nitf/body/body.content`) or bare markup → contentHtml, HTML in
 * CDATA → contentHtml, plain text → contentText. Photo ContentItems with a loadable `Href` →
 * images.
 *
 * @throws WireError `PARSE_ERROR` for malformed XML (with line and column), `NOT_A_FEED` for
 *   another root element, `EMPTY_DOCUMENT` when no NewsItem has a headline or a body.
 */
export function parseNewsml1(xml: string): RawDocument {
  const root = parseXml(xml, 'NewsML 1.2');
  const name = root.name.toLowerCase();
  let newsItems: XmlElement[];
  if (name === 'newsml') newsItems = childElements(root, 'NewsItem');
  else if (name === 'newsitem') newsItems = [root];
  else throw new WireError('NOT_A_FEED', `not a NewsML 1.x document: root element <${root.name}>`);

  const items = newsItems.map(newsItem).filter(hasContent);
  if (items.length === 0) throw new WireError('EMPTY_DOCUMENT', 'NewsML 1.2 document has no NewsItem with a headline or a body');
  const doc: RawDocument = { format: 'newsml-1.2', items };
  const languages = unique(items.map((i) => i.language ?? ''));
  if (languages.length === 1 && languages[0]) doc.language = languages[0];
  return doc;
}

function newsItem(el: XmlElement): RawItem {
  const identifier = at(el, 'Identification/NewsIdentifier');
  const management = child(el, 'NewsManagement');
  const component = child(el, 'NewsComponent');
  const components = component === undefined ? [] : [component, ...descendants(component, 'NewsComponent')];
  const first = (name: string) => components.map((c) => child(c, name)).find((e) => e !== undefined);
  const lines = first('NewsLines');
  const admin = first('AdministrativeMetadata');
  const described = components.map((c) => child(c, 'DescriptiveMetadata')).filter((d) => d !== undefined);
  const item: RawItem = {};

  put(item, 'guid', text(child(identifier, 'PublicIdentifier')));
  put(item, 'version', text(child(identifier, 'RevisionId')));
  put(item, 'published', text(child(management, 'FirstCreated')));
  put(item, 'updated', text(child(management, 'ThisRevisionCreated')));
  put(item, 'status', status(attr(child(management, 'Status'), 'FormalName')));
  put(item, 'urgency', urgency(attr(child(management, 'Urgency'), 'FormalName')));
  const willChange = child(management, 'StatusWillChange');
  if (/^usable$/i.test(attr(child(willChange, 'FutureStatus'), 'FormalName') ?? '')) {
    put(item, 'embargo', text(child(willChange, 'DateAndTime')));
  }

  put(item, 'title', text(child(lines, 'HeadLine')));
  put(item, 'summary', text(child(lines, 'SubHeadLine')));
  put(item, 'slugline', text(child(lines, 'SlugLine')));
  put(item, 'authors', bylineAuthors(childElements(lines, 'ByLine')));
  put(
    item,
    'provider',
    attr(at(admin, 'Provider/Party'), 'FormalName') ??
      attr(at(admin, 'Source/Party'), 'FormalName') ??
      text(child(lines, 'CopyrightLine')) ??
      text(child(identifier, 'ProviderId')),
  );
  put(item, 'language', described.map((d) => attr(child(d, 'Language'), 'FormalName')).find((l) => l !== undefined) ?? attr(el, 'xml:lang'));
  put(item, 'dateline', dateline(text(child(lines, 'DateLine')), described));
  put(item, 'subjects', subjects(described, components));
  put(
    item,
    'categories',
    unique(
      described.flatMap((d) => [
        ...childElements(d, 'Property')
          .filter((p) => /^keyword$/i.test(attr(p, 'FormalName') ?? ''))
          .map((p) => attr(p, 'Value')),
        ...childElements(d, 'Genre').map((g) => attr(g, 'FormalName')),
      ]).filter((c) => c !== undefined),
    ),
  );

  const body = contentBody(component);
  put(item, 'contentHtml', body.html);
  put(item, 'contentText', body.text);
  put(item, 'images', body.images);
  return item;
}

function status(value: string | undefined): RawItem['status'] {
  switch (value?.toLowerCase()) {
    case 'usable':
      return 'usable';
    case 'withheld':
    case 'embargoed':
      return 'withheld';
    case 'canceled':
    case 'cancelled':
      return 'canceled';
    default:
      return undefined;
  }
}

function dateline(written: string | undefined, described: XmlElement[]): Dateline | undefined {
  if (written === undefined) return undefined;
  let city: string | null = null;
  let country: string | null = null;
  for (const d of described) {
    const origin = childElements(d, 'Location').find((l) => /origin/i.test(attr(l, 'HowPresent') ?? '')) ?? child(d, 'Location');
    for (const holder of [origin, d]) {
      for (const p of childElements(holder, 'Property')) {
        const kind = attr(p, 'FormalName')?.toLowerCase();
        if (kind === 'city') city ??= attr(p, 'Value') ?? null;
        if (kind === 'country') country ??= attr(p, 'Value') ?? null;
      }
    }
  }
  return { text: written, outlet: null, city, country, sources: [], agencies: [] };
}

function subjects(described: XmlElement[], components: XmlElement[]): RawSubject[] {
  const names = new Map<string, string>();
  for (const topic of components.flatMap((c) => childElements(child(c, 'TopicSet'), 'Topic'))) {
    const code = text(child(topic, 'FormalName'));
    const english = childElements(topic, 'Description').find(
      (d) => /^en\b/i.test(attr(d, 'xml:lang') ?? '') && /^name$/i.test(attr(d, 'Variant') ?? 'Name'),
    );
    const name = text(english);
    if (code !== undefined && name !== undefined && !names.has(code)) names.set(code, name);
  }
  const found: RawSubject[] = [];
  for (const d of described) {
    for (const code of childElements(d, 'SubjectCode').flatMap((s) => childElements(s, 'Subject', 'SubjectMatter', 'SubjectDetail'))) {
      const value = attr(code, 'FormalName');
      if (value === undefined) continue;
      const scheme = attr(code, 'Scheme');
      const iptc = scheme === undefined || /iptc/i.test(scheme);
      const subject: RawSubject = { code: iptc ? `subj:${value}` : value, scheme: iptc ? 'subj' : scheme };
      put(subject, 'name', names.get(value));
      found.push(subject);
    }
  }
  return unique(found, (s) => s.code);
}

function contentBody(component: XmlElement | undefined): { html?: string; text?: string; images: ArticleImage[] } {
  const html: string[] = [];
  const texts: string[] = [];
  const images: ArticleImage[] = [];
  for (const item of descendants(component, 'ContentItem')) {
    const media = (attr(child(item, 'MediaType'), 'FormalName') ?? 'Text').toLowerCase();
    const href = attr(item, 'Href');
    if ((media === 'photo' || media === 'graphic') && href !== undefined && isImageLocation(href)) {
      images.push({ url: href, caption: null, credit: null });
      continue;
    }
    if (media !== 'text') continue;
    const data = child(item, 'DataContent');
    if (data === undefined) continue;
    const format = attr(child(item, 'Format'), 'FormalName') ?? '';
    const nitf = child(data, 'nitf');
    if (nitf !== undefined) {
      const body = nitfBodyContent(child(nitf, 'body'));
      if (body.html !== undefined) html.push(body.html);
      images.push(...body.images);
    } else if (childElements(data).length > 0) {
      const converted = bodyToHtml(data.children);
      if (converted !== undefined) html.push(converted);
    } else {
      const value = rawText(data);
      if (/html/i.test(format) || looksLikeMarkup(value)) {
        const converted = htmlStringToHtml(value);
        if (converted !== undefined) html.push(converted);
      } else if (value.trim() !== '') {
        texts.push(value.trim());
      }
    }
  }
  const body: { html?: string; text?: string; images: ArticleImage[] } = { images };
  if (html.length > 0) body.html = html.join('\n');
  else if (texts.length > 0) body.text = texts.join('\n\n');
  return body;
}
