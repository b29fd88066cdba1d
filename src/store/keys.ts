/**
 * Every Redis key Wirefeed writes, in one place. All keys share the configured prefix; on Redis
 * Cluster a `{hash-tag}` prefix keeps them in one slot, which the upsert script relies on.
 */
export interface Keys {
  /** STRING: the ArticleRecord JSON. */
  article(id: string): string;
  /** HASH id → "contentHash\tsortScore\ttopic,topic\tsourceId": what the upsert compares. */
  meta: string;
  /** ZSET of article ids by last update (ms) for a feed: a topic slug, `all`, or `source:<id>`. */
  index(feed: string): string;
  /** HASH of one rendered feed format: body, etag, lastModified, contentType. */
  rendered(feed: string, format: string): string;
  /** HASH of a source's fetch state (conditional GET validators, failures, backoff). */
  source(id: string): string;
  /** STRING lease of a source's poll in flight (SET NX PX; the token of the poll holding it). */
  pollLease(sourceId: string): string;
  /** STRING heartbeat of a process that claims directory files (short TTL, refreshed while it runs). */
  owner(ownerId: string): string;
  /** SET of article ids sharing one LSH band of near-duplicate signatures, per primary language. */
  lsh(language: string, band: string): string;
  /** STRING "canonicalId|signature": an indexed article's near-duplicate signature. */
  signature(id: string): string;
  /**
   * HASH of an article's rendered page (src/render/article-page.ts): body, etag, lastModified,
   * status (200|410), availableAt (ms), jsonEtag (of the record at `article(id)`).
   */
  page(id: string): string;
  /**
   * HASH of an article's rendered feed entries (src/store/entry-store.ts): `rev` (the revision
   * they were rendered from) and one field per format and feed language (`rss:ar`, `atom:*`).
   * Expires: an entry is rendered again when a feed needs it after that.
   */
  entries(id: string): string;
  /** SET of article ids whose page is due: changed by an upsert, not yet rendered and stored. */
  pagesDue: string;
  /**
   * ZSET id → sequence number (1, 2, …) of every article that entered a feed, in the order the
   * publish worker first saw it there (src/store/archive-store.ts): append-only, so an article is
   * in archive page ⌈seq / feedSize⌉ for good. Members leave only with their page (retention).
   */
  archiveSeq(feed: string): string;
  /** HASH of a feed's archive: `next` (last sequence number given), `pages` (full pages stored), `first` (oldest page kept). */
  archiveState(feed: string): string;
  /** HASH of one archive page in one format, as {@link rendered}: body, etag, lastModified, contentType, encodings. */
  archivePage(feed: string, page: number, format: string): string;
  /**
   * HASH of one dead letter (src/store/dead-letters.ts): a document or an item that could not be
   * ingested, with its source, capped bytes, error code and message, times and attempts.
   */
  deadLetter(id: string): string;
  /** ZSET of every dead letter id by its last failure (ms): listing, age and count bounds. */
  deadLetters: string;
  /** ZSET of one source's dead letter ids by last failure (ms): the per-source bound. */
  deadLettersOf(sourceId: string): string;
  /** HASH source id → number of its dead letters (/metrics). */
  deadLetterCounts: string;
  /** ZSET token → expiry (ms) of the requests in flight to a host, every worker's (src/store/host-limits.ts). */
  hostInFlight(host: string): string;
  /** ZSET token → start (ms) of the requests to a host in the last minute. */
  hostRecent(host: string): string;
  /** BullMQ prefix for the queues. */
  queuePrefix: string;
}

export function keys(prefix: string): Keys {
  return {
    article: (id) => `${prefix}:a:${id}`,
    meta: `${prefix}:meta`,
    index: (feed) => `${prefix}:i:${feed}`,
    rendered: (feed, format) => `${prefix}:f:${feed}:${format}`,
    source: (id) => `${prefix}:s:${id}`,
    pollLease: (sourceId) => `${prefix}:lease:${sourceId}`,
    owner: (ownerId) => `${prefix}:owner:${ownerId}`,
    lsh: (language, band) => `${prefix}:lsh:${language.split('-')[0]}:${band}`,
    signature: (id) => `${prefix}:sig:${id}`,
    page: (id) => `${prefix}:page:${id}`,
    entries: (id) => `${prefix}:e:${id}`,
    pagesDue: `${prefix}:pagedue`,
    archiveSeq: (feed) => `${prefix}:seq:${feed}`,
    archiveState: (feed) => `${prefix}:arch:${feed}`,
    archivePage: (feed, page, format) => `${prefix}:ap:${feed}:${page}:${format}`,
    deadLetter: (id) => `${prefix}:dl:${id}`,
    deadLetters: `${prefix}:dlq`,
    deadLettersOf: (sourceId) => `${prefix}:dlq:s:${sourceId}`,
    deadLetterCounts: `${prefix}:dlq:n`,
    hostInFlight: (host) => `${prefix}:host:${host}:busy`,
    hostRecent: (host) => `${prefix}:host:${host}:rate`,
    queuePrefix: `${prefix}:q`,
  };
}

/** Feed id of a source's own feed (its index key and rendered keys). */
export function sourceFeedId(sourceId: string): string {
  return `source:${sourceId}`;
}
