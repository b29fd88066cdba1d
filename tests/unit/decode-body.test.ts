import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeBody } from '../../src/fetch/decode-body.ts';

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
