/**
 * When a feed is polled next, and what its health is: pure functions of the last poll's outcome,
 * the source's own hints and the operator's floor (`every:`). No I/O, no clock: callers pass
 * `nowMs` and a random number in [0, 1) for the jitter.
 *
 * - After a success: the source's publishing rate (mean interval between its item dates over the
 *   last week), between the floor and 24 h, ±10 % jitter; never sooner than the source asks
 *   (RSS `<ttl>`, `sy:updatePeriod`/`sy:updateFrequency`, `Cache-Control: max-age`, `Expires`).
 * - 429, and 503 with Retry-After: wait what was asked; not a failure, no retry spent.
 * - 5xx, timeouts, network errors: exponential backoff from the floor, ±10 % jitter, capped at
 *   {@link BACKOFF_CAP_MS}; never given up. After {@link UNHEALTHY_AFTER} in a row: unhealthy.
 * - 404/410 and other 4xx, not a feed, a body over the cap, a redirect loop: unhealthy at once,
 *   polled at the cap until it answers again.
 */
import type { WireError } from '../model/wire-error.ts';

export type SourceHealth = 'healthy' | 'failing' | 'unhealthy';
export const SOURCE_HEALTHS: readonly SourceHealth[] = ['healthy', 'failing', 'unhealthy'];

/** Why the next poll is when it is (shown by `wirefeed sources`). */
export type NextReason = 'floor' | 'publishing-rate' | 'ttl' | 'syndication' | 'max-age' | 'expires' | 'retry-after' | 'backoff' | 'unhealthy';

export const HOUR_MS = 3_600_000;
/** The slowest a source is polled on its own rate, and what a source's own ask is capped at. */
export const MAX_INTERVAL_MS = 24 * HOUR_MS;
/** Backoff never waits longer than this; an unhealthy source is polled this often. */
export const BACKOFF_CAP_MS = 6 * HOUR_MS;
/** Transient failures in a row after which a failing source is unhealthy. */
export const UNHEALTHY_AFTER = 5;
/** The publishing rate is measured over item dates of this window. */
export const RATE_WINDOW_MS = 7 * 24 * HOUR_MS;
/** A 429 without a usable Retry-After waits this long. */
export const DEFAULT_WAIT_MS = 10 * 60_000;
export const JITTER = 0.1;

/** What a source asks about its own polling, from its headers and its body (all in ms). */
export interface SourceHints {
  /** RSS `<ttl>` (minutes in the feed). */
  ttlMs?: number;
  /** `sy:updatePeriod` / `sy:updateFrequency`. */
  syndicationMs?: number;
  /** `Cache-Control: max-age` (or s-maxage). */
  maxAgeMs?: number;
  /** `Expires`, as a delay from the response. */
  expiresMs?: number;
}

export interface Schedule {
  /** Epoch ms of the next poll. */
  at: number;
  reason: NextReason;
}

/** ±JITTER around `ms`; `rand` in [0, 1). */
export function jitter(ms: number, rand: number): number {
  return Math.round(ms * (1 - JITTER + 2 * JITTER * rand));
}

/**
 * The mean interval between distinct item dates in the week before `nowMs` (dates in the future
 * count as now); undefined (no rate: the floor) with fewer than two dates in the window — a feed
 * that keeps only its latest item, or whose dates are old or missing, says nothing about its pace.
 */
export function publishingInterval(itemTimes: readonly number[], nowMs: number): number | undefined {
  const inWindow = [...new Set(itemTimes.filter((t) => Number.isFinite(t) && t > nowMs - RATE_WINDOW_MS).map((t) => Math.min(t, nowMs)))].sort((a, b) => a - b);
  if (inWindow.length < 2) return undefined;
  return (inWindow[inWindow.length - 1]! - inWindow[0]!) / (inWindow.length - 1);
}

/** The longest of the source's asks, with its name, capped at {@link MAX_INTERVAL_MS}. */
export function sourceAsk(hints: SourceHints): { ms: number; reason: NextReason } | undefined {
  let best: { ms: number; reason: NextReason } | undefined;
  const asks: [number | undefined, NextReason][] = [
    [hints.ttlMs, 'ttl'],
    [hints.syndicationMs, 'syndication'],
    [hints.maxAgeMs, 'max-age'],
    [hints.expiresMs, 'expires'],
  ];
  for (const [ms, reason] of asks) if (ms !== undefined && ms > 0 && (!best || ms > best.ms)) best = { ms: Math.min(ms, MAX_INTERVAL_MS), reason };
  return best;
}

/**
 * The next poll after a successful one that ended at `endMs`: the publishing rate (jittered)
 * between the floor and 24 h, then never sooner than the source's own ask.
 */
export function nextAfterSuccess(opts: { everyMs: number; endMs: number; rateMs?: number; hints: SourceHints; rand: number }): Schedule {
  const { everyMs, endMs } = opts;
  let ms = everyMs;
  let reason: NextReason = 'floor';
  if (opts.rateMs !== undefined) {
    const rate = Math.min(jitter(opts.rateMs, opts.rand), MAX_INTERVAL_MS);
    if (rate > everyMs) {
      ms = rate;
      reason = 'publishing-rate';
    }
  }
  const ask = sourceAsk(opts.hints);
  if (ask && ask.ms > ms) {
    ms = ask.ms;
    reason = ask.reason;
  }
  return { at: endMs + ms, reason };
}

export type FailureKind = 'wait' | 'transient' | 'permanent';

/**
 * 429, and any 5xx that said how long to wait (the client keeps Retry-After only for 503), wait;
 * errors advised `retry` are transient; the rest need the operator.
 */
export function failureKind(err: WireError): FailureKind {
  if (err.code === 'HTTP_429' || (err.code === 'HTTP_5XX' && err.delayMs !== undefined)) return 'wait';
  return err.advice === 'retry' ? 'transient' : 'permanent';
}

/**
 * After a failed poll that ended at `endMs`: when to poll again, the health it leaves, and
 * whether it counts as a failure. `failures` is the count INCLUDING this one when it counts.
 */
export function nextAfterFailure(opts: { err: WireError; failures: number; everyMs: number; endMs: number; health: SourceHealth; rand: number }): Schedule & { health: SourceHealth } {
  const { err, everyMs, endMs } = opts;
  const kind = failureKind(err);
  if (kind === 'wait') return { at: endMs + (err.delayMs ?? DEFAULT_WAIT_MS), reason: 'retry-after', health: opts.health };
  if (kind === 'permanent') return { at: endMs + jitter(BACKOFF_CAP_MS, opts.rand), reason: 'unhealthy', health: 'unhealthy' };
  const n = Math.max(1, opts.failures);
  const delay = Math.min(jitter(everyMs * 2 ** Math.min(n - 1, 30), opts.rand), BACKOFF_CAP_MS);
  const health: SourceHealth = opts.health === 'unhealthy' || n >= UNHEALTHY_AFTER ? 'unhealthy' : 'failing';
  return { at: endMs + delay, reason: 'backoff', health };
}

// ─────────────────────────────── hints from a response ───────────────────────────────

/** `Cache-Control: max-age` / `s-maxage` in ms; none for no-cache / no-store. */
export function maxAgeOf(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  let best: number | undefined;
  for (const part of cacheControl.toLowerCase().split(',')) {
    const m = /^\s*(s-maxage|max-age)\s*=\s*"?(\d+)"?\s*$/.exec(part);
    if (m) best = Math.max(best ?? 0, Number(m[2]) * 1000);
  }
  return best;
}

/** `Expires` as a delay after the response's `Date` (or `nowMs`); none when past or unparseable. */
export function expiresIn(expires: string | null, date: string | null, nowMs: number): number | undefined {
  if (!expires) return undefined;
  const at = Date.parse(expires);
  if (Number.isNaN(at)) return undefined;
  const from = date ? Date.parse(date) : Number.NaN;
  const ms = at - (Number.isNaN(from) ? nowMs : from);
  return ms > 0 ? ms : undefined;
}

const SY_PERIOD: Record<string, number> = { hourly: HOUR_MS, daily: 24 * HOUR_MS, weekly: 7 * 24 * HOUR_MS, monthly: 30 * 24 * HOUR_MS, yearly: 365 * 24 * HOUR_MS };
const DATE_TAGS = /<(?:[a-z0-9]+:)?(pubDate|published|updated|issued|modified|date|lastBuildDate)\b[^>]*>\s*(?:<!\[CDATA\[)?([^<\]]{6,64})/gi;
const JSON_DATES = /"date_(?:published|modified)"\s*:\s*"([^"]{6,64})"/g;
/** Channel-level date tags: not an item's. */
const CHANNEL_ONLY = new Set(['lastbuilddate']);

/**
 * The hints a feed body gives about itself: RSS `<ttl>`, `sy:updatePeriod` and
 * `sy:updateFrequency`, and the dates of its items (RSS pubDate, Atom published/updated,
 * dc:date, JSON Feed date_published). A cheap scan, not a parse: the ingest side parses.
 */
export function bodyHints(body: string): { ttlMs?: number; syndicationMs?: number; itemTimes: number[] } {
  const out: { ttlMs?: number; syndicationMs?: number; itemTimes: number[] } = { itemTimes: [] };
  const ttl = /<ttl>\s*(\d{1,7})\s*<\/ttl>/i.exec(body);
  if (ttl) out.ttlMs = Number(ttl[1]) * 60_000;
  const period = /<sy:updatePeriod>\s*([a-z]+)\s*<\/sy:updatePeriod>/i.exec(body);
  const freq = /<sy:updateFrequency>\s*(\d{1,6})\s*<\/sy:updateFrequency>/i.exec(body);
  if (period || freq) {
    const p = SY_PERIOD[(period?.[1] ?? 'daily').toLowerCase()];
    const f = Math.max(1, Number(freq?.[1] ?? 1));
    if (p !== undefined) out.syndicationMs = p / f;
  }
  // One date per item (its first: RSS pubDate, Atom published before updated as feeds write
  // them); the channel's own dates come before the first item and are skipped with it.
  const items = body.split(/<(?:[a-z0-9]+:)?(?:item|entry)\b/i).slice(1);
  for (const item of items) {
    for (const m of item.matchAll(DATE_TAGS)) {
      if (CHANNEL_ONLY.has(m[1]!.toLowerCase())) continue;
      const t = Date.parse(m[2]!.trim());
      if (!Number.isNaN(t)) {
        out.itemTimes.push(t);
        break;
      }
    }
  }
  for (const m of body.matchAll(JSON_DATES)) {
    const t = Date.parse(m[1]!);
    if (!Number.isNaN(t)) out.itemTimes.push(t);
  }
  return out;
}
