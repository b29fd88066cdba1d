/**
 * The XML parsers against the Universal Feed Parser's test documents
 * (../shared/corpora/feedparser, see its README.md): expected values are feedparser's, not ours.
 * Skipped when ../shared is not beside the project.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeBody } from '../../src/fetch/decode-body.ts';
import { detectFormat } from '../../src/formats/detect-format.ts';
import { parseFeedXml } from '../../src/formats/rss-atom.ts';
import type { RawDocument } from '../../src/model/raw-item.ts';
import { WireError } from '../../src/model/wire-error.ts';
import { CORPUS, corpusSkip, type Case } from '../helpers/feedparser-conformance.ts';

const skip = corpusSkip;

/** Where feedparser's answer and ours differ on purpose. */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'tests/entities/lang.xml': 'HTML5 maps &lang; to U+27E8; feedparser uses HTML 4 (U+2329)',
  'tests/entities/rang.xml': 'HTML5 maps &rang; to U+27E9; feedparser uses HTML 4 (U+232A)',
  'tests/wellformed/lang/feed_xml_lang_underscore.xml': 'languages stay as written; normalization canonicalises tags',
  'tests/wellformed/itunes/itunes_core_element_uppercase.xml': 'element names are case-sensitive in XML',
  'tests/wellformed/media-rss/item_media_title1.xml': 'media:title names the media, not the story',
};
const KNOWN_PATTERNS: [RegExp, string][] = [
  [/_base64(_2)?\.xml$/, 'base64 text constructs (a MIME type on an Atom title) are not decoded'],
  [/title_inline_markup(_2)?\.xml$/, 'the xhtml wrapper div is not part of the value (RFC 4287 §4.1.3.3)'],
];

const FIELDS: Record<string, (doc: RawDocument) => unknown> = {
  'feed.title': (d) => d.title,
  'feed.link': (d) => d.link,
  'feed.language': (d) => d.language,
  'entries.0.title': (d) => d.items[0]?.title,
  'entries.0.id': (d) => d.items[0]?.guid,
  'entries.0.link': (d) => d.items[0]?.url,
};

async function parseCase(c: Case): Promise<RawDocument | null> {
  const bytes = new Uint8Array(readFileSync(CORPUS + c.path));
  const text = decodeBody(bytes, c.http_headers['Content-type'] ?? c.http_headers['Content-Type'] ?? null);
  const format = detectFormat(text);
  return format === 'rss' || format === 'atom' || format === 'rdf' ? parseFeedXml(text, format) : null;
}

describe('feedparser corpus', { skip }, () => {
  const cases = skip ? [] : (JSON.parse(readFileSync(`${CORPUS}cases.json`, 'utf8')) as Case[]);

  it('parses every well-formed document without crashing or a parse error', async () => {
    const failures: string[] = [];
    for (const c of cases.filter((c) => c.path.startsWith('tests/wellformed/'))) {
      try {
        await parseCase(c);
      } catch (err) {
        // HTML pages and non-feed roots in the corpus are fine to refuse; anything else is a bug.
        if (!(err instanceof WireError) || err.code === 'PARSE_ERROR') failures.push(`${c.path}: ${(err as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('refuses ill-formed documents with WireErrors only', async () => {
    for (const c of cases.filter((c) => c.path.startsWith('tests/illformed/'))) {
      await parseCase(c).catch((err: unknown) => assert.ok(err instanceof WireError, `${c.path}: ${String(err)}`));
    }
  });

  it("agrees with feedparser's expected titles, ids, links and languages", async () => {
    let compared = 0;
    const mismatches: string[] = [];
    for (const c of cases) {
      if (c.tier !== 'A-core' || !c.checks || !/^tests\/(wellformed|entities)\//.test(c.path)) continue;
      if (KNOWN_DIFFERENCES[c.path] || KNOWN_PATTERNS.some(([re]) => re.test(c.path))) continue;
      const checks = c.checks.filter((k) => k.op === 'eq' && k.path && FIELDS[k.path.join('.')]);
      if (checks.length === 0) continue;
      // Some entity documents end in a cut-off "</rss": not XML, refused as PARSE_ERROR.
      if (!readFileSync(CORPUS + c.path, 'latin1').trimEnd().endsWith('>')) continue;
      let doc: RawDocument | null;
      try {
        doc = await parseCase(c);
      } catch (err) {
        // Formats refused on purpose: pre-standard Atom drafts (other namespaces), CDF.
        if (err instanceof WireError && err.code === 'NOT_A_FEED') continue;
        throw err;
      }
      if (doc === null) continue;
      for (const k of checks) {
        compared++;
        const got = FIELDS[(k.path ?? []).join('.')]?.(doc);
        if (got !== k.value) mismatches.push(`${c.path} ${(k.path ?? []).join('.')}: expected ${JSON.stringify(k.value)}, got ${JSON.stringify(got)}`);
      }
    }
    assert.deepEqual(mismatches, []);
    assert.ok(compared > 250, `only ${compared} values compared`);
  });
});
