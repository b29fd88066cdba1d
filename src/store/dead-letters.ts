/**
 * Dead letters: the documents and items that could not be ingested, kept in Redis with their
 * source, where they came from, their bytes (capped, and saying so), the error code and message,
 * when they failed and how many attempts were made. `wirefeed dlq` lists, shows, retries and
 * drops them; `/metrics` counts them per source.
 *
 * Bounded, so a broken source cannot fill Redis (`settings.deadLetters`; defaults in
 * {@link DEAD_LETTER_LIMITS}): at most .perSource letters per source (its oldest go first) and
 * .total in all, none older than .maxAgeMs, each holding at most .maxBytes of its bytes. The bounds are applied atomically by the scripts on
 * each store, and before each listing or count.
 *
 * A letter's id is the ingest job id of its document (`doc-…`, `file-…`), with `-i<n>` for item n
 * of it: the same document failing again updates its letter (attempts add up) instead of adding one.
 */
import type { Redis } from 'ioredis';
import type { IngestJobData } from '../queue/registry.ts';
import { keys, type Keys } from './keys.ts';
import { defineScripts } from './lua-scripts.ts';

export const DEAD_LETTER_LIMITS = {
  /** Bytes of a document (or of an item's JSON) kept: 256 kB. */
  maxBytes: 256 * 1024,
  /** Letters of one source. */
  perSource: 100,
  /** Letters in all. */
  total: 1000,
  /** Age of the last failure past which a letter goes: 7 days, as BullMQ's failed jobs. */
  maxAgeMs: 7 * 86_400_000,
};
export type DeadLetterLimits = typeof DEAD_LETTER_LIMITS;

/** The bounds as configured (`settings.deadLetters`). */
export function deadLetterLimits(configured: { maxBytes: number; perSource: number; total: number; maxAge: number }): DeadLetterLimits {
  return { maxBytes: configured.maxBytes, perSource: configured.perSource, total: configured.total, maxAgeMs: configured.maxAge };
}

export type DeadLetterKind = 'document' | 'item';

/** What the ingest worker reports of a failure. */
export interface DeadLetterInput {
  id: string;
  kind: DeadLetterKind;
  sourceId: string;
  /** The ingest job that carried the document. */
  jobId: string;
  /** The dropped file's name, and where it was settled (`failed/…`), for a file. */
  file: string | null;
  path: string | null;
  url: string | null;
  contentType: string | null;
  /** When the document was received (ISO). */
  receivedAt: string;
  code: string;
  message: string;
  /** The document's bytes, or the item's JSON (`{ item, document }`): cut to the cap here. */
  body: string;
  /** Index of the item in its document, for an item. */
  itemIndex: number | null;
  /** Attempts this failure took (a job retried in place counts each). */
  attempts: number;
}

export interface DeadLetter extends Omit<DeadLetterInput, 'attempts'> {
  /** Bytes of the whole document or item; `body` holds `min(size, maxBytes)` of them. */
  size: number;
  /** Whether `body` was cut at the cap. */
  truncated: boolean;
  /** Attempts over every failure of this letter. */
  attempts: number;
  /** Epoch ms of the first and of the last failure. */
  firstAt: number;
  lastAt: number;
}

/** A letter without its bytes: what a listing shows. */
export type DeadLetterSummary = Omit<DeadLetter, 'body'>;

interface DeadLetterRedis extends Redis {
  wfDeadLetterPut(all: string, counts: string, ...args: string[]): Promise<[number, number]>;
  wfDeadLetterDrop(all: string, counts: string, letterKey: string, sourceKey: string, id: string): Promise<number>;
  wfDeadLetterTrim(all: string, counts: string, letterKey: string, sourceKey: string, cutoff: string, total: string): Promise<number>;
}

/** The first `max` bytes of `text` in UTF-8, cut on a character boundary. */
export function capUtf8(text: string, max: number): { text: string; size: number; truncated: boolean } {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= max) return { text, size: buf.length, truncated: false };
  let end = max;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // not inside a multi-byte character
  return { text: buf.subarray(0, end).toString('utf8'), size: buf.length, truncated: true };
}

const SUMMARY_FIELDS = [
  'kind', 'source', 'jobId', 'file', 'path', 'url', 'contentType', 'receivedAt', 'code', 'message', 'itemIndex', 'size', 'truncated', 'attempts', 'firstAt', 'lastAt',
] as const;

function fromHash(id: string, h: Record<string, string | null>): DeadLetterSummary & { body?: string } {
  const s = (k: string) => (h[k] === undefined || h[k] === null || h[k] === '' ? null : h[k]!);
  const n = (k: string) => Number(h[k] ?? 0);
  return {
    id,
    kind: (s('kind') ?? 'document') as DeadLetterKind,
    sourceId: s('source') ?? '',
    jobId: s('jobId') ?? id,
    file: s('file'),
    path: s('path'),
    url: s('url'),
    contentType: s('contentType'),
    receivedAt: s('receivedAt') ?? '',
    code: s('code') ?? '',
    message: s('message') ?? '',
    itemIndex: s('itemIndex') === null ? null : n('itemIndex'),
    size: n('size'),
    truncated: h.truncated === '1',
    attempts: n('attempts'),
    firstAt: n('firstAt'),
    lastAt: n('lastAt'),
    ...(h.body !== undefined && h.body !== null ? { body: h.body } : {}),
  };
}

export class DeadLetterStore {
  readonly #redis: DeadLetterRedis;
  readonly #keys: Keys;
  readonly limits: DeadLetterLimits;

  constructor(redis: Redis, prefix: string, limits: Partial<DeadLetterLimits> = {}) {
    defineScripts(redis, { 'dead-letter-put': 2, 'dead-letter-drop': 2, 'dead-letter-trim': 2 });
    this.#redis = redis as DeadLetterRedis;
    this.#keys = keys(prefix);
    this.limits = { ...DEAD_LETTER_LIMITS, ...limits };
  }

  #scriptKeys(): [string, string, string, string] {
    return [this.#keys.deadLetters, this.#keys.deadLetterCounts, this.#keys.deadLetter(''), this.#keys.deadLettersOf('')];
  }

  /** Stores (or updates) a letter and applies the bounds. Returns its attempts so far and how many letters the bounds removed. */
  async put(letter: DeadLetterInput, nowMs: number): Promise<{ attempts: number; evicted: number }> {
    const { text, size, truncated } = capUtf8(letter.body, this.limits.maxBytes);
    const fields: Record<string, string> = {
      kind: letter.kind,
      jobId: letter.jobId,
      file: letter.file ?? '',
      path: letter.path ?? '',
      url: letter.url ?? '',
      contentType: letter.contentType ?? '',
      receivedAt: letter.receivedAt,
      code: letter.code,
      message: letter.message,
      itemIndex: letter.itemIndex === null ? '' : String(letter.itemIndex),
      size: String(size),
      truncated: truncated ? '1' : '0',
      body: text,
    };
    const [all, counts, letterKey, sourceKey] = this.#scriptKeys();
    const [attempts, evicted] = await this.#redis.wfDeadLetterPut(
      all, counts, letterKey, sourceKey, letter.id, letter.sourceId, String(nowMs), String(Math.max(1, letter.attempts)),
      String(nowMs - this.limits.maxAgeMs), String(this.limits.perSource), String(this.limits.total),
      ...Object.entries(fields).flat(),
    );
    return { attempts: Number(attempts), evicted: Number(evicted) };
  }

  /** One letter with its (capped) bytes, or null. */
  async get(id: string): Promise<DeadLetter | null> {
    const h = await this.#redis.hgetall(this.#keys.deadLetter(id));
    if (!h.source) return null;
    const letter = fromHash(id, h);
    return { ...letter, body: letter.body ?? '' };
  }

  /** The letters, newest failure first, without their bytes. */
  async list(nowMs: number, limit = 1000): Promise<DeadLetterSummary[]> {
    await this.trim(nowMs);
    const ids = await this.#redis.zrevrange(this.#keys.deadLetters, 0, limit - 1);
    if (ids.length === 0) return [];
    const pipe = this.#redis.pipeline();
    for (const id of ids) pipe.hmget(this.#keys.deadLetter(id), ...SUMMARY_FIELDS);
    const replies = (await pipe.exec()) ?? [];
    const out: DeadLetterSummary[] = [];
    for (const [i, [err, values]] of replies.entries()) {
      if (err) throw err;
      const h = Object.fromEntries(SUMMARY_FIELDS.map((f, j) => [f, (values as (string | null)[])[j] ?? null]));
      if (h.source === null) continue; // dropped between the two reads
      const { body: _none, ...summary } = fromHash(ids[i]!, h);
      out.push(summary);
    }
    return out;
  }

  /** Forgets a letter; false when there was none. */
  async drop(id: string): Promise<boolean> {
    const [all, counts, letterKey, sourceKey] = this.#scriptKeys();
    return (await this.#redis.wfDeadLetterDrop(all, counts, letterKey, sourceKey, id)) === 1;
  }

  /** Letters per source id (sources with none are absent). */
  async counts(nowMs: number): Promise<Record<string, number>> {
    await this.trim(nowMs);
    const h = await this.#redis.hgetall(this.#keys.deadLetterCounts);
    return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  }

  /** Applies the age and total bounds; returns how many letters went. */
  async trim(nowMs: number): Promise<number> {
    const [all, counts, letterKey, sourceKey] = this.#scriptKeys();
    return Number(await this.#redis.wfDeadLetterTrim(all, counts, letterKey, sourceKey, String(nowMs - this.limits.maxAgeMs), String(this.limits.total)));
  }
}

/** The id of item `index` of the document carried by job `jobId`. */
export function itemLetterId(jobId: string, index: number): string {
  return `${jobId}-i${index}`;
}

/** Content type of an item's letter: its bytes are the JSON `{ item, context }` (the item as parsed, its document's head). */
export const ITEM_LETTER_TYPE = 'application/vnd.wirefeed.item+json';

/**
 * Ingest job data of an item retried from its dead letter: `body` is the letter's JSON, and the
 * item is normalized alone (its document's other items were stored when it failed).
 */
export type IngestRetryData = IngestJobData & { deadItem?: { index: number; jobId: string } };
