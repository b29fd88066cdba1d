/**
 * The conformance harness: the parsing path against the Universal Feed Parser's test documents
 * (../shared/corpora/feedparser, see its README.md). `npm run conformance` (bench/conformance.ts)
 * prints what {@link runConformance} measures; tests/unit/conformance.test.ts holds it to its
 * targets.
 *
 * Each case's bytes go through what ingest does: decodeBody (with the case's simulated
 * Content-Type) → detectFormat → parseDocument; dates through normalize's parseDate. Each of
 * feedparser's checks is mapped to the RawDocument field normalization reads (`entries[0].link`
 * → `items[0].url`, `*_parsed` → parseDate of the raw date, `version` → the format family,
 * `not bozo` → read without a well-formedness repair; `bozo` asks nothing). Checks on fields Wirefeed
 * does not keep (`feed.copyright`, `*_detail.type`, `encoding`…) are not applicable; a case
 * passes when all its applicable checks do, and a case with none is counted apart. Compared
 * values are trimmed and passed through normalization's cleanText (what is stored), and markup
 * is compared as markup.
 * Failures where Wirefeed differs from feedparser on purpose are counted apart (ON_PURPOSE):
 * still failures, but shown with their reason and a rate without them.
 *
 * Also: every vector of dates.json that has a UTC answer must give that instant; every file of
 * tests/illformed/ and tests/encoding/ must give a document or a WireError, never another
 * exception.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomUtils, parseDocument as parseHtml } from 'htmlparser2';
import { decodeBody } from '../../src/fetch/decode-body.ts';
import { parseDocument } from '../../src/formats/parse-document.ts';
import { REPAIRS } from '../../src/formats/xml-repair.ts';
import type { RawDocument, RawItem } from '../../src/model/raw-item.ts';
import { isWireError } from '../../src/model/wire-error.ts';
import { parseDate } from '../../src/normalize/dates.ts';
import { cleanText } from '../../src/normalize/text-hygiene.ts';

/** The corpus: ../shared/corpora/feedparser beside the project. */
export const CORPUS = fileURLToPath(new URL('../../../shared/corpora/feedparser/', import.meta.url));

/** false when the corpus is there, else why the runs and tests that need it skip. */
export const corpusSkip: false | string = existsSync(join(CORPUS, 'cases.json')) ? false : `no feedparser corpus at ${CORPUS} (../shared is absent)`;

export interface Check {
  op: string;
  path?: (string | number)[];
  value?: unknown;
}
export interface Case {
  path: string;
  tier: string;
  http_headers: Record<string, string>;
  checks: Check[] | null;
}
export interface DateVector {
  parser: string;
  input: string;
  expected_utc: string | null;
}

type Outcome = { doc: RawDocument } | { error: unknown };

/**
 * Failing cases where Wirefeed's answer differs from feedparser's on purpose, with the reason.
 * They stay failures in the pass rate; the tables show them apart so that what is left is the
 * work still to do.
 */
const ON_PURPOSE: [RegExp, string][] = [
  [/_base_content_location|headers_content_location|_docuri\.xml$/, 'only xml:base is a base in the parse step, not the document URL or Content-Location: links relative to those stay relative in the raw document, and normalization resolves them against the feed link'],
  [/\/entities\/(lang|rang)\.xml$/, 'HTML5 maps &lang;/&rang; to U+27E8/U+27E9; feedparser uses HTML 4'],
  [/\/entity_in_doctype\.xml$/, 'no DTD processing: entities a doctype declares are shown as written'],
  [/\/feed_xml_lang_underscore\.xml$/, 'languages stay as written; normalization canonicalises tags'],
  [/\/itunes_core_element_uppercase\.xml$/, 'element names are case-sensitive in XML'],
  [/\/item_media_title1\.xml$/, 'media:title names the media, not the story'],
  [/\/media-rss\/media_group\.xml$/, 'media:description is the caption of the media, not the story\'s summary'],
  [/\/namespace\/(atom|rss2\.0)(svg|mathml|xlink)/, 'inline SVG/MathML: serialised with its prefixes as written (the sanitizer drops it anyway)'],
  [/author_map_author|author_detail_name/, 'an author is kept as written (RSS "email (name)" unsplit, an Atom name without its email), not re-formatted'],
  [/\/entry_content_div_escaped_markup\.xml$/, 'escaped markup inside an xhtml div is text (RFC 4287 §4.1.3.3), not markup'],
  [/\/item_dc_date(_parsed)?\.xml$/, 'dc:date is the item\'s date of publication (in RSS 1.0 often its only date): read as published, not updated'],
  [/\/entry_updated_multiple_values\.xml$/, 'Atom allows one <updated> (RFC 4287 §4.1.2); of a repeated single-valued element the first is kept, not the last'],
  [/\/item_madeup_tags_element\.xml$/, 'a made-up <tags> element (no specification or namespace) is not read'],
  [/\/item_description_not_a_doctype\.xml$/, 'a value is kept as written; "<!\'" in HTML opens a bogus comment, as HTML5 and browsers read it (feedparser\'s sgmllib escapes it)'],
  [/\/bozo_linenoise\.xml$/, 'bytes valid in no encoding: read as windows-1252 like feedparser, whose expected value is its own fallback\'s guess'],
];

function onPurpose(c: Case, outcome: Outcome): string | undefined {
  if ('error' in outcome && /^tests\/entities\//.test(c.path) && /no item could be recovered/.test(String((outcome.error as Error).message))) {
    return 'a cut-off document with no item is refused unless its RSS channel closed whole (an Atom root holds the entries: they may be lost)';
  }
  return ON_PURPOSE.find(([re]) => re.test(c.path))?.[1];
}
const NA = Symbol('not applicable');

/** The Wirefeed value a feedparser path stands for, or NA when Wirefeed does not keep it. */
function lookup(doc: RawDocument, path: (string | number)[]): unknown {
  const key = path.join('.');
  if (key === 'version') return doc.format;
  const feed = /^feed\.(.+)$/.exec(key);
  if (feed) {
    switch (feed[1]) {
      case 'title':
      case 'title_detail.value':
        return doc.title;
      case 'link':
        return doc.link;
      case 'language':
        return doc.language;
      default:
        return NA;
    }
  }
  const entry = /^entries\.(\d+)\.(.+)$/.exec(key);
  if (!entry) return NA;
  const item: RawItem | undefined = doc.items[Number(entry[1])];
  const field = entry[2] as string;
  const tag = /^tags\.(\d+)\.term$/.exec(field);
  if (tag) return item?.categories?.[Number(tag[1])];
  switch (field) {
    case 'title':
    case 'title_detail.value':
      return item?.title;
    case 'link':
      return item?.url;
    case 'id':
    case 'guid':
      return item?.guid;
    case 'summary':
    case 'description':
    case 'summary_detail.value':
      // feedparser gives an entry with content but no summary its content as summary.
      return item?.summary ?? item?.contentHtml ?? item?.contentText;
    case 'content.0.value':
      return item?.contentHtml ?? item?.contentText;
    case 'author':
    case 'author_detail.name':
      return item?.authors?.[0];
    case 'language':
      return item?.language;
    case 'published':
      return item?.published;
    case 'updated':
      return item?.updated;
    case 'published_parsed':
      return timeTuple(item?.published);
    case 'updated_parsed':
      return timeTuple(item?.updated);
    default:
      return NA;
  }
}

/** parseDate's answer as the first six fields of feedparser's UTC 9-tuple. */
function timeTuple(raw: string | undefined): number[] | undefined {
  const date = raw === undefined ? null : parseDate(raw);
  if (date === null) return undefined;
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
}

/** feedparser's version string → the format family Wirefeed reports. */
function family(version: string): string {
  if (version === 'rss090' || version === 'rss10') return 'rdf';
  if (version.startsWith('rss')) return 'rss';
  if (version.startsWith('atom')) return 'atom';
  return version;
}

/** feedparser's bozo flag means "not well-formed XML": RSS without a version is well-formed. */
function wellFormednessRepairs(doc: RawDocument): string[] {
  return (doc.repaired ?? []).filter((r) => r !== REPAIRS.versionlessRss);
}

/** Markup compared as markup: both sides serialised the same way (`<br/>` = `<br />`, attribute order). */
function canonicalHtml(value: string): string {
  const dom = parseHtml(value, { decodeEntities: true });
  const sortAttributes = (nodes: typeof dom.children): void => {
    for (const node of nodes) {
      if ('attribs' in node) node.attribs = Object.fromEntries(Object.entries(node.attribs).sort(([a], [b]) => a.localeCompare(b)));
      if ('children' in node) sortAttributes(node.children);
    }
  };
  sortAttributes(dom.children);
  return DomUtils.getOuterHTML(dom.children, { encodeEntities: 'utf8' }).trim();
}

function same(raw: unknown, expected: unknown, path: (string | number)[]): boolean {
  const key = path.join('.');
  if (key === 'version' && typeof expected === 'string') return raw === family(expected);
  if (Array.isArray(expected) && /_parsed$/.test(key)) return JSON.stringify(raw) === JSON.stringify(expected.slice(0, 6));
  // Text as normalization stores it: every field it keeps goes through cleanText first (C1
  // controls read as the windows-1252 punctuation they stood for, LF line ends, NFC).
  const got = typeof raw === 'string' ? cleanText(raw) : raw;
  if (typeof expected === 'string' && typeof got === 'string') {
    if (got.trim() === expected.trim()) return true;
    return (got.includes('<') || got.includes('&')) && canonicalHtml(got) === canonicalHtml(expected);
  }
  if (expected === '' && got === undefined) return true;
  return got === expected;
}

/** null when the check passes, NA when it does not apply, else what went wrong. */
function evaluate(check: Check, outcome: Outcome): string | null | typeof NA {
  const doc = 'doc' in outcome ? outcome.doc : undefined;
  const failed = 'error' in outcome ? `rejected: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}` : '';
  switch (check.op) {
    case 'not_bozo': {
      if (!doc) return failed;
      const repaired = wellFormednessRepairs(doc);
      return repaired.length === 0 ? null : `repaired: ${repaired.join(', ')}`;
    }
    case 'bozo':
      // feedparser also flags documents it read fine (a charset override, an undeclared
      // prefix); reading them is the point, so "bozo" asks nothing of Wirefeed.
      return NA;
    case 'eq':
    case 'eq_datetime': {
      if (!check.path) return NA;
      if (!doc) return lookup({ format: 'rss', items: [] }, check.path) === NA ? NA : failed;
      const got = lookup(doc, check.path);
      if (got === NA) return NA;
      return same(got, check.value, check.path) ? null : `${check.path.join('.')}: expected ${JSON.stringify(check.value)}, got ${JSON.stringify(got)}`;
    }
    case 'len_eq': {
      if (check.path?.join('.') !== 'entries') return NA;
      if (!doc) return failed;
      return doc.items.length === check.value ? null : `entries: expected ${String(check.value)} items, got ${doc.items.length}`;
    }
    default:
      return NA;
  }
}

async function run(bytes: Uint8Array, headers: Record<string, string>): Promise<Outcome> {
  const contentType = headers['Content-type'] ?? headers['Content-Type'] ?? null;
  try {
    const text = decodeBody(bytes, contentType);
    return { doc: await parseDocument(text, { contentType }) };
  } catch (error) {
    return { error };
  }
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

export interface Tally {
  pass: number;
  fail: number;
  na: number;
  /** Of the failures, those that differ on purpose (see ON_PURPOSE). */
  purpose: number;
}

function add(rows: Map<string, Tally>, key: string, result: 'pass' | 'fail' | 'na', purpose = false): void {
  const t = rows.get(key) ?? { pass: 0, fail: 0, na: 0, purpose: 0 };
  t[result]++;
  if (purpose) t.purpose++;
  rows.set(key, t);
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}


/** One case that failed: its tier and file, what went wrong, and the reason when it differs on purpose. */
export interface CaseFailure {
  tier: string;
  path: string;
  problems: string;
  onPurpose?: string;
}

export interface Conformance {
  /** The corpus's source line (SOURCE.txt), when it has one. */
  source: string;
  byTier: Map<string, Tally>;
  byFolder: Map<string, Tally>;
  failures: CaseFailure[];
  dates: { answered: number; failures: string[]; toReject: number; rejected: number };
  noCrash: { files: number; documents: number; repaired: number; wireErrors: number; crashes: string[] };
}

/** Runs every case of cases.json, the date vectors and the no-crash files. The corpus must be there (see {@link corpusSkip}). */
export async function runConformance(): Promise<Conformance> {
  const source = (() => {
    try {
      return readFileSync(join(CORPUS, 'SOURCE.txt'), 'utf8').trim().split('\n')[0] ?? '';
    } catch {
      return '';
    }
  })();

  // 1. cases.json
  const cases = JSON.parse(readFileSync(join(CORPUS, 'cases.json'), 'utf8')) as Case[];
  const byTier = new Map<string, Tally>();
  const byFolder = new Map<string, Tally>();
  const failures: CaseFailure[] = [];
  for (const c of cases) {
    if (!c.checks) {
      add(byTier, c.tier, 'na');
      add(byFolder, folderOf(c.path), 'na');
      continue;
    }
    const outcome = await run(new Uint8Array(readFileSync(join(CORPUS, c.path))), c.http_headers);
    const results = c.checks.map((k) => evaluate(k, outcome));
    const applicable = results.filter((r) => r !== NA);
    const result = applicable.length === 0 ? 'na' : applicable.every((r) => r === null) ? 'pass' : 'fail';
    const reason = result === 'fail' ? onPurpose(c, outcome) : undefined;
    add(byTier, c.tier, result, reason !== undefined);
    add(byFolder, folderOf(c.path), result, reason !== undefined);
    if (result === 'fail') failures.push({ tier: c.tier, path: c.path, problems: applicable.filter((r) => r !== null).join('; '), ...(reason ? { onPurpose: reason } : {}) });
  }

  // 2. dates.json
  const vectors = JSON.parse(readFileSync(join(CORPUS, 'dates.json'), 'utf8')) as DateVector[];
  const answered = vectors.filter((v) => v.expected_utc !== null);
  const dateFailures: string[] = [];
  for (const v of answered) {
    const got = parseDate(v.input);
    const want = new Date(v.expected_utc as string).getTime();
    // feedparser answers to the second (a 9-tuple): fractions are compared at that resolution.
    if (got === null || Math.floor(got.getTime() / 1000) !== Math.floor(want / 1000)) dateFailures.push(`${v.parser} ${JSON.stringify(v.input)}: expected ${v.expected_utc}, got ${got?.toISOString() ?? 'null'}`);
  }
  const toReject = vectors.filter((v) => v.expected_utc === null);
  const rejected = toReject.filter((v) => parseDate(v.input) === null).length;

  // 3. no crash
  const noCrash = { files: 0, documents: 0, repaired: 0, wireErrors: 0, crashes: [] as string[] };
  for (const dir of ['tests/illformed', 'tests/encoding']) {
    for (const file of filesUnder(join(CORPUS, dir))) {
      noCrash.files++;
      const outcome = await run(new Uint8Array(readFileSync(file)), {});
      if ('doc' in outcome) {
        noCrash.documents++;
        if (outcome.doc.repaired) noCrash.repaired++;
      } else if (isWireError(outcome.error)) noCrash.wireErrors++;
      else noCrash.crashes.push(`${file.slice(CORPUS.length)}: ${outcome.error instanceof Error ? (outcome.error.stack ?? outcome.error.message) : String(outcome.error)}`);
    }
  }
  return { source, byTier, byFolder, failures, dates: { answered: answered.length, failures: dateFailures, toReject: toReject.length, rejected }, noCrash };
}
