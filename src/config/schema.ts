/**
 * The one schema for everything an operator configures: settings (environment + optional
 * settings.yaml), sources.yaml and topics.yaml. Validated once at start, then frozen.
 */
import { z } from 'zod';
import type { TopicTitles } from '../classify/top-level-topics.ts';
import { FORMAT_NAMES, type FormatName } from '../model/raw-item.ts';
import { parseByteSize } from './byte-size.ts';
import { parseDuration } from './duration.ts';

/** A duration written `30s` / `5m` / `1h` (or a number of milliseconds), at least `minMs`. */
function duration(minMs: number) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : parseDuration(value);
    if (ms === null || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (write e.g. 30s, 5m, 1h)` });
      return z.NEVER;
    }
    if (ms < minMs) {
      ctx.addIssue({ code: 'custom', message: `${value} is shorter than the minimum ${minMs / 1000}s` });
      return z.NEVER;
    }
    return ms;
  });
}

/** A size written `10MB` / `512kB` (or a number of bytes). */
function byteSize() {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const bytes = typeof value === 'number' ? value : parseByteSize(value);
    if (bytes === null || !Number.isFinite(bytes) || bytes <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a size (write e.g. 512kB, 10MB)` });
      return z.NEVER;
    }
    return bytes;
  });
}

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes (e.g. economy, my-topic)');

const languageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as ar, en, fr-CA');

// ───────────────────────────── settings ─────────────────────────────

export const settingsSchema = z
  .object({
    /** Redis to use (`redis://host:6379/0`, `rediss://…`, `unix:///path/redis.sock`). Unset: `start` runs a private redis-server under dataDir/redis. */
    redisUrl: z.string().min(1).optional(),
    /** Prefix of every Redis key. Use a `{hash-tag}` such as `{wf}` on Redis Cluster. Default `wf`. */
    redisPrefix: z.string().regex(/^[A-Za-z0-9:{}_-]+$/, 'letters, digits, : { } _ - only').default('wf'),
    /** Interface the HTTP server listens on. Default 127.0.0.1; set 0.0.0.0 to serve other machines. */
    host: z.string().min(1).default('127.0.0.1'),
    /** HTTP port. Default 8080. */
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    /** Absolute URL readers reach the server at; used in feed self links and OPML. Default http://localhost:PORT. */
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** pino level. Default info. */
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Where local state lives (private Redis data). Relative to the working directory. Default ./data. */
    dataDir: z.string().min(1).default('./data'),
    /**
     * Languages that get their own variant of every topic feed and of `all`
     * (`/feeds/economy.ar.atom`). Default ar, en, fr. Environment: comma-separated.
     */
    feedLanguages: z
      .preprocess(
        (v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean) : v),
        z.array(z.string().regex(/^[a-z]{2,3}$/, 'must be a primary language subtag such as ar, en, fr')),
      )
      .default(['ar', 'en', 'fr']),
    /** Articles per rendered feed. Default 50. */
    feedSize: z.coerce.number().int().min(1).max(1000).default(50),
    /** Publishing is coalesced per topic over this window. Default 2s. */
    publishWindow: duration(100).default(2000),
    /**
     * A WebSub hub (https://www.w3.org/TR/websub/): feeds name it (`rel="hub"`) and every render
     * that changes a feed's bytes tells it (`hub.mode=publish`), so subscribers get the story at
     * once instead of at their next poll. Default: none.
     */
    websubHub: z.url({ protocol: /^https?$/ }).optional(),
    /** Articles older than this (by last update) leave the store and the feeds. Default 30d. */
    retention: duration(3_600_000).default(30 * 86_400_000),
    fetch: z
      .object({
        /** Total time for one request, body included. Default 30s. */
        timeout: duration(1000).default(30_000),
        /** Cap on a fetched (decompressed) body or a dropped file. Default 10MB. */
        maxBytes: byteSize().default(10 * 1024 * 1024),
        /** Jobs of the fetch queue run at once per process. Default 4. */
        concurrency: z.coerce.number().int().min(1).max(64).default(4),
        /** Sent as is instead of `Wirefeed/<version> (+<contact>)`. */
        userAgent: z.string().min(1).optional(),
        /** Where a publisher reaches the operator, named in the User-Agent. Default: publicUrl. */
        contact: z.union([z.url({ protocol: /^https?$/ }), z.string().regex(/^mailto:[^\s@]+@[^\s@]+$/, 'must be an http(s) URL or mailto:')]).optional(),
        /** Requests in flight at once per host, every worker on every machine together. Default 2. */
        hostConcurrency: z.coerce.number().int().min(1).max(64).default(2),
        /** Requests started per minute per host, every worker together. Default 60. */
        hostRate: z.coerce.number().int().min(1).max(6000).default(60),
      })
      .prefault({}),
    ingest: z
      .object({
        /** Documents ingested at once per process. Default 2. */
        concurrency: z.coerce.number().int().min(1).max(64).default(2),
      })
      .prefault({}),
    /**
     * Dead letters (`wirefeed dlq`): documents and items that could not be ingested, kept in Redis
     * within these bounds, so a broken source cannot fill it (worst case about total × maxBytes).
     */
    deadLetters: z
      .object({
        /** Bytes of a document (or an item's JSON) kept in its letter; the rest is cut, and the letter says so. Default 256kB. */
        maxBytes: byteSize().default(256 * 1024),
        /** Letters kept per source, its newest. Default 100. */
        perSource: z.coerce.number().int().min(1).max(100_000).default(100),
        /** Letters kept in all, the newest. Default 1000. */
        total: z.coerce.number().int().min(1).max(1_000_000).default(1000),
        /** A letter goes this long after its last failure. Default 7d. */
        maxAge: duration(60_000).default(7 * 86_400_000),
      })
      .prefault({}),
    /** The topic classifier, asked for items that carry no provider code. */
    classifier: z
      .object({
        /** Off: only sources, provider codes, category maps and rules give topics. Default on. */
        enabled: z
          .preprocess((v) => (typeof v === 'string' ? !/^(false|off|no|0)$/i.test(v.trim()) : v), z.boolean())
          .default(true),
        /** A model file written by scripts/train-classifier.ts, relative to the configuration directory. Default: the shipped assets/model/topics.json. */
        model: z.string().min(1).optional(),
        /**
         * The lowest model score (a probability, 0–1) an operator accepts: a model topic scoring
         * under it is dropped, on top of the model's own per-topic thresholds. Default 0: the
         * model's decision alone.
         */
        minScore: z.coerce.number().min(0).max(1).default(0),
      })
      .prefault({}),
  })
  .strict();

export type Settings = z.output<typeof settingsSchema>;

// ───────────────────────────── sources ─────────────────────────────

const sourceBase = {
  /** Unique id, `[a-z0-9-]`; appears in article records and logs. */
  id: slug,
  title: z.string().min(1).optional(),
  /** Language of the source's items when they do not say (BCP 47). */
  language: languageTag.optional(),
  /** Topics every item of this source gets. */
  topics: z.array(slug).default([]),
  /** Maps the source's own categories (RSS category, tags) to topics: `Business: economy`. */
  categories: z.record(z.string(), z.union([slug, z.array(slug)])).default({}),
  /** false: configured but not polled. Default true. */
  enabled: z.boolean().default(true),
  /** Skip format detection: every document of this source is in this format. */
  format: z.enum(FORMAT_NAMES as [FormatName, ...FormatName[]]).optional(),
};

const feedSource = z
  .object({
    ...sourceBase,
    type: z.literal('feed'),
    /** RSS / Atom / JSON Feed URL: http(s), or file: for a local file. */
    url: z.string().refine((u) => /^(https?:\/\/[^\s]+|file:[^\s]+)$/.test(u), 'must be an http(s):// or file: URL'),
    /** Poll interval. Default 15m; at least 10s. */
    every: duration(10_000).default(15 * 60_000),
    timeout: duration(1000).optional(),
    maxBytes: byteSize().optional(),
    /** This source's host: requests in flight at once (overrides fetch.hostConcurrency). */
    hostConcurrency: z.coerce.number().int().min(1).max(64).optional(),
    /** This source's host: requests per minute (overrides fetch.hostRate). */
    hostRate: z.coerce.number().int().min(1).max(6000).optional(),
  })
  .strict();

const directorySource = z
  .object({
    ...sourceBase,
    type: z.literal('directory'),
    /** Folder that wire files are dropped into (relative to the working directory). */
    path: z.string().min(1),
    /** Scan interval. Default 5s. */
    every: duration(500).default(5000),
    maxBytes: byteSize().optional(),
  })
  .strict();

const pushSource = z
  .object({
    ...sourceBase,
    type: z.literal('push'),
    /**
     * Name of the environment variable holding this source's bearer token for
     * `POST /ingest/{id}`. The token itself never goes in a file.
     */
    tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as AGENCY_PUSH_TOKEN'),
    maxBytes: byteSize().optional(),
  })
  .strict();

export const sourceSchema = z.discriminatedUnion('type', [feedSource, directorySource, pushSource]);
export type SourceConfig = z.output<typeof sourceSchema>;
export type FeedSourceConfig = z.output<typeof feedSource>;
export type DirectorySourceConfig = z.output<typeof directorySource>;
export type PushSourceConfig = z.output<typeof pushSource>;

export const sourcesFileSchema = z
  .object({ sources: z.array(sourceSchema).default([]) })
  .strict();

// ───────────────────────────── topics ─────────────────────────────

const termList = z.array(z.string().min(1)).default([]);

export const keywordRuleSchema = z
  .object({
    /** Terms that vote for the topic (matched on folded text, Arabic clitics allowed before a term). */
    include: termList,
    /** Phrases removed before matching (e.g. `الحرب الباردة` for conflict). */
    exclude: termList,
    /** At least one of these must match too, when given. */
    require: termList,
    /** Distinct include terms needed to assign the topic. Default 2. */
    minMatches: z.number().int().min(1).default(2),
    /**
     * Terms that assign the topic on their own (score 1), whatever minMatches and require say.
     * Optional: absent means none.
     */
    force: z.array(z.string().min(1)).optional(),
    /**
     * Terms that take the topic off the article whatever else gave it (provider codes, the
     * model, other rules, a child topic), except the source's own `topics`. Optional.
     */
    veto: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type KeywordRule = z.output<typeof keywordRuleSchema>;

/** A topic as the configuration defines it: built-in or the operator's, with its rules. */
export interface TopicDefinition {
  slug: string;
  /**
   * IPTC Media Topic code (8 digits, no scheme; checked against the taxonomy) or the operator's
   * own code as written; '' when none.
   */
  code: string;
  title: TopicTitles;
  rules: Readonly<Record<string, KeywordRule>>;
  builtin: boolean;
}

const topicEntry = z
  .object({
    slug,
    /**
     * IPTC Media Topic code (`medtop:20000256`, `20000256` or its cv.iptc.org URI): the topic then
     * collects every article filed under that concept or below it, and its articles also go to
     * the topics of the broader concepts. It must exist in the taxonomy and not be retired.
     * Any other string is an operator's own code, carried in records as is. Built-ins have theirs.
     */
    code: z.string().min(1).optional(),
    /** Titles per language; built-ins have IPTC's. */
    title: z.record(z.string(), z.string().min(1)).optional(),
    /** Keyword rules per language (`ar`, `en`, `fr`, or `any`). */
    rules: z.record(z.string(), keywordRuleSchema).default({}),
  })
  .strict();

export const topicsFileSchema = z
  .object({ topics: z.array(topicEntry).default([]) })
  .strict();

export type TopicEntry = z.output<typeof topicEntry>;
