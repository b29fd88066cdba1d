/**
 * Bytes → text for every document Wirefeed reads (HTTP bodies and files dropped in folders).
 *
 * The charset is taken, in order, from a byte-order mark, the Content-Type `charset`, the XML
 * declaration's `encoding`, and an HTML `<meta charset>`; otherwise UTF-8. Like Miniflux, a
 * declaration is not trusted blindly: see {@link decodeBody}.
 *
 * This is also the one place that decides whether a body is text at all: every path (push,
 * fetch, directory, `wirefeed normalize`) decodes through here, format override or not, so
 * binary data fails here as `BINARY_BODY` instead of becoming a mojibake plain-text article.
 */
import { isUtf8 } from 'node:buffer';
import { WireError } from '../model/wire-error.ts';

/** How many leading bytes are sniffed for an XML declaration or an HTML meta tag. */
const SNIFF_BYTES = 2048;

/**
 * Decodes a document's bytes to a string.
 *
 * Order of evidence (RFC 7303 §3, then detection): BOM (UTF-8, UTF-16LE/BE, UTF-32LE/BE) → the
 * NUL pattern of BOM-less UTF-32 or UTF-16 → Content-Type `charset` → XML declaration
 * `encoding="…"` (also a BOM-less UTF-16 declaration, recognised by its byte pattern) → HTML
 * `<meta charset>` / `<meta http-equiv content="…; charset=…">` → UTF-8; undeclared bytes that
 * are not UTF-8 → windows-1256 or ISO-8859-6 when they read as Arabic (whichever reads as more
 * of it), else windows-1252.
 *
 * Corrections for labels that lie (common with hand-configured servers):
 * - a single-byte/legacy label on bytes that are valid UTF-8 and contain non-ASCII: the bytes
 *   are UTF-8 (Miniflux does the same; a legacy text is practically never valid UTF-8);
 * - a UTF-8 label (often a server default) on bytes that are not valid UTF-8: the next label in
 *   the order above that names another charset is used, else detection;
 * - bytes that are UTF-8 but for a few invalid bytes (a truncated download, one stray byte
 *   pasted in from a windows-1252 page), under a UTF-8 or single-byte label or none: UTF-8, each
 *   stray byte read as windows-1252 and a character cut at the very end as U+FFFD — "mostly"
 *   means {@link MOSTLY_UTF8} valid multibyte sequences for every invalid one, which legacy text
 *   does not reach by chance.
 *
 * windows-1252 (and so ISO-8859-1 and US-ASCII, which WHATWG reads as windows-1252) is decoded
 * here rather than by TextDecoder: Node 20's reads its 0x80–0x9F row as C1 controls, losing
 * ’ “ ” – € and the rest.
 *
 * An unknown label is skipped (never thrown); invalid sequences become U+FFFD. A leading BOM is
 * stripped.
 *
 * @param bytes the raw (already decompressed) body
 * @param contentType the Content-Type header value, or null for files
 * @throws WireError `BINARY_BODY` when the bytes are not text in any charset: the signature of a
 *   binary format (gzip, ZIP, PDF, an image…), NUL characters inside the text (runs of NUL at
 *   its very start or end are transmission fill and pass), or — over {@link MIN_JUDGED_CHARS} —
 *   more than 1% control characters that no text or wire format uses, or more than 5%
 *   characters that did not decode (U+FFFD) or are unassigned or private-use. The message says
 *   which, and in what charset the bytes were read.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const signature = binarySignature(bytes);
  if (signature !== null) throw new WireError('BINARY_BODY', `the document is not text: it is ${signature}`);
  const { encoding, skip } = chooseEncoding(bytes, contentType);
  const text = decode(bytes.subarray(skip), encoding);
  const cause = notTextCause(text);
  if (cause !== null) throw new WireError('BINARY_BODY', `the document is not text: read as ${describeEncoding(encoding)}, ${cause}`);
  return text;
}

/**
 * The charset {@link decodeBody} reads `bytes` in, by the same evidence: a WHATWG encoding name,
 * `utf-32le`/`utf-32be`, or `utf-8+windows-1252` (UTF-8 with a few stray windows-1252 bytes).
 */
export function detectCharset(bytes: Uint8Array, contentType: string | null): string {
  return chooseEncoding(bytes, contentType).encoding;
}

/** UTF-8 whose invalid bytes are read as windows-1252 (see {@link decodeBody}). */
const MIXED_UTF8 = 'utf-8+windows-1252';
/** Valid multibyte UTF-8 sequences per invalid byte from which bytes are "mostly UTF-8". */
const MOSTLY_UTF8 = 3;

function describeEncoding(encoding: string): string {
  return encoding === MIXED_UTF8 ? 'utf-8 (stray bytes as windows-1252)' : encoding;
}

function chooseEncoding(bytes: Uint8Array, contentType: string | null): { encoding: string; skip: number } {
  const bom = bomEncoding(bytes);
  if (bom !== null) return { encoding: bom.encoding, skip: bom.length };

  const labels = [
    charsetFromContentType(contentType),
    xmlDeclarationEncoding(bytes),
    htmlMetaCharset(bytes),
  ]
    .map((label) => (label === null ? null : canonicalEncoding(label)))
    .filter((enc): enc is string => enc !== null);

  // UTF-16 and UTF-32 without a BOM show by their NUL bytes, whatever a label says.
  const wide = utf32ByNulPattern(bytes) ?? utf16ByNulPattern(bytes);
  if (wide !== null) return { encoding: wide, skip: 0 };
  const declared = labels[0] ?? 'utf-8';
  if (declared === 'utf-8') {
    if (isValidUtf8(bytes)) return { encoding: 'utf-8', skip: 0 };
    if (mostlyUtf8(bytes)) return { encoding: MIXED_UTF8, skip: 0 };
    const other = labels.find((enc) => enc !== 'utf-8');
    return { encoding: other ?? guessLegacyEncoding(bytes), skip: 0 };
  }
  if (!declared.startsWith('utf-16') && hasNonAscii(bytes) && isValidUtf8(bytes)) {
    return { encoding: 'utf-8', skip: 0 };
  }
  if (!MULTIBYTE_LEGACY.has(declared) && hasNonAscii(bytes) && mostlyUtf8(bytes)) return { encoding: MIXED_UTF8, skip: 0 };
  return { encoding: declared, skip: 0 };
}

/** Legacy charsets of more than one byte a character, whose text may pass for UTF-8 here and there. */
const MULTIBYTE_LEGACY = new Set(['shift_jis', 'euc-jp', 'iso-2022-jp', 'euc-kr', 'gbk', 'gb18030', 'big5', 'utf-16le', 'utf-16be', 'utf-32le', 'utf-32be', 'replacement']);

/**
 * Walks `bytes` as UTF-8 (the well-formed sequences of Unicode §3.9, table 3-7), calling
 * `invalid(start, end)` for each maximal ill-formed subpart; returns the count of well-formed
 * multibyte sequences.
 */
function walkUtf8(bytes: Uint8Array, invalid: (start: number, end: number) => void): number {
  let multibyte = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else {
      invalid(i, i + 1);
      i++;
      continue;
    }
    let j = i + 1;
    let k = 0;
    while (k < need && j < n) {
      const c = bytes[j]!;
      if (k === 0 ? c < lo || c > hi : c < 0x80 || c > 0xbf) break;
      j++;
      k++;
    }
    if (k === need) multibyte++;
    else invalid(i, j);
    i = j;
  }
  return multibyte;
}

/** Bytes that are not valid UTF-8 but nearly so: {@link MOSTLY_UTF8} good multibyte sequences for each bad one. */
function mostlyUtf8(bytes: Uint8Array): boolean {
  let bad = 0;
  const good = walkUtf8(bytes, () => bad++);
  return bad > 0 && good >= bad * MOSTLY_UTF8;
}

/** UTF-8 with each ill-formed byte read as windows-1252; an incomplete character at the very end is U+FFFD. */
function decodeMixedUtf8(bytes: Uint8Array): string {
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  const parts: string[] = [];
  let from = 0;
  walkUtf8(bytes, (start, end) => {
    if (start > from) parts.push(utf8.decode(bytes.subarray(from, start)));
    // A lead byte whose character the end of the bytes cut short (the ill-formed subpart runs to the end).
    const cut = end === bytes.length && bytes[start]! >= 0xc2 && bytes[start]! <= 0xf4;
    parts.push(cut ? '\uFFFD' : decodeWindows1252(bytes.subarray(start, end)));
    from = end;
  });
  if (from < bytes.length) parts.push(utf8.decode(bytes.subarray(from)));
  return parts.join('');
}

/** windows-1252 0x80–0x9F per the WHATWG index (the five unassigned bytes as their C1 code point). */
const CP1252_80_9F = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** windows-1252: ISO-8859-1 but for the 0x80–0x9F row. */
function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80]!);
}

/** Leading bytes of binary formats a sender may push or a folder may receive by mistake. */
const SIGNATURES: ReadonlyArray<[bytes: ReadonlyArray<number> | string, what: string]> = [
  [[0x1f, 0x8b], 'gzip-compressed data (sent without Content-Encoding: gzip?)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed data'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz-compressed data'],
  ['BZh', 'bzip2-compressed data'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (or an Office document)'],
  ['%PDF-', 'a PDF file'],
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  ['GIF8', 'a GIF image'],
];

function binarySignature(bytes: Uint8Array): string | null {
  for (const [sig, what] of SIGNATURES) {
    const codes = typeof sig === 'string' ? [...sig].map((c) => c.charCodeAt(0)) : sig;
    if (codes.length <= bytes.length && codes.every((b, i) => bytes[i] === b)) {
      // "BZh" is also how a word can start: bzip2 goes on with a block size digit and "1AY&SY".
      if (sig === 'BZh' && !/^BZh[1-9]1AY&SY/.test(Buffer.from(bytes.subarray(0, 10)).toString('latin1'))) continue;
      return what;
    }
  }
  return null;
}

/**
 * C0 controls a text may carry: TAB, LF, VT, FF, CR; the wire transmission characters of ANPA
 * 1312 and IPTC 7901 (SOH, STX, ETX, EOT, BEL for bulletins, BS-led table lines, DC1–DC4,
 * SYN, ETB, the FS/GS/RS/US separators); SO, SI and ESC, which ISO-2022 texts shift charsets
 * with. DEL (IPTC fill) and the C1 range (cp1252 punctuation read as latin-1) are not counted
 * either. What is left (ENQ, ACK, DLE, NAK, CAN, EM, SUB) only comes in numbers from binary.
 */
const TEXT_CONTROLS = new Set([
  0x01, 0x02, 0x03, 0x04, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17,
  0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
]);

/** Below this many characters the shares are taken of this many (a short text is not judged by one odd character). */
const MIN_JUDGED_CHARS = 100;
/** Share of stray control characters above which a text is binary (random bytes: about 3%). */
const MAX_CONTROL_SHARE = 0.01;
/** Share of U+FFFD, unassigned and private-use characters above which a text is binary. */
const MAX_UNREADABLE_SHARE = 0.05;

const UNASSIGNED_OR_PRIVATE = /[\p{Cn}\p{Co}]/gu;
/** Unicode-property matching is slow (~15 ms a MB): a long text is judged on 16 spread windows. */
const SAMPLE_WINDOW = 4096;
const SAMPLE_WINDOWS = 16;

/** The share of unassigned and private-use characters in text[start, end), from a sample when long. */
function unassignedShare(text: string, start: number, end: number): number {
  const span = end - start;
  const windows = span <= SAMPLE_WINDOW * SAMPLE_WINDOWS ? 1 : SAMPLE_WINDOWS;
  const width = windows === 1 ? span : SAMPLE_WINDOW;
  let seen = 0;
  let found = 0;
  for (let k = 0; k < windows; k++) {
    const from = windows === 1 ? start : start + Math.floor((k * (span - width)) / (windows - 1));
    const part = text.slice(from, from + width);
    seen += part.length;
    found += part.match(UNASSIGNED_OR_PRIVATE)?.length ?? 0;
  }
  return seen === 0 ? 0 : found / seen;
}

/** Why a decoded text is not text at all, or null when it is. */
function notTextCause(text: string): string | null {
  let start = 0;
  let end = text.length;
  // NUL fill at either end (teletype line idle, files padded to a block size) is not content.
  while (start < end && text.charCodeAt(start) === 0) start++;
  while (end > start && text.charCodeAt(end - 1) === 0) end--;
  if (start === end) return text.length === 0 ? null : 'it holds nothing but NUL bytes';

  let nul = 0;
  let controls = 0;
  let replaced = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) nul++;
    else if (c < 0x20 && !TEXT_CONTROLS.has(c)) controls++;
    else if (c === 0xfffd) replaced++;
  }
  // No text format holds U+0000: XML forbids it, JSON escapes it, wire copy only pads with it.
  if (nul > 0) return `it holds ${nul} NUL character${nul === 1 ? '' : 's'} (binary data?)`;
  const judged = Math.max(end - start, MIN_JUDGED_CHARS);
  if (controls > judged * MAX_CONTROL_SHARE) return `${percent(controls, end - start)} of its characters are control codes (binary data?)`;

  const odd = Math.round(unassignedShare(text, start, end) * (end - start));
  if (replaced + odd > judged * MAX_UNREADABLE_SHARE) {
    return replaced >= odd
      ? `${percent(replaced, end - start)} of its characters did not decode (U+FFFD): binary data, or a wrong charset declared?`
      : `${percent(odd, end - start)} of its characters are unassigned or private-use (binary data?)`;
  }
  return null;
}

function percent(part: number, whole: number): string {
  const p = (100 * part) / whole;
  return `${p >= 10 ? Math.round(p) : p.toFixed(1)}%`;
}

/**
 * UTF-32 without a BOM: every character below U+10000 has two zero bytes on the same side of
 * its 4-byte unit (the high ones), and ASCII three.
 */
function utf32ByNulPattern(bytes: Uint8Array): 'utf-32le' | 'utf-32be' | null {
  const n = Math.min(bytes.length, SNIFF_BYTES * 4) & ~3;
  if (n < 8) return null;
  let le = 0;
  let be = 0;
  for (let i = 0; i < n; i += 4) {
    if (bytes[i + 2] === 0 && bytes[i + 3] === 0 && bytes[i] !== 0) le++;
    if (bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 3] !== 0) be++;
  }
  const units = n / 4;
  if (le >= units * 0.9) return 'utf-32le';
  if (be >= units * 0.9) return 'utf-32be';
  return null;
}

/** UTF-32 by hand; a unit that is no Unicode scalar value becomes U+FFFD, a trailing partial unit too. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    chunk.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
    if (chunk.length === 8192) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  if (bytes.length % 4 !== 0) chunk.push(0xfffd);
  parts.push(String.fromCodePoint(...chunk));
  const text = parts.join('');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * UTF-16 without a BOM or declaration, told by where its NUL bytes sit: the high byte of every
 * ASCII character (spaces, digits and punctuation in any script) is 0, always at the same
 * parity. Binary data has its zeros at both parities; text in any 8-bit charset has none.
 */
function utf16ByNulPattern(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, SNIFF_BYTES * 2) & ~1;
  if (n < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd >= pairs * 0.1 && even <= odd * 0.02) return 'utf-16le';
  if (even >= pairs * 0.1 && odd <= even * 0.02) return 'utf-16be';
  return null;
}

function decode(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32(bytes, encoding === 'utf-32le');
  const text =
    encoding === MIXED_UTF8
      ? decodeMixedUtf8(bytes)
      : encoding === 'windows-1252'
        ? decodeWindows1252(bytes)
        : // ignoreBOM: true keeps a BOM in the text so that we strip it ourselves, once, for every encoding.
          new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | null {
  // UTF-32LE's BOM starts like UTF-16LE's: test it first.
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0x00 && bytes[3] === 0x00) return { encoding: 'utf-32le', length: 4 };
  if (bytes[0] === 0x00 && bytes[1] === 0x00 && bytes[2] === 0xfe && bytes[3] === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** The WHATWG name of a charset label, or null when TextDecoder does not know it. */
function canonicalEncoding(label: string): string | null {
  const cleaned = label.trim().replace(/^["']|["']$/g, '');
  if (cleaned === '') return null;
  // UTF-32 is no WHATWG encoding (TextDecoder refuses it); Wirefeed reads it itself.
  const utf32 = /^(?:utf-?32|ucs-?4)(le|be)?$/i.exec(cleaned);
  if (utf32) return utf32[1]?.toLowerCase() === 'le' ? 'utf-32le' : 'utf-32be';
  try {
    return new TextDecoder(cleaned).encoding;
  } catch {
    return null;
  }
}

function charsetFromContentType(contentType: string | null): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*("[^"]*"|[^;\s]+)/i.exec(contentType);
  return match?.[1] ?? null;
}

function sniffAscii(bytes: Uint8Array): string {
  // latin1 maps every byte to one char, so offsets and ASCII markup survive any real encoding.
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, SNIFF_BYTES)).toString('latin1');
}

function xmlDeclarationEncoding(bytes: Uint8Array): string | null {
  // XML 1.0 Appendix F: a BOM-less UTF-16 document still starts with "<?" in its own encoding.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  const head = sniffAscii(bytes);
  const decl = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  return decl?.[1] ?? null;
}

function htmlMetaCharset(bytes: Uint8Array): string | null {
  const head = sniffAscii(bytes);
  const direct = /<meta\s[^>]*?\bcharset\s*=\s*["']?([^"'\s/>;]+)/i.exec(head);
  return direct?.[1] ?? null;
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/**
 * Undeclared bytes that are not UTF-8 are a legacy single-byte text: wire files from Arab
 * agencies in windows-1256 (older ones in ISO-8859-6), European ones in windows-1252. Read in
 * the right Arabic charset, Arabic text turns its high bytes into Arabic letters; read in the
 * other, some of them become Latin letters or U+FFFD (ISO-8859-6 leaves half its high bytes
 * unassigned, and puts و ي ى ه where windows-1256 has è ê é ç). Latin text with a few accents
 * reads as Arabic in neither.
 */
function guessLegacyEncoding(bytes: Uint8Array): string {
  const share1256 = arabicShare(new TextDecoder('windows-1256').decode(bytes));
  const share88596 = arabicShare(new TextDecoder('iso-8859-6').decode(bytes));
  const best = Math.max(share1256, share88596);
  if (best < 0.6) return 'windows-1252';
  return share88596 > share1256 ? 'iso-8859-6' : 'windows-1256';
}

/**
 * The share of Arabic-block characters among the non-ASCII ones of `text` (0 with none). One
 * that touches a Latin letter does not count: that is an accent of a Latin word read in an Arabic
 * charset ("été" in ISO-8859-6 is "ىtى"), as Arabic words are not glued to Latin ones.
 */
function arabicShare(text: string): number {
  const latin = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  let high = 0;
  let arabic = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    high++;
    if (c >= 0x0600 && c <= 0x06ff && !latin(text.charCodeAt(i - 1)) && !latin(text.charCodeAt(i + 1))) arabic++;
  }
  return high === 0 ? 0 : arabic / high;
}
