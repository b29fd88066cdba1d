/**
 * Bytes → text for every document Wirefeed reads (HTTP bodies and files dropped in folders).
 *
 * The charset is taken, in order, from a byte-order mark, the Content-Type `charset`, the XML
 * declaration's `encoding`, and an HTML `<meta charset>`; otherwise UTF-8. Like Miniflux, a
 * declaration is not trusted blindly: see {@link decodeBody}.
 */
import { isUtf8 } from 'node:buffer';

/** How many leading bytes are sniffed for an XML declaration or an HTML meta tag. */
const SNIFF_BYTES = 2048;

/**
 * Decodes a document's bytes to a string.
 *
 * Order of evidence: BOM (UTF-8, UTF-16LE, UTF-16BE) → Content-Type `charset` → XML declaration
 * `encoding="…"` (also a BOM-less UTF-16 declaration, recognised by its byte pattern) → HTML
 * `<meta charset>` / `<meta http-equiv content="…; charset=…">` → UTF-8; undeclared bytes that are not
 * UTF-8 → windows-1256 when they read as Arabic, else windows-1252.
 *
 * Two corrections for labels that lie (both common with hand-configured servers):
 * - a single-byte/legacy label on bytes that are valid UTF-8 and contain non-ASCII: the bytes
 *   are UTF-8 (Miniflux does the same; a legacy text is practically never valid UTF-8);
 * - a UTF-8 label (often a server default) on bytes that are not valid UTF-8: the next label in
 *   the order above that names another charset is used.
 *
 * An unknown label is skipped (never thrown); invalid sequences become U+FFFD. A leading BOM is
 * stripped.
 *
 * @param bytes the raw (already decompressed) body
 * @param contentType the Content-Type header value, or null for files
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const bom = bomEncoding(bytes);
  if (bom !== null) return decode(bytes.subarray(bom.length), bom.encoding);

  const labels = [
    charsetFromContentType(contentType),
    xmlDeclarationEncoding(bytes),
    htmlMetaCharset(bytes),
  ]
    .map((label) => (label === null ? null : canonicalEncoding(label)))
    .filter((enc): enc is string => enc !== null);

  const declared = labels[0] ?? 'utf-8';
  if (declared === 'utf-8') {
    if (isValidUtf8(bytes)) return decode(bytes, 'utf-8');
    const other = labels.find((enc) => enc !== 'utf-8');
    return decode(bytes, other ?? guessLegacyEncoding(bytes));
  }
  if (!declared.startsWith('utf-16') && hasNonAscii(bytes) && isValidUtf8(bytes)) {
    return decode(bytes, 'utf-8');
  }
  return decode(bytes, declared);
}

function decode(bytes: Uint8Array, encoding: string): string {
  // ignoreBOM: true keeps a BOM in the text so that we strip it ourselves, once, for every encoding.
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** The WHATWG name of a charset label, or null when TextDecoder does not know it. */
function canonicalEncoding(label: string): string | null {
  const cleaned = label.trim().replace(/^["']|["']$/g, '');
  if (cleaned === '') return null;
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
 * agencies in windows-1256, European ones in windows-1252. Read as windows-1256, Arabic text
 * turns its high bytes into Arabic letters; Latin text with a few accents does not.
 */
function guessLegacyEncoding(bytes: Uint8Array): string {
  const text = new TextDecoder('windows-1256').decode(bytes);
  let high = 0;
  let arabic = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    high++;
    if (c >= 0x0600 && c <= 0x06ff) arabic++;
  }
  return high > 0 && arabic / high >= 0.6 ? 'windows-1256' : 'windows-1252';
}
