/**
 * NITF (News Industry Text Format, IPTC, versions 2.5 to 3.6) → RawDocument: one story per
 * document. Also exports the body conversion NewsML-G2 and NewsML 1.2 use for NITF carried
 * inside them.
 *
 * Values are copied as written (dates as in `norm` attributes, e.g. `20020225T143000-0500`);
 * src/normalize interprets them.
 */
import type { ArticleImage, Dateline } from '../model/article-record.ts';
import type { RawDocument, RawItem, RawSubject } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import {
  at,
  attr,
  bodyToHtml,
  child,
  childElements,
  descendants,
  hasContent,
  parseXml,
  put,
  rootName,
  text,
  unique,
  type XmlElement,
} from './xml-tree.ts';

/**
 * Cheap check on the first ~2 KB of a decoded document: is its root element `<nitf>`?
 * Skips the XML declaration, comments and a doctype; any namespace prefix is accepted.
 */
export function looksLikeNitf(head: string): boolean {
  return rootName(head)?.toLowerCase() === 'nitf';
}

/**
 * Parses a NITF document into one item.
 *
 * - title: `body.head/hedline/hl1` (the headline readers see), else `head/title`
 * - summary: `abstract` as text, else `hl2`
 * - guid: `docdata/doc-id/@id-string`; urgency: `urgency/@ed-urg`
 * - published: `date.issue/@norm`, else the dateline's `story.date` (`@norm`, else its text),
 *   else `pubdata/@date.publication`; embargo: `date.release/@norm` as written (whether it
 *   lies in the future is decided by normalization)
 * - status: `docdata/@management-status` (`embargoed` counts as usable: the embargo field holds
 *   the time; without one it is withheld)
 * - provider: `doc.copyright/@holder`, else `distributor`, else `rights.owner`
 * - subjects: `tobject.subject/@tobject.subject.refnum` as `subj:<refnum>` (a non-IPTC `ipr`
 *   becomes the prefix instead), named by the most specific of detail / matter / type
 * - categories: `key-list/keyword/@key`; slugline: `meta name=anpa-keyword`, else `du-key/@key`
 * - dateline: the `dateline` text (a machine-format `story.date` is left out), with `city` and
 *   `country` when marked up
 * - body: `body.content` as clean HTML; `media` pictures become images; `body.end/tagline` is
 *   appended as a last paragraph (it is reader-facing copy such as "X contributed to this
 *   article", which normalization may lift as a trailer); editorial notes (`ed-msg/@info`,
 *   `note` of class `editorsnote`) go to editorNote, never into the body
 * - language: `nitf/@xml:lang`, `head/meta name=language`, `nitf/@baselang`, `body/@xml:lang`
 *
 * @throws WireError `PARSE_ERROR` for malformed XML (with line and column), `NOT_A_FEED` when
 *   the root is not `<nitf>`, `EMPTY_DOCUMENT` when there is neither headline nor body.
 */
export function parseNitf(xml: string): RawDocument {
  const root = parseXml(xml, 'NITF');
  if (root.name.toLowerCase() !== 'nitf') {
    throw new WireError('NOT_A_FEED', `not a NITF document: root element <${root.name}>`);
  }
  const item = nitfItem(root);
  if (!hasContent(item)) throw new WireError('EMPTY_DOCUMENT', 'NITF document has neither a headline nor a body');
  const doc: RawDocument = { format: 'nitf', items: [item] };
  put(doc, 'language', item.language);
  return doc;
}

function nitfItem(root: XmlElement): RawItem {
  const head = child(root, 'head');
  const docdata = child(head, 'docdata');
  const body = child(root, 'body');
  const bodyHead = child(body, 'body.head');
  const hedline = child(bodyHead, 'hedline');
  const item: RawItem = {};

  put(item, 'guid', attr(child(docdata, 'doc-id'), 'id-string'));
  put(item, 'title', text(child(hedline, 'hl1')) ?? text(child(head, 'title')));
  put(item, 'summary', text(child(bodyHead, 'abstract')) ?? text(child(hedline, 'hl2')));
  put(item, 'authors', bylineAuthors(childElements(bodyHead, 'byline')));

  const datelineEl = child(bodyHead, 'dateline');
  const storyDate = child(datelineEl, 'story.date');
  put(
    item,
    'published',
    attr(child(docdata, 'date.issue'), 'norm') ?? attr(storyDate, 'norm') ?? text(storyDate) ?? attr(child(head, 'pubdata'), 'date.publication'),
  );
  put(item, 'embargo', attr(child(docdata, 'date.release'), 'norm'));
  put(item, 'dateline', nitfDateline(datelineEl));
  put(item, 'urgency', urgency(attr(child(docdata, 'urgency'), 'ed-urg')));
  put(item, 'status', managementStatus(attr(docdata, 'management-status'), item.embargo));
  put(
    item,
    'provider',
    attr(child(docdata, 'doc.copyright'), 'holder') ?? text(child(bodyHead, 'distributor')) ?? text(at(bodyHead, 'rights/rights.owner')),
  );
  put(item, 'subjects', nitfSubjects(head));
  put(item, 'categories', unique(childElements(child(docdata, 'key-list'), 'keyword').map((k) => attr(k, 'key')).filter((k) => k !== undefined)));
  put(item, 'slugline', metaContent(head, 'anpa-keyword') ?? metaContent(head, 'slugline') ?? attr(child(docdata, 'du-key'), 'key'));

  const notes = [
    ...childElements(docdata, 'ed-msg').map((m) => attr(m, 'info')),
    ...descendants(body, 'note')
      .filter((n) => /editor/i.test(attr(n, 'noteclass') ?? '') || attr(n, 'type') === 'npa')
      .map((n) => text(n)),
  ].filter((n) => n !== undefined);
  put(item, 'editorNote', notes.length > 0 ? unique(notes).join('\n') : undefined);

  const content = nitfBodyContent(body);
  put(item, 'contentHtml', content.html);
  put(item, 'images', content.images);
  put(item, 'language', attr(root, 'xml:lang') ?? metaContent(head, 'language') ?? attr(root, 'baselang') ?? attr(body, 'xml:lang'));
  return item;
}

/** The `body.content` of a NITF `<body>` (and its `body.end` tagline) as clean HTML, plus its pictures. */
export function nitfBodyContent(body: XmlElement | undefined): { html: string | undefined; images: ArticleImage[] } {
  const images: ArticleImage[] = [];
  const parts = childElements(body, 'body.content')
    .map((c) => bodyToHtml(c.children, { images }))
    .filter((h) => h !== undefined);
  const tagline = text(at(body, 'body.end/tagline'));
  if (tagline !== undefined) {
    const tag = bodyToHtml([{ kind: 'element', name: 'p', attrs: {}, children: [{ kind: 'text', text: tagline, cdata: false }] }]);
    if (tag !== undefined) parts.push(tag);
  }
  return { html: parts.length > 0 ? parts.join('\n') : undefined, images };
}

/** "By", "Par", "Von", "Por", "Di", "Door" before the names of a byline. */
const BYLINE_PREFIX = /^(by|par|von|por|di|door)\s+/i;

/** `<byline>`: the marked-up persons, else the text without its title (`byttl`) and "By". */
export function bylineAuthors(bylines: XmlElement[]): string[] {
  const authors: string[] = [];
  for (const byline of bylines) {
    const persons = descendants(byline, 'person').map((p) => text(p)).filter((p) => p !== undefined);
    if (persons.length > 0) {
      authors.push(...persons);
      continue;
    }
    const withoutTitle: XmlElement = { ...byline, children: byline.children.filter((c) => !(c.kind === 'element' && c.name.toLowerCase() === 'byttl')) };
    const name = text(withoutTitle)?.replace(BYLINE_PREFIX, '').replace(/[\s,;]+$/, '');
    if (name) authors.push(name);
  }
  return unique(authors);
}

function nitfDateline(el: XmlElement | undefined): Dateline | undefined {
  if (el === undefined) return undefined;
  // EFE repeats the machine date (`20170102T222800+0000`) as story.date text: not copy.
  const kept: XmlElement = {
    ...el,
    children: el.children.filter((c) => !(c.kind === 'element' && c.name.toLowerCase() === 'story.date' && /^\d{8}T\d{4,6}/.test(text(c) ?? ''))),
  };
  const value = text(kept);
  if (value === undefined) return undefined;
  return {
    text: value,
    outlet: null,
    city: text(descendants(el, 'city')[0]) ?? null,
    country: text(descendants(el, 'country')[0]) ?? null,
    sources: [],
    agencies: [],
  };
}

function nitfSubjects(head: XmlElement | undefined): RawSubject[] {
  const subjects: RawSubject[] = [];
  for (const tobject of childElements(head, 'tobject')) {
    for (const s of childElements(tobject, 'tobject.subject')) {
      const refnum = attr(s, 'tobject.subject.refnum');
      if (refnum === undefined) continue;
      const ipr = attr(s, 'tobject.subject.ipr');
      const scheme = ipr === undefined || /^iptc$/i.test(ipr) ? 'subj' : ipr.toLowerCase();
      const subject: RawSubject = { code: `${scheme}:${refnum}`, scheme };
      put(subject, 'name', attr(s, 'tobject.subject.detail') ?? attr(s, 'tobject.subject.matter') ?? attr(s, 'tobject.subject.type'));
      subjects.push(subject);
    }
  }
  return unique(subjects, (s) => s.code);
}

function metaContent(head: XmlElement | undefined, name: string): string | undefined {
  const meta = childElements(head, 'meta').find((m) => (attr(m, 'name') ?? '').toLowerCase() === name);
  return attr(meta, 'content');
}

/** Urgency as a number 1–9 (1 = most urgent); anything else is dropped. */
export function urgency(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d{1,2}\s*$/.test(value)) return undefined;
  return Number(value);
}

function managementStatus(value: string | undefined, embargo: string | undefined): RawItem['status'] {
  switch (value?.toLowerCase()) {
    case 'usable':
      return 'usable';
    case 'withheld':
      return 'withheld';
    case 'canceled':
    case 'cancelled':
      return 'canceled';
    case 'embargoed':
      return embargo === undefined ? 'withheld' : 'usable';
    default:
      return undefined;
  }
}
