/**
 * Near-duplicate signatures: the same agency story carried by several outlets (re-headlined,
 * trimmed, with their own dateline and credits) should be one article in a topic feed. MinHash
 * over word 4-shingles of the folded body estimates the Jaccard similarity of two texts from 64
 * numbers each; locality-sensitive bands find the candidates without comparing every pair.
 */
import { foldParagraphs } from '../normalize/fold-scan.ts';

export const SIGNATURE_SIZE = 64;
export const BANDS = 32;
const ROWS = SIGNATURE_SIZE / BANDS;
const SHINGLE = 4;
/** Estimated Jaccard similarity at or above which two articles are the same story. */
export const DUPLICATE_THRESHOLD = 0.4;
/** Texts shorter than this many words are too short to call duplicates on their body alone. */
const MIN_WORDS = 25;

// Fixed odd multipliers: one independent-enough hash function per signature slot.
const SEEDS = Uint32Array.from({ length: SIGNATURE_SIZE }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ 0x85ebca6b) | 1);

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function mix(h: number, seed: number): number {
  let x = Math.imul(h ^ seed, 0xcc9e2d51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x1b873593);
  return (x ^ (x >>> 13)) >>> 0;
}

/** The MinHash signature of a text, or null when the text is too short to judge. */
export function signature(text: string): Uint32Array | null {
  const words = foldParagraphs(text).flat();
  if (words.length < MIN_WORDS) return null;
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const h = fnv1a(words.slice(i, i + SHINGLE).join(' '));
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const v = mix(h, SEEDS[k]!);
      if (v < sig[k]!) sig[k] = v;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity of the texts behind two signatures. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < SIGNATURE_SIZE; k++) if (a[k] === b[k]) same++;
  return same / SIGNATURE_SIZE;
}

/** Band keys (32 bands of 2 rows): two signatures sharing any band are candidates; at 0.4 similarity the chance of missing a pair is 0.4 %. */
export function bandKeys(sig: Uint32Array): string[] {
  const keys: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5;
    for (let r = 0; r < ROWS; r++) h = Math.imul(h ^ sig[b * ROWS + r]!, 0x01000193);
    keys.push(`${b}:${(h >>> 0).toString(36)}`);
  }
  return keys;
}

export function encodeSignature(sig: Uint32Array): string {
  const buf = Buffer.alloc(SIGNATURE_SIZE * 4);
  for (let k = 0; k < SIGNATURE_SIZE; k++) buf.writeUInt32LE(sig[k]!, k * 4);
  return buf.toString('base64');
}

export function decodeSignature(text: string): Uint32Array {
  const buf = Buffer.from(text, 'base64');
  const out = new Uint32Array(SIGNATURE_SIZE);
  for (let k = 0; k < SIGNATURE_SIZE; k++) out[k] = buf.readUInt32LE(k * 4);
  return out;
}

/** An article already indexed, or decided earlier in the same batch. */
export interface DuplicateCandidate {
  id: string;
  /** The first article of the story this one belongs to. */
  canonical: string;
  sig: Uint32Array;
}

/** One article of a batch to decide: its signature (null: too short) and band keys. */
export interface BatchEntry {
  id: string;
  sig: Uint32Array | null;
  /** Band keys, language included: only articles sharing one are compared. */
  bands: string[];
  /** Ids of indexed articles sharing a band with it. */
  indexed: Iterable<string>;
}

export interface DuplicateDecisions {
  /** Per entry: the canonical id it repeats, or null. */
  duplicateOf: (string | null)[];
  /** Entries with a signature, as they are to be indexed (canonical set). */
  decided: (DuplicateCandidate & { bands: string[] })[];
  /** Signatures compared: grows with the candidates sharing a band, not with the batch squared. */
  comparisons: number;
}

/**
 * Decides which entries of a batch repeat a story: the best match at or above the threshold,
 * among indexed articles sharing a band and earlier entries of the batch sharing a band.
 */
export function decideDuplicates(batch: BatchEntry[], known: ReadonlyMap<string, DuplicateCandidate>): DuplicateDecisions {
  const duplicateOf: (string | null)[] = [];
  const decided: DuplicateDecisions['decided'] = [];
  const inBatch = new Map<string, DuplicateCandidate[]>();
  let comparisons = 0;
  for (const entry of batch) {
    const { sig } = entry;
    if (!sig) {
      duplicateOf.push(null);
      continue;
    }
    const pool = new Set<DuplicateCandidate>();
    for (const id of entry.indexed) {
      const c = known.get(id);
      if (c) pool.add(c);
    }
    for (const key of entry.bands) for (const c of inBatch.get(key) ?? []) pool.add(c);
    let best: DuplicateCandidate | null = null;
    let bestScore = DUPLICATE_THRESHOLD;
    for (const c of pool) {
      // Never a duplicate of itself, nor of a later copy of its own story.
      if (c.id === entry.id || c.canonical === entry.id) continue;
      comparisons++;
      const score = similarity(sig, c.sig);
      if (score >= bestScore) {
        best = c;
        bestScore = score;
      }
    }
    duplicateOf.push(best ? best.canonical : null);
    const self = { id: entry.id, canonical: best ? best.canonical : entry.id, sig, bands: entry.bands };
    decided.push(self);
    for (const key of entry.bands) {
      const list = inBatch.get(key);
      if (list) list.push(self);
      else inBatch.set(key, [self]);
    }
  }
  return { duplicateOf, decided, comparisons };
}
