/**
 * Property: any bytes, under any Content-Type, through the pure path of one ingest job
 * (decodeBody → detect → parse → normalize → classify: src/ingest/ingest-document.ts) either
 * give article records or fail as a WireError with a code of the catalogue — never a TypeError,
 * a RangeError, a stack overflow or a parser's own exception, and never a hang.
 *
 * The bytes are random, or a real fixture of every format Wirefeed reads (feeds, wire copy,
 * NewsML, ninjs, mail, the charset fixtures) damaged by random edits: bytes flipped, cut,
 * dropped, and fragments of markup, BOMs, declarations and entities spliced in. fast-check runs
 * with a fixed seed, so every run is the same; a failure prints the seed and the shrunk input.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { loadConfig } from '../../src/config/load-config.ts';
import type { SourceConfig } from '../../src/config/schema.ts';
import { decodeBody } from '../../src/fetch/decode-body.ts';
import { ingestDocument } from '../../src/ingest/ingest-document.ts';
import { createPipeline } from '../../src/ingest/pipeline.ts';
import { FORMAT_NAMES, type FormatName } from '../../src/model/raw-item.ts';
import { ERROR_CODES, WireError } from '../../src/model/wire-error.ts';

const SEED = 20201111;
const RUNS = 200;
/** Far above the few milliseconds a document of this size takes: only a hang or a blow-up reaches it. */
const MAX_MS_PER_DOCUMENT = 5000;

const pipeline = createPipeline(loadConfig('config', {}));
const source: SourceConfig = { id: 'prop-bytes', type: 'directory', path: '.', every: 5000, topics: [], categories: {}, enabled: true };
const NOW = new Date('2026-11-21T12:00:00.000Z');

const FIXTURE_DIRS = ['feeds', 'formats', 'wire', 'encoding'];
const FIXTURES: Uint8Array[] = FIXTURE_DIRS.flatMap((dir) => {
  const url = new URL(`../fixtures/${dir}/`, import.meta.url);
  return readdirSync(url)
    .filter((name) => !/\.(md|ts)$/.test(name) && name !== 'cases.json')
    .map((name) => new Uint8Array(readFileSync(new URL(name, url))));
});

const latin1 = (s: string) => [...Buffer.from(s, 'latin1')];
/** What a damaged document is made of: markup of every format, BOMs, charsets, entities, controls. */
const FRAGMENTS: number[][] = [
  ...[
    '<', '>', '&', '</', '/>', '<item>', '</item>', '</channel>', '<entry>', '</entry>', '</feed>', '<![CDATA[', ']]>',
    '<!--', '-->', '<?xml version="1.0" encoding="utf-16"?>', '<?xml version="1.0" encoding="windows-1256"?>',
    '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', '&b;', '&nbsp;', '&bogus;', '&#0;',
    '&#x110000;', '&#xD800;', '<rss version="2.0">', '<feed xmlns="http://www.w3.org/2005/Atom">', '<rdf:RDF>',
    '{"version":"https://jsonfeed.org/version/1.1","items":[', '{', '}', '[', ']', '"', '\\u0000', '\\ud800',
    '<newsItem>', '<nitf>', '<NewsML>', 'Content-Type: text/plain; charset=windows-1256\r\n', '\r\n\r\n', '=?utf-8?B?2KM=?=',
    '<script>alert(1)</script>', 'javascript:alert(1)', '<img src=x onerror=alert(1)>', '\u0001', '\u0002', '\u0003', '\u0016',
    '\u001f', '\u007f', '\u0085', 'BZh91AY&SY',
  ].map(latin1),
  [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0xff, 0xfe, 0, 0], [0], [0, 0, 0, 0], [0xc3], [0xe2, 0x80], [0xf0, 0x9f, 0x98],
  [0xd8, 0xa7], [0xc7, 0xe1], [0x92], [0x1f, 0x8b], [0xed, 0xa0, 0x80],
];

type Edit =
  | { op: 'flip'; at: number; byte: number }
  | { op: 'cut'; at: number }
  | { op: 'drop'; at: number; length: number }
  | { op: 'splice'; at: number; fragment: number[] };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('drop' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('splice' as const), at: fc.nat(), fragment: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 16 })) }),
);

function applyEdits(bytes: Uint8Array, edits: Edit[]): Uint8Array {
  let out = [...bytes];
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    if (e.op === 'flip') {
      if (at < out.length) out[at] = e.byte;
    } else if (e.op === 'cut') out = out.slice(0, at);
    else if (e.op === 'drop') out.splice(at, e.length);
    else out.splice(at, 0, ...e.fragment);
  }
  return Uint8Array.from(out);
}

const CONTENT_TYPES = [
  null, 'application/rss+xml', 'application/atom+xml; charset=utf-8', 'text/xml; charset=windows-1256', 'application/xml; charset=iso-8859-6',
  'application/feed+json', 'application/json; charset=utf-16', 'text/plain; charset=windows-1252', 'text/html; charset=utf-8',
  'application/octet-stream', 'text/xml; charset=x-bogus', 'text/xml; charset=', 'text/xml;;charset="', 'message/rfc822',
  'multipart/mixed; boundary=b', 'application/vnd.iptc.g2.newsitem+xml',
];

const documents = fc.record({
  bytes: fc.oneof(
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => Uint8Array.from(parts.flat())) },
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FIXTURES), fc.array(edit, { minLength: 1, maxLength: 12 })).map(([bytes, edits]) => applyEdits(bytes, edits)) },
  ),
  contentType: fc.constantFrom(...CONTENT_TYPES),
  format: fc.option(fc.constantFrom(...FORMAT_NAMES), { freq: 4 }),
});

/** What went wrong with one document, or null when the property holds. */
async function violation(bytes: Uint8Array, contentType: string | null, format: FormatName | null): Promise<string | null> {
  const started = performance.now();
  let outcome: string | null = null;
  try {
    const body = decodeBody(bytes, contentType);
    const result = await ingestDocument({ body, contentType, ...(format ? { format } : {}) }, source, pipeline, NOW);
    // An item that failed is skipped with its reason; the only reason normalizeItem gives is a
    // WireError's (an item with neither title nor body): anything else is an exception caught.
    const odd = result.skipped.filter((s) => !/has neither title nor body/.test(s.reason));
    if (odd.length > 0) outcome = `an item failed with no catalogued error: ${odd[0]!.reason}`;
  } catch (err) {
    if (!(err instanceof WireError)) outcome = `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
    else if (!ERROR_CODES.includes(err.code)) outcome = `threw a WireError with the uncatalogued code ${String(err.code)}`;
  }
  const ms = performance.now() - started;
  if (outcome === null && ms > MAX_MS_PER_DOCUMENT) outcome = `took ${Math.round(ms)} ms for ${bytes.length} bytes`;
  return outcome;
}

describe('any bytes through one ingest job (pure path, no Redis)', () => {
  it(`give records or a catalogued WireError, within ${MAX_MS_PER_DOCUMENT} ms each (${RUNS} runs, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(documents, async ({ bytes, contentType, format }) => {
        const problem = await violation(bytes, contentType, format);
        assert.equal(problem, null, `${problem} — content-type ${contentType}, format ${format}, bytes (latin1): ${JSON.stringify(Buffer.from(bytes).toString('latin1').slice(0, 600))}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  // The generator reaches every stage: some documents must come out as articles, and failures
  // must spread over several codes, or the property would only ever test the first check.
  it('the generated documents reach every stage (articles, and more than one error code)', async () => {
    const codes = new Set<string>();
    let withArticles = 0;
    for (const { bytes, contentType, format } of fc.sample(documents, { seed: SEED, numRuns: 100 })) {
      try {
        const { articles } = await ingestDocument({ body: decodeBody(bytes, contentType), contentType, ...(format ? { format } : {}) }, source, pipeline, NOW);
        if (articles.length > 0) withArticles++;
      } catch (err) {
        if (err instanceof WireError) codes.add(err.code);
      }
    }
    assert.ok(withArticles >= 10, `${withArticles} of 100 documents gave articles`);
    assert.ok(codes.size >= 3, `error codes seen: ${[...codes].join(', ')}`);
  });
});
