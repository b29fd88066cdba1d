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
  BANDS,
  bandKeys,
  decideDuplicates,
  decodeSignature,
  encodeSignature,
  signature,
  type DuplicateCandidate,
} from '../classify/near-duplicate.ts';
import type { ArticleRecord } from '../model/article-record.ts';
import { keys, type Keys } from './keys.ts';
import { defineScripts } from './lua-scripts.ts';

const DEFAULT_WINDOW_MS = 3 * 86_400_000;
/** Articles per script call: 32 band keys each to read, 33 keys to write. */
const PIPELINE_ARTICLES = 500;

/** src/store/scripts/lsh-*.lua; the number of KEYS comes first. */
type ScriptRedis = Redis & {
  wfLshCandidates(numKeys: number, ...args: string[]): Promise<string[][]>;
  wfLshIndex(numKeys: number, ...args: string[]): Promise<number>;
};

export class DuplicateIndex {
  readonly #redis: ScriptRedis;
  readonly #keys: Keys;
  readonly #windowMs: number;

  constructor(redis: Redis, prefix: string, windowMs = DEFAULT_WINDOW_MS) {
    defineScripts(redis, { 'lsh-candidates': 'dynamic', 'lsh-index': 'dynamic' });
    this.#redis = redis as ScriptRedis;
    this.#keys = keys(prefix);
    this.#windowMs = windowMs;
  }

  /**
   * Sets `duplicateOf` on the articles of `batch` that repeat a story already indexed (or an
   * earlier article of the same batch), then indexes the batch. Candidates, inside the batch as
   * in the index, are only those sharing an LSH band: the cost grows with the batch, not with its
   * square. Redis is read and written by one script call per {@link PIPELINE_ARTICLES} articles.
   * Returns how many duplicates were found.
   */
  async resolve(batch: ArticleRecord[]): Promise<number> {
    const sigs = batch.map((a) => signature(`${a.headline}\n${a.bodyText}`));
    const bands = sigs.map((sig, i) => (sig ? bandKeys(sig).map((b) => this.#keys.lsh(batch[i]!.language, b)) : []));

    const candidateIds: Set<string>[] = [];
    for (let start = 0; start < batch.length; start += PIPELINE_ARTICLES) {
      const slice = bands.slice(start, start + PIPELINE_ARTICLES);
      const flat = slice.flat();
      // One list per article with bands (a text too short to judge has none).
      const found = flat.length ? await this.#redis.wfLshCandidates(flat.length, ...flat, String(BANDS)) : [];
      let cursor = 0;
      for (const list of slice) candidateIds.push(new Set(list.length ? found[cursor++] : []));
    }
    const allIds = [...new Set(candidateIds.flatMap((s) => [...s]))];
    const known = new Map<string, DuplicateCandidate>();
    for (let start = 0; start < allIds.length; start += PIPELINE_ARTICLES * 4) {
      const ids = allIds.slice(start, start + PIPELINE_ARTICLES * 4);
      const rows = await this.#redis.mget(ids.map((id) => this.#keys.signature(id)));
      rows.forEach((row, i) => {
        if (!row) return;
        const [canonical, encoded] = row.split('|');
        if (canonical && encoded) known.set(ids[i]!, { id: ids[i]!, canonical, sig: decodeSignature(encoded) });
      });
    }

    const { duplicateOf, decided } = decideDuplicates(
      batch.map((a, i) => ({ id: a.id, sig: sigs[i]!, bands: bands[i]!, indexed: candidateIds[i]! })),
      known,
    );
    let found = 0;
    batch.forEach((article, i) => {
      article.duplicateOf = duplicateOf[i]!;
      if (article.duplicateOf) found++;
    });

    for (let start = 0; start < decided.length; start += PIPELINE_ARTICLES) {
      const chunk = decided.slice(start, start + PIPELINE_ARTICLES);
      const keyList = chunk.flatMap((c) => [this.#keys.signature(c.id), ...c.bands]);
      const args = chunk.flatMap((c) => [c.id, `${c.canonical}|${encodeSignature(c.sig)}`]);
      await this.#redis.wfLshIndex(keyList.length, ...keyList, String(this.#windowMs), String(BANDS), ...args);
    }
    return found;
  }
}
