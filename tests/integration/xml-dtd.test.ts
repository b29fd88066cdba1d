/**
 * No DTD processing in any XML format (issue 11): internal entities (billion laughs) and
 * external ones (XXE: a file, an http URL on a local origin) stay inert in RSS, Atom, RDF,
 * NewsML-G2, NewsML 1.2 and NITF — nothing is expanded, read or fetched, and a document built
 * to explode parses quickly into something small. Both the strict and the lenient (repair) path
 * of the feed adapter are covered.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { decodeBody } from '../../src/fetch/decode-body.ts';
import { parseDocument } from '../../src/formats/parse-document.ts';
import type { RawDocument } from '../../src/model/raw-item.ts';
import { WireError } from '../../src/model/wire-error.ts';
import { startOrigin, type Origin } from '../helpers/origin-server.ts';

const read = (path: string) => decodeBody(new Uint8Array(readFileSync(new URL(`../fixtures/${path}`, import.meta.url))), null);

/** Each format's fixture, and the element whose text comes out in the parsed document. */
const FORMATS: { name: string; path: string; field: RegExp; format: RawDocument['format'] }[] = [
  { name: 'RSS 2.0', path: 'feeds/rss-en.xml', field: /<title>/, format: 'rss' },
  { name: 'Atom 1.0', path: 'feeds/atom-fr.xml', field: /<title[^>]*>/, format: 'atom' },
  { name: 'Atom 0.3', path: 'feeds/atom-0.3.xml', field: /<title>/, format: 'atom' },
  { name: 'NewsML-G2', path: 'formats/newsml-g2-ar-cairo.xml', field: /<headline[^>]*>/, format: 'newsml-g2' },
  { name: 'NewsML 1.2', path: 'formats/newsml-1-fr-lyon.xml', field: /<HeadLine[^>]*>/, format: 'newsml-1.2' },
  { name: 'NITF', path: 'formats/nitf-en-harbour.xml', field: /<hl1[^>]*>/, format: 'nitf' },
];

/** Ten levels of ten: 10^10 "lol" if expanded. */
function laughs(): string {
  let dtd = '<!ENTITY lol0 "lol">';
  for (let i = 1; i <= 10; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
  return dtd;
}

/** The fixture with a hostile internal subset, and references to it in a field that is mapped. */
function hostile(xml: string, field: RegExp, root: string, httpUrl: string, broken: boolean): string {
  const dtd = `<!DOCTYPE ${root} [${laughs()}<!ENTITY xxefile SYSTEM "file:///etc/passwd"><!ENTITY xxehttp SYSTEM "${httpUrl}"><!ENTITY % remote SYSTEM "${httpUrl}"> %remote;]>`;
  let out = xml.replace(/<!DOCTYPE[^>]*>\s*/, '');
  const decl = /^<\?xml[^>]*\?>/.exec(out)?.[0] ?? '';
  out = `${decl}${dtd}${out.slice(decl.length)}`;
  out = out.replace(field, (tag) => `${tag}&lol10;&xxefile;&xxehttp;`);
  // The lenient path: a stray close tag right after the references makes the strict parse fail.
  if (broken) out = out.replace('&xxehttp;', '&xxehttp;</stray>');
  return out;
}

describe('no DTD processing', () => {
  let origin: Origin;
  before(async () => {
    origin = await startOrigin();
    origin.set('/entity', { body: 'FETCHED-BY-THE-PARSER' });
  });
  after(() => origin.close());

  for (const f of FORMATS) {
    for (const broken of f.format === 'rss' || f.format === 'atom' ? [false, true] : [false]) {
      it(`${f.name}${broken ? ' (lenient path)' : ''}: internal and external entities stay inert`, async () => {
        const xml = read(f.path);
        const root = /<([A-Za-z][\w:.-]*)[\s>]/.exec(xml.replace(/^<\?xml[^>]*\?>/, '').replace(/<!DOCTYPE[^>]*>/, ''))?.[1] ?? 'x';
        const doc = hostile(xml, f.field, root, origin.url('/entity'), broken);
        const started = Date.now();
        let parsed: RawDocument | undefined;
        try {
          parsed = await parseDocument(doc);
        } catch (err) {
          // Refusing the document is inert too, as long as it is a WireError and not a crash.
          assert.ok(err instanceof WireError, String(err));
        }
        const elapsed = Date.now() - started;
        assert.ok(elapsed < 2000, `parsed within 2 s, not ${elapsed} ms (an expansion would take minutes)`);
        assert.equal(origin.stats('/entity').requests, 0, 'the external entity was not fetched');
        assert.ok(parsed !== undefined, `${f.name} was read (the DTD ignored)`);
        assert.equal(parsed.format, f.format);
        const json = JSON.stringify(parsed);
        assert.ok(!json.includes('lollol'), 'no internal entity expanded');
        assert.ok(!/root:.*:0:0:/.test(json), '/etc/passwd not read');
        assert.ok(!json.includes('FETCHED-BY-THE-PARSER'), 'nothing fetched');
        assert.ok(json.length < 64 * 1024, `the result is small (${json.length} characters)`);
      });
    }
  }
});
