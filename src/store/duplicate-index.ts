/**
 * The near-duplicate index: MinHash signatures and LSH band buckets of recent articles, per
 * language, kept for a window (the same story reaches outlets within hours, not weeks). Before a
 * batch is stored, each article is compared with the candidates that share a band with it; the
 * best match at or above the threshold makes it a duplicate of that story's first article.
 *
 * Two copies ingested at the same instant by two workers may both become first: rare, and the
 * cost is one story twice in a feed, not a lost article.
 */
import type { Redis } from 'ioredis';
import {
  DUPLICATE_THRESHOLD,
  bandKeys,
  decodeSignature,
  encodeSignature,
  signature,
  similarity,
} from '../classify/near-duplicate.ts';
import type { ArticleRecord } from '../model/article-record.ts';

const DEFAULT_WINDOW_MS = 3 * 86_400_000;

interface Candidate {
  id: string;
  /** The first article of the story this one belongs to. */
  canonical: string;
  sig: Uint32Array;
}

export class DuplicateIndex {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #windowMs: number;

  constructor(redis: Redis, prefix: string, windowMs = DEFAULT_WINDOW_MS) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#windowMs = windowMs;
  }

  #bandKey(language: string, band: string): string {
    return `${this.#prefix}:lsh:${language.split('-')[0]}:${band}`;
  }

  #sigKey(id: string): string {
    return `${this.#prefix}:sig:${id}`;
  }

  /**
   * Sets `duplicateOf` on the articles of `batch` that repeat a story already indexed (or an
   * earlier article of the same batch), then indexes the batch. Two round trips to Redis to read,
   * one to write, whatever the batch size. Returns how many duplicates were found.
   */
  async resolve(batch: ArticleRecord[]): Promise<number> {
    const sigs = batch.map((a) => signature(`${a.headline}\n${a.bodyText}`));
    const bands = sigs.map((sig, i) => (sig ? bandKeys(sig).map((b) => this.#bandKey(batch[i]!.language, b)) : []));

    const read = this.#redis.pipeline();
    for (const keys of bands) for (const key of keys) read.smembers(key);
    const members = ((await read.exec()) ?? []).map(([, ids]) => (ids as string[]) ?? []);
    let cursor = 0;
    const candidateIds = bands.map((keys) => {
      const ids = new Set<string>();
      for (let k = 0; k < keys.length; k++) for (const id of members[cursor++]!) ids.add(id);
      return ids;
    });
    const allIds = [...new Set(candidateIds.flatMap((s) => [...s]))];
    const known = new Map<string, Candidate>();
    if (allIds.length) {
      const rows = await this.#redis.mget(allIds.map((id) => this.#sigKey(id)));
      rows.forEach((row, i) => {
        if (!row) return;
        const [canonical, encoded] = row.split('|');
        if (canonical && encoded) known.set(allIds[i]!, { id: allIds[i]!, canonical, sig: decodeSignature(encoded) });
      });
    }

    let found = 0;
    // Articles of this batch already decided: a story repeated inside one document counts too.
    const decided: (Candidate & { language: string; bands: string[] })[] = [];
    batch.forEach((article, i) => {
      const sig = sigs[i];
      if (!sig) return;
      const pool = [
        ...[...candidateIds[i]!].map((id) => known.get(id)),
        ...decided.filter((c) => c.language === article.language),
      ];
      let best: Candidate | null = null;
      let bestScore = DUPLICATE_THRESHOLD;
      for (const c of pool) {
        // Never a duplicate of itself, nor of a later copy of its own story.
        if (!c || c.id === article.id || c.canonical === article.id) continue;
        const score = similarity(sig, c.sig);
        if (score >= bestScore) {
          best = c;
          bestScore = score;
        }
      }
      article.duplicateOf = best ? best.canonical : null;
      if (best) found++;
      decided.push({ id: article.id, canonical: best ? best.canonical : article.id, sig, language: article.language, bands: bands[i]! });
    });

    const write = this.#redis.pipeline();
    for (const c of decided) {
      write.set(this.#sigKey(c.id), `${c.canonical}|${encodeSignature(c.sig)}`, 'PX', this.#windowMs);
      for (const key of c.bands) {
        write.sadd(key, c.id);
        write.pexpire(key, this.#windowMs);
      }
    }
    await write.exec();
    return found;
  }
}
