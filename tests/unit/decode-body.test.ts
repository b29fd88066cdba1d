import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeXML } from 'entities';
import { decodeBody, detectCharset } from '../../src/fetch/decode-body.ts';
import { WireError } from '../../src/model/wire-error.ts';
import { noise } from '../helpers/noise.ts';

const ENCODING_CORPUS = fileURLToPath(new URL('../../../shared/corpora/feedparser/tests/encoding/', import.meta.url));

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

// Hand-encoded windows-1256: ا=C7 ل=E1 ق=DE د=CF س=D3 → "القدس"
const ALQUDS_1256 = [0xc7, 0xe1, 0xde, 0xcf, 0xd3];
// The same word in UTF-8.
const ALQUDS_UTF8 = [0xd8, 0xa7, 0xd9, 0x84, 0xd9, 0x82, 0xd8, 0xaf, 0xd8, 0xb3];

describe('decodeBody', () => {
  it('decodes UTF-8 by default', () => {
    assert.equal(decodeBody(bytes('<p>', ALQUDS_UTF8, '</p>'), null), '<p>القدس</p>');
  });

  it('strips a UTF-8 BOM', () => {
    assert.equal(decodeBody(bytes([0xef, 0xbb, 0xbf], 'abc'), null), 'abc');
  });

  it('uses a UTF-16LE BOM over any declaration', () => {
    // "é<" in UTF-16LE after the BOM FF FE
    const body = bytes([0xff, 0xfe, 0xe9, 0x00, 0x3c, 0x00]);
    assert.equal(decodeBody(body, 'text/xml; charset=windows-1252'), 'é<');
  });

  it('uses a UTF-16BE BOM', () => {
    assert.equal(decodeBody(bytes([0xfe, 0xff, 0x06, 0x27, 0x00, 0x21]), null), 'ا!');
  });

  it('takes the charset from Content-Type', () => {
    assert.equal(decodeBody(bytes(ALQUDS_1256), 'text/plain; charset=windows-1256'), 'القدس');
  });

  it('accepts a quoted charset parameter and odd casing', () => {
    assert.equal(decodeBody(bytes(ALQUDS_1256), 'text/plain;Charset="WINDOWS-1256"'), 'القدس');
  });

  it('prefers Content-Type over the XML declaration', () => {
    // E9 is é in windows-1252 and ي in windows-1256
    const body = bytes('<?xml version="1.0" encoding="windows-1256"?><t>', [0xe9], '</t>');
    assert.equal(decodeBody(body, 'application/xml; charset=windows-1252'), '<?xml version="1.0" encoding="windows-1256"?><t>é</t>');
  });

  it('falls back to the XML declaration', () => {
    const body = bytes("<?xml version='1.0' encoding='windows-1256'?><t>", ALQUDS_1256, '</t>');
    assert.equal(decodeBody(body, 'application/rss+xml'), "<?xml version='1.0' encoding='windows-1256'?><t>القدس</t>");
  });

  it('reads ISO-8859-6 from the XML declaration', () => {
    // ISO-8859-6: س=D3 ل=E4 ا=C7 م=E5 → "سلام" (ل and م sit elsewhere than in windows-1256)
    const body = bytes('<?xml version="1.0" encoding="ISO-8859-6"?><t>', [0xd3, 0xe4, 0xc7, 0xe5], '</t>');
    assert.equal(decodeBody(body, null), '<?xml version="1.0" encoding="ISO-8859-6"?><t>سلام</t>');
  });

  it('falls back to an HTML meta charset', () => {
    const body = bytes('<html><head><meta charset="windows-1256"></head><body>', ALQUDS_1256, '</body></html>');
    assert.equal(decodeBody(body, 'text/html'), '<html><head><meta charset="windows-1256"></head><body>القدس</body></html>');
  });

  it('reads the charset of an http-equiv meta', () => {
    const body = bytes('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>caf', [0xe9], '</p>');
    assert.equal(decodeBody(body, null), '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>café</p>');
  });

  it('falls back to UTF-8 for an unknown label, without throwing', () => {
    assert.equal(decodeBody(bytes(ALQUDS_UTF8), 'text/plain; charset=x-klingon'), 'القدس');
    assert.equal(decodeBody(bytes('<?xml version="1.0" encoding="bogus"?>', ALQUDS_UTF8), null), '<?xml version="1.0" encoding="bogus"?>القدس');
  });

  it('reads undeclared bytes that are not UTF-8 as a legacy single-byte text, never throwing', () => {
    // Every byte maps to a character in windows-1252/1256: nothing is lost to U+FFFD.
    const text = decodeBody(bytes('caf', [0xe9], ' ', [0xff], 'b'), null);
    assert.equal(text.length, 7);
    assert.ok(!text.includes('\uFFFD'));
    assert.ok(text.startsWith('café '));
  });

  it('treats valid UTF-8 labelled as a legacy charset as UTF-8 (the label is wrong)', () => {
    assert.equal(decodeBody(bytes(ALQUDS_UTF8), 'text/xml; charset=windows-1256'), 'القدس');
  });

  it('uses the XML declaration when a UTF-8 Content-Type is contradicted by the bytes', () => {
    const body = bytes('<?xml version="1.0" encoding="windows-1256"?><t>', ALQUDS_1256, '</t>');
    assert.equal(decodeBody(body, 'text/xml; charset=utf-8'), '<?xml version="1.0" encoding="windows-1256"?><t>القدس</t>');
  });

  it('recognises a BOM-less UTF-16LE XML declaration', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><a>ش</a>';
    const body = new Uint8Array(Buffer.from(text, 'utf16le'));
    assert.equal(decodeBody(body, null), text);
  });

  it('decodes the windows-1256 Arabic feed fixture from its XML declaration', () => {
    const file = readFileSync(new URL('../fixtures/feeds/rss-ar-windows-1256.xml', import.meta.url));
    const text = decodeBody(new Uint8Array(file), 'application/rss+xml');
    assert.match(text, /<title>أخبار الواحة<\/title>/);
    assert.match(text, /<dc:creator>سلمى الحسن<\/dc:creator>/);
    assert.match(text, /ثلاثة آلاف كتاب\./);
  });
});

it('undeclared bytes that are not UTF-8: Arabic windows-1256 and Latin windows-1252 are told apart', () => {
  // "النفط" in windows-1256, and "Müller" in windows-1252, with no label anywhere.
  const arabic = Uint8Array.from([0xc7, 0xe1, 0xe4, 0xdd, 0xd8, 0x20, 0x31]);
  assert.equal(decodeBody(arabic, null), 'النفط 1');
  const latin = Uint8Array.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]);
  assert.equal(decodeBody(latin, null), 'Müller');
});


const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const utf16le = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
const utf16be = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le').swap16());
const utf32 = (s: string, le: boolean) => {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const view = new DataView(new ArrayBuffer(cps.length * 4));
  cps.forEach((cp, i) => view.setUint32(i * 4, cp, le));
  return new Uint8Array(view.buffer);
};
const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

const ARABIC = 'أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في القدس، ويضم المستشفى 200 سرير.\n\nوقال الوزير إن المشروع كلف ثلاثة ملايين دينار.';
// The same text in windows-1256, encoded by the platform's own table (TextDecoder is the reference).
const ARABIC_1256 = (() => {
  const table = new Map<string, number>();
  const dec = new TextDecoder('windows-1256');
  for (let b = 0; b < 256; b++) table.set(dec.decode(Uint8Array.of(b)), b);
  return Uint8Array.from([...ARABIC].map((c) => {
    assert.ok(table.has(c), `${c} is not in windows-1256`);
    return table.get(c)!;
  }));
})();
const FRENCH = "L'été à Montréal : les élèves reçoivent leur diplôme, « ça fait plaisir » dit Noël Müller.\n";

describe('decodeBody: text in any charset passes', () => {
  const cases: Array<[name: string, bytes: Uint8Array, contentType: string | null, expected: string]> = [
    ['Arabic, UTF-8, undeclared', new Uint8Array(Buffer.from(ARABIC)), null, ARABIC],
    ['Arabic, UTF-8, labelled windows-1256 (label wrong)', new Uint8Array(Buffer.from(ARABIC)), 'text/plain; charset=windows-1256', ARABIC],
    ['Arabic, windows-1256, declared', ARABIC_1256, 'text/plain; charset=windows-1256', ARABIC],
    ['Arabic, windows-1256, undeclared', ARABIC_1256, null, ARABIC],
    ['French, latin-1 declared', latin1(FRENCH), 'text/plain; charset=ISO-8859-1', FRENCH],
    ['French, windows-1252, undeclared', latin1(FRENCH), null, FRENCH],
    ['French, windows-1252 behind a UTF-8 label', latin1(FRENCH), 'text/plain; charset=utf-8', FRENCH],
    ['Arabic, UTF-16LE with BOM', concat(Uint8Array.of(0xff, 0xfe), utf16le(ARABIC)), null, ARABIC],
    ['French, UTF-16BE with BOM', concat(Uint8Array.of(0xfe, 0xff), utf16be(FRENCH)), 'text/plain; charset=windows-1252', FRENCH],
    ['Arabic, UTF-16LE with BOM, 600 KB', concat(Uint8Array.of(0xff, 0xfe), utf16le(ARABIC.repeat(2000))), null, ARABIC.repeat(2000)],
    ['French, UTF-16LE without BOM (NUL pattern)', utf16le(FRENCH), null, FRENCH],
    ['Arabic, UTF-16BE without BOM behind a UTF-8 label', utf16be(ARABIC), 'text/plain; charset=utf-8', ARABIC],
    ['Arabic, UTF-32LE with BOM', concat(Uint8Array.of(0xff, 0xfe, 0, 0), utf32(ARABIC, true)), null, ARABIC],
    ['French, UTF-32BE without BOM', utf32(FRENCH, false), null, FRENCH],
    ['IPTC 7901 with NUL line fill at both ends', concat(new Uint8Array(6), latin1('\u0001abc12 5 a 30\n\u0002Head\u0007line =\n\nBody text.\u007f\n\u0003'), new Uint8Array(300)), null, `${'\0'.repeat(6)}\u0001abc12 5 a 30\n\u0002Head\u0007line =\n\nBody text.\u007f\n\u0003${'\0'.repeat(300)}`],
    ['ISO-2022-JP mail text (ESC shifts), undeclared', latin1('Subject: test\n\n\u001b$B$3$s$K$A$O\u001b(B world\n'), null, 'Subject: test\n\n\u001b$B$3$s$K$A$O\u001b(B world\n'],
    ['a short text with one U+FFFD from upstream', new Uint8Array(Buffer.from('Caf\uFFFD ouvert')), null, 'Caf\uFFFD ouvert'],
    ['one stray SUB at the end of a long text', new Uint8Array(Buffer.from(`${FRENCH.repeat(3)}\u001a`)), null, `${FRENCH.repeat(3)}\u001a`],
    ['a text that starts "BZh"', latin1('BZh, said the bee.'), null, 'BZh, said the bee.'],
    ['the empty body', new Uint8Array(0), null, ''],
  ];
  for (const [name, body, contentType, expected] of cases) {
    it(name, () => assert.equal(decodeBody(body, contentType), expected));
  }

  const fixtures = ['wire/seed-ar-kremlin.txt', 'wire/en-ap-senate.txt', 'wire/fr-afp-confinement.txt', 'formats/anpa-writethru.tst', 'formats/iptc7901-fr.txt', 'formats/iptc7901-truncated.txt', 'formats/email-ar-rabat.eml', 'feeds/rss-ar-windows-1256.xml', 'feeds/atom-fr.xml', 'feeds/json-feed-1.1.json', 'formats/newsml-g2-ar-cairo.xml', 'formats/ninjs-ar-2x.json'];
  for (const name of fixtures) {
    it(`the fixture ${name}`, () => {
      const text = decodeBody(new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url))), null);
      assert.ok(text.length > 100);
    });
  }
});

describe('decodeBody: bytes that are not text in any charset are BINARY_BODY, saying why', () => {
  const binary = (cause: RegExp) => (err: unknown) => err instanceof WireError && err.code === 'BINARY_BODY' && err.advice === 'give-up' && cause.test(err.message);
  const cases: Array<[name: string, bytes: Uint8Array, contentType: string | null, cause: RegExp]> = [
    ['762 KB of random bytes, undeclared', noise(762 * 1024, 9), null, /^the document is not text: read as windows-125\d, it holds \d+ NUL characters/],
    ['random bytes labelled UTF-8', noise(64 * 1024, 1), 'text/plain; charset=utf-8', /NUL characters/],
    ['random bytes labelled windows-1256', noise(64 * 1024, 2), 'text/plain; charset=windows-1256', /read as windows-1256, it holds \d+ NUL/],
    ['random bytes labelled Shift_JIS', noise(64 * 1024, 3), 'text/plain; charset=Shift_JIS', /read as shift_jis/],
    ['1 KB of random bytes', noise(1024, 4), null, /NUL characters|control codes/],
    ['random bytes behind a UTF-8 BOM', concat(Uint8Array.of(0xef, 0xbb, 0xbf), noise(4096, 5)), null, /read as utf-8/],
    ['random bytes behind a UTF-16LE BOM', concat(Uint8Array.of(0xff, 0xfe), noise(4096, 6)), null, /read as utf-16le, .*unassigned or private-use/],
    ['300 KB of random bytes behind a UTF-16BE BOM (a long text is judged on a sample)', concat(Uint8Array.of(0xfe, 0xff), noise(300 * 1024, 13).map((b) => b || 1)), null, /read as utf-16be, .*unassigned or private-use/],
    ['random bytes behind a UTF-32BE BOM', concat(Uint8Array.of(0, 0, 0xfe, 0xff), noise(4096, 7)), null, /read as utf-32be, .*did not decode \(U\+FFFD\)/],
    ['random bytes without NUL', noise(64 * 1024, 8).map((b) => b || 0x41), null, /\d+(\.\d)?% of its characters are control codes/],
    ['a NUL in the middle of text', new Uint8Array(Buffer.from(`${FRENCH}\0${FRENCH}`)), null, /it holds 1 NUL character \(/],
    ['nothing but NUL bytes', new Uint8Array(512), null, /nothing but NUL bytes/],
    ['text damaged to U+FFFD upstream', new Uint8Array(Buffer.from('\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD \uFFFD\uFFFD\uFFFD\uFFFD '.repeat(20))), null, /of its characters did not decode \(U\+FFFD\)/],
    ['a gzip body without Content-Encoding', Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3), 'application/rss+xml', /it is gzip-compressed data/],
    ['a ZIP archive', concat(latin1('PK\u0003\u0004'), noise(200, 10)), null, /it is a ZIP archive/],
    ['a PDF', latin1('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), null, /it is a PDF file/],
    ['a PNG image', concat(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), noise(100, 11)), null, /it is a PNG image/],
    ['a JPEG image', concat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0), noise(100, 12)), null, /it is a JPEG image/],
  ];
  for (const [name, body, contentType, cause] of cases) {
    it(name, () => assert.throws(() => decodeBody(body, contentType), binary(cause)));
  }
});

describe('decodeBody: the feedparser encoding corpus (../shared) all reads as markup', { skip: existsSync(ENCODING_CORPUS) ? false : `no corpus at ${ENCODING_CORPUS} (../shared is absent)` }, () => {
  it('every document, UTF-16 and UTF-32 with and without BOM included', () => {
    const wrong = readdirSync(ENCODING_CORPUS).filter((f) => !decodeBody(new Uint8Array(readFileSync(ENCODING_CORPUS + f)), null).trimStart().startsWith('<'));
    assert.deepEqual(wrong, []);
  });
});

describe('decodeBody: the charset fixtures (tests/fixtures/encoding, RFC 7303 order, then detection)', () => {
  const dir = new URL('../fixtures/encoding/', import.meta.url);
  const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Array<{ file: string; contentType: string | null; why: string; expected: string }>;
  for (const { file, contentType, why, expected } of cases) {
    it(`${file} (${why})`, () => assert.equal(decodeBody(new Uint8Array(readFileSync(new URL(file, dir))), contentType), expected));
  }
});

describe('decodeBody: windows-1252 and nearly-UTF-8 bytes', () => {
  const cases: Array<[name: string, bytes: Uint8Array, contentType: string | null, expected: string]> = [
    // Node 20's TextDecoder reads this row as C1 controls; every one is a character of windows-1252.
    ['the 0x80–0x9F row of windows-1252', Uint8Array.from([0x80, 0x82, 0x85, 0x8c, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9c, 0x9f]), 'text/plain; charset=windows-1252', '€‚…Œ‘’“”–—™œŸ'],
    ['ISO-8859-1 and US-ASCII labels read as windows-1252 (WHATWG)', Uint8Array.from([0x93, 0x4f, 0x4b, 0x94]), 'text/xml; charset=iso-8859-1', '“OK”'],
    ['US-ASCII label', Uint8Array.from([0x93, 0x4f, 0x4b, 0x94]), 'text/xml; charset=us-ascii', '“OK”'],
    ['undeclared windows-1252 punctuation', latin1('It\u0092s \u0093fine\u0094 \u0096 really\u0085'), null, 'It’s “fine” – really…'],
    ['the five bytes windows-1252 leaves unassigned stay their C1 code point', Uint8Array.from([0x61, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x62]), 'text/plain; charset=windows-1252', 'a\u0081\u008d\u008f\u0090\u009db'],
    ['UTF-8 with one stray windows-1252 byte (an apostrophe)', concat(new Uint8Array(Buffer.from('L’été à Montréal, Noël')), Uint8Array.of(0x92), new Uint8Array(Buffer.from('s café'))), null, 'L’été à Montréal, Noël’s café'],
    ['UTF-8 with a stray byte, behind a windows-1252 label', concat(new Uint8Array(Buffer.from('L’été à Montréal, Noël')), Uint8Array.of(0xe9), new Uint8Array(Buffer.from('s café'))), 'text/html; charset=windows-1252', 'L’été à Montréal, Noëlés café'],
    // ARABIC ends "دينار.": without its full stop, the last character is the two bytes of ر.
    ['Arabic UTF-8 cut inside its last character', new Uint8Array(Buffer.from(ARABIC.slice(0, -1))).subarray(0, Buffer.byteLength(ARABIC.slice(0, -1)) - 1), 'text/plain; charset=utf-8', `${ARABIC.slice(0, -2)}\uFFFD`],
    ['Arabic UTF-8 cut inside a 4-byte character', new Uint8Array(Buffer.from(`${ARABIC} 😀`)).subarray(0, Buffer.byteLength(`${ARABIC} 😀`) - 2), null, `${ARABIC} \uFFFD`],
  ];
  for (const [name, body, contentType, expected] of cases) {
    it(name, () => assert.equal(decodeBody(body, contentType), expected));
  }

  it('a legacy multibyte label (Shift_JIS) is not second-guessed by the nearly-UTF-8 rule', () => {
    const sjis = Uint8Array.from([0x93, 0xfa, 0x96, 0x7b]); // 日本
    assert.equal(decodeBody(sjis, 'text/plain; charset=Shift_JIS'), '日本');
  });

  it('detectCharset names the charset decodeBody reads in', () => {
    assert.equal(detectCharset(ARABIC_1256, null), 'windows-1256');
    assert.equal(detectCharset(latin1(FRENCH), 'text/plain; charset=ISO-8859-1'), 'windows-1252');
    assert.equal(detectCharset(concat(new Uint8Array(Buffer.from(FRENCH)), Uint8Array.of(0x92)), null), 'utf-8+windows-1252');
  });
});

describe('decodeBody: the feedparser encoding corpus against cases.json (../shared)', { skip: existsSync(ENCODING_CORPUS) ? false : `no corpus at ${ENCODING_CORPUS} (../shared is absent)` }, () => {
  const root = new URL('../../../shared/corpora/feedparser/', import.meta.url);
  type Check = { op: string; path: (string | number)[]; value: string };
  type Case = { path: string; http_headers?: Record<string, string>; checks: Check[] | null };
  // feedparser's expectations that are not about decoding bytes: U+0092 (bytes C2 92) and &#146;
  // made into ’ ("demoronize": src/normalize/text-hygiene.ts does it, after parsing; -3 keeps a
  // double-escaped reference, which feedparser rewrites as &#x2019;), and its mojibake for bozo_linenoise.xml
  // (two UTF-8 characters and one stray byte: Wirefeed reads the whole as windows-1252 too, but
  // feedparser's sanitizer also drops the "<>" the CDATA holds).
  const NOT_DECODING = ['bozo_linenoise.xml entries.0.summary', 'demoronize-1.xml entries.0.description', 'demoronize-2.xml entries.0.description', 'demoronize-3.xml entries.0.description'];

  /** The text feedparser's named encoding gives, or null where TextDecoder has no such encoding. */
  const reference = (bytes: Uint8Array, label: string): string | null => {
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    if (label === 'us-ascii' || label === 'iso-8859-1') return Buffer.from(body).toString('latin1');
    if (label.startsWith('utf-32')) return null;
    const text = new TextDecoder(label, { ignoreBOM: true }).decode(body);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };

  it('decodes to the text feedparser expects wherever cases.json names an encoding or a field value', (t) => {
    const cases = (JSON.parse(readFileSync(new URL('cases.json', root), 'utf8')) as Case[]).filter((c) => c.path.startsWith('tests/encoding/'));
    const misses: string[] = [];
    let judged = 0;
    for (const c of cases) {
      const bytes = new Uint8Array(readFileSync(new URL(c.path, root)));
      const contentType = c.http_headers?.['Content-type'] ?? null;
      const text = decodeBody(bytes, contentType);
      for (const check of c.checks ?? []) {
        if (check.op !== 'eq') continue;
        judged++;
        let right: boolean;
        if (check.path[0] === 'encoding') {
          const expected = reference(bytes, check.value);
          right = expected === null ? detectCharset(bytes, contentType) === check.value : text === expected;
        } else {
          const tag = String(check.path.at(-1));
          const field = new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`).exec(text)?.[1];
          right = field !== undefined && decodeXML(field) === check.value;
        }
        if (!right) misses.push(`${c.path.slice('tests/encoding/'.length)} ${check.path.join('.')}`);
      }
    }
    t.diagnostic(`feedparser encoding corpus: ${cases.length} files decoded, ${judged - misses.length} of ${judged} expectations met`);
    assert.deepEqual(misses, NOT_DECODING);
  });
});
