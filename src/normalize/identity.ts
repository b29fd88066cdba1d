/**
 * Identity and change detection for articles: a stable id per (source, item), a guid for items
 * that carry none, and a hash of what a reader sees so unchanged re-deliveries are recognized.
 */
import { createHash } from 'node:crypto';

/** Length of ids in hex characters: 128 bits, ample against collisions and short in Redis keys. */
const ID_HEX_CHARS = 32;

/** Lowercase hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted at every level, so equal values always serialize to equal
 * strings whatever order their properties were built in. `undefined` members are omitted.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The record id: lowercase hex (URL- and file-name-safe, case-insensitive stores included),
 * derived from the source id and the item's guid, so the same item from the same source always
 * gets the same id and equal guids from different sources do not collide.
 */
export function articleId(sourceId: string, guid: string): string {
  return sha256Hex(`${sourceId}\u0000${guid}`).slice(0, ID_HEX_CHARS);
}

/**
 * A guid for an item without guid or URL, from its headline and body:
 * `urn:wirefeed:<sourceId>:<hash>`. A corrected re-send of such copy is a new item, unless it
 * came as a dropped file: then its file name is its guid (src/ingest/ingest-document.ts).
 */
export function derivedGuid(sourceId: string, headline: string, bodyText: string): string {
  const hash = sha256Hex(`${headline}\u0000${bodyText}`).slice(0, ID_HEX_CHARS);
  // Source ids are slugs by configuration; encoding keeps the URN valid if one is not.
  return `urn:wirefeed:${encodeURIComponent(sourceId)}:${hash}`;
}
