/**
 * One poll of one source. First the source's lease: one poll per source at a time, whichever
 * process runs it; a poll that finds the lease taken is skipped (`busy`). A feed: honour backoff
 * and skip a poll coming too soon after the previous one ENDED (a slow poll does not bring the
 * next one closer), conditional GET with the stored validators, stop on 304 or on a body
 * identical to the last one, else hand the document to ingest; a failure backs off from when it
 * ended. A directory: put back the claims of dead owners, then claim settled files one at a time,
 * each handed to ingest right after its claim.
 *
 * The fetching policy (src/fetch/poll-schedule.ts): the next poll follows the source's publishing
 * rate and its own asks, never sooner than `every:`; 429 and 503 with Retry-After wait without
 * counting; 5xx and timeouts back off; 4xx and "not a feed" make it unhealthy. Each change of
 * health, each wait that starts and each URL a permanent redirect moved it to is told once
 * (`onEvent`). A request takes a slot of its host first (src/store/host-limits.ts): none free,
 * the poll is put off (`host-busy`), not failed.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedSettings } from '../config/load-config.ts';
import type { DirectorySourceConfig, FeedSourceConfig } from '../config/schema.ts';
import { detectFormat } from '../formats/detect-format.ts';
import { WireError, errorText, isWireError } from '../model/wire-error.ts';
import type { IngestJobData } from '../queue/registry.ts';
import type { HostLimit, HostLimits } from '../store/host-limits.ts';
import type { SourceState, SourceStateStore } from '../store/source-state.ts';
import { decodeBody } from './decode-body.ts';
import { claimFile, ensureLayout, readClaimed, recoverClaims, releaseClaim, settleFile, settledFiles, type RecoveryResult } from './directory-source.ts';
import { fetchDocument, type RedirectHop } from './http-client.ts';
import {
  bodyHints,
  expiresIn,
  failureKind,
  maxAgeOf,
  nextAfterFailure,
  nextAfterSuccess,
  publishingInterval,
  type NextReason,
  type SourceHealth,
} from './poll-schedule.ts';

export type PollOutcome =
  | { kind: 'busy' }
  | { kind: 'too-soon'; next: number }
  | { kind: 'backoff'; until: number }
  /** No request slot of the source's host was free: put off by about `retryInMs`, nothing recorded. */
  | { kind: 'host-busy'; host: string; retryInMs: number; why: 'in-flight' | 'rate' }
  | { kind: 'not-modified' }
  | { kind: 'unchanged' }
  | { kind: 'document'; bytes: number }
  | { kind: 'files'; claimed: number; failed: number; recovered: number };

export interface PollDeps {
  settings: ResolvedSettings;
  state: SourceStateStore;
  /** Adds one document to the ingest queue. */
  enqueue(doc: IngestJobData): Promise<void>;
  now(): Date;
  signal?: AbortSignal;
  /** Per-source poll leases, held in the owner's name (src/store/poll-lease.ts). */
  leases: {
    acquire(sourceId: string, ttlMs: number, holder: string, isDead?: (holder: string) => Promise<boolean>): Promise<string | null>;
    release(sourceId: string, token: string): Promise<unknown>;
  };
  /** The claimer here, and whether another one is alive (claim-owner.ts). */
  owner: { readonly id: string; isAlive(ownerId: string): Promise<boolean> };
  /** Whether an ingest job for this claimed file is waiting, active or delayed. */
  hasPendingJob(sourceId: string, claimedPath: string): Promise<boolean>;
  /** Told when claims of dead owners went back to the folder (a log line). */
  onRecovered?(sourceId: string, result: RecoveryResult): void;
  /** Per-host request slots (shared in Redis); without it requests are not limited per host. */
  hosts?: Pick<HostLimits, 'acquire' | 'release'>;
  /** Told once per change of a source's health, wait started, or URL moved (a log line each). */
  onEvent?(event: SourceEvent): void;
  /** In [0, 1): the jitter. Default Math.random. */
  random?(): number;
}

export type SourceEvent =
  | { kind: 'health'; sourceId: string; from: SourceHealth | undefined; to: SourceHealth; code?: string; message?: string; failures: number; nextPollAt: number }
  | { kind: 'wait'; sourceId: string; code: string; message: string; nextPollAt: number }
  | { kind: 'moved'; sourceId: string; from: string; to: string; polls: number };

/** Consecutive polls that must see the same permanent redirect before its target is polled instead. */
export const REDIRECT_ADOPT_AFTER = 3;
/** Default per-host limits (settings.fetch.hostConcurrency / hostRate override them). */
export const DEFAULT_HOST_LIMIT: HostLimit = { concurrency: 2, perMinute: 60 };

/** Beyond its deadline, how long a poll's lease outlives it (Redis round trips, enqueue). */
export const LEASE_MARGIN_MS = 15_000;

/**
 * A scheduled feed poll that comes less than `every - every/4` after the previous poll ended is
 * skipped. BullMQ's `every` fires at a fixed rate from the previous fire, not from the end of
 * the previous poll: a poll that took a quarter of the interval or more would otherwise be
 * followed too closely (a hanging origin polled back to back).
 */
export function tooSoon(lastPollEnd: number | undefined, everyMs: number, nowMs: number): number | null {
  if (lastPollEnd === undefined) return null;
  const next = lastPollEnd + everyMs;
  return nowMs < next - everyMs / 4 ? next : null;
}

/**
 * The next poll time if this scheduled fire comes before it, else null. Before any schedule was
 * computed: {@link tooSoon}. The scheduler fires every `every:`; a time of our own choosing (the
 * floor, the publishing rate) is met by a fire up to a quarter interval early, so the real
 * interval does not double; a time the source asked for (ttl, max-age, Retry-After) is not.
 */
export function notDue(state: Pick<SourceState, 'lastPollEnd' | 'nextPollAt' | 'nextReason'>, everyMs: number, nowMs: number): number | null {
  if (state.nextPollAt === undefined) return tooSoon(state.lastPollEnd, everyMs, nowMs);
  const ours = state.nextReason === 'floor' || state.nextReason === 'publishing-rate';
  return nowMs < state.nextPollAt - (ours ? everyMs / 4 : 0) ? state.nextPollAt : null;
}

/** The URL polled: the one a permanent redirect moved the source to, while sources.yaml still names the one it replaced. */
export function effectiveUrl(source: FeedSourceConfig, state: Pick<SourceState, 'effectiveUrl' | 'effectiveFrom'>): string {
  return state.effectiveUrl && state.effectiveFrom === source.url ? state.effectiveUrl : resolveSourceUrl(source.url);
}

/**
 * Where the leading run of permanent redirects (301, 308) of a poll pointed, or undefined when
 * it began with none (a 302/303/307 is never adopted, nor anything after one).
 */
export function permanentTarget(hops: readonly RedirectHop[]): string | undefined {
  let target: string | undefined;
  for (const h of hops) {
    if (h.status !== 301 && h.status !== 308) break;
    target = h.to;
  }
  return target;
}

/** What a poll's redirects change in the state: the target seen, how often in a row, the URL adopted. */
export function redirectPatch(
  source: FeedSourceConfig,
  state: Pick<SourceState, 'redirectTarget' | 'redirectSeen' | 'effectiveUrl' | 'effectiveFrom'>,
  hops: readonly RedirectHop[],
): { patch: Partial<SourceState>; moved?: { from: string; to: string; polls: number } } {
  const target = permanentTarget(hops);
  if (target === undefined) return { patch: state.redirectTarget === undefined ? {} : { redirectTarget: undefined, redirectSeen: undefined } };
  const seen = state.redirectTarget === target ? (state.redirectSeen ?? 0) + 1 : 1;
  if (seen < REDIRECT_ADOPT_AFTER) return { patch: { redirectTarget: target, redirectSeen: seen } };
  return {
    patch: { effectiveUrl: target, effectiveFrom: source.url, redirectTarget: undefined, redirectSeen: undefined },
    moved: { from: effectiveUrl(source, state), to: target, polls: seen },
  };
}

function hostLimit(source: FeedSourceConfig, settings: ResolvedSettings): HostLimit {
  return {
    concurrency: source.hostConcurrency ?? settings.fetch.hostConcurrency ?? DEFAULT_HOST_LIMIT.concurrency,
    perMinute: source.hostRate ?? settings.fetch.hostRate ?? DEFAULT_HOST_LIMIT.perMinute,
  };
}

function pollTimeout(source: FeedSourceConfig | DirectorySourceConfig, settings: ResolvedSettings): number {
  return (source.type === 'feed' ? source.timeout : undefined) ?? settings.fetch.timeout;
}

/**
 * One poll of a feed or directory source under its lease: skipped while another poll of the
 * source is in flight, or (a feed) in backoff or too soon after its last poll ended. A directory
 * scan is not held back by the previous scan's length: it costs no origin anything, and a busy
 * folder is drained a batch per interval.
 */
export async function pollSource(source: FeedSourceConfig | DirectorySourceConfig, deps: PollDeps): Promise<PollOutcome> {
  // A lease left by a process that was killed mid-poll is taken over at once, not waited out.
  const token = await deps.leases.acquire(source.id, pollTimeout(source, deps.settings) + LEASE_MARGIN_MS, deps.owner.id, async (holder) => !(await deps.owner.isAlive(holder)));
  if (token === null) return { kind: 'busy' };
  try {
    if (source.type === 'directory') return await pollDirectory(source, deps);
    // Read under the lease: the state the previous poll left when it ended.
    const state = await deps.state.get(source.id);
    const nowMs = deps.now().getTime();
    if (state.backoffUntil > nowMs) return { kind: 'backoff', until: state.backoffUntil };
    const next = notDue(state, source.every, nowMs);
    if (next !== null) return { kind: 'too-soon', next };
    return await pollFeed(source, deps, state);
  } finally {
    // If Redis is unreachable the lease expires by itself; the poll's own error is the one to report.
    await deps.leases.release(source.id, token).catch(() => undefined);
  }
}

/** `file:./relative` in sources.yaml is relative to the working directory. */
export function resolveSourceUrl(url: string): string {
  if (!url.startsWith('file:') || url.startsWith('file://')) return url;
  const path = url.slice('file:'.length);
  return pathToFileURL(isAbsolute(path) ? path : resolve(path)).href;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Polls a feed source (the caller holds its lease and has checked backoff). Failures are
 * recorded (failures count unless it is a wait, health, next poll from when the poll ended, last
 * error) and rethrown as WireError for the worker to report.
 */
export async function pollFeed(source: FeedSourceConfig, deps: PollDeps, known?: SourceState): Promise<PollOutcome> {
  const nowMs = deps.now().getTime();
  const state = known ?? (await deps.state.get(source.id));
  const rand = deps.random ?? Math.random;
  const url = effectiveUrl(source, state);
  const timeoutMs = source.timeout ?? deps.settings.fetch.timeout;

  let slot: { host: string; token: string } | undefined;
  if (deps.hosts && /^https?:/i.test(url)) {
    const host = new URL(url).host.toLowerCase();
    const answer = await deps.hosts.acquire(host, hostLimit(source, deps.settings), timeoutMs + LEASE_MARGIN_MS);
    if (!answer.ok) return { kind: 'host-busy', host, retryInMs: answer.waitMs, why: answer.why };
    slot = { host, token: answer.token };
  }
  try {
    const result = await fetchDocument(url, {
      timeoutMs,
      maxBytes: source.maxBytes ?? deps.settings.fetch.maxBytes,
      userAgent: deps.settings.fetch.userAgent,
      state: { etag: state.etag, lastModified: state.lastModified },
      signal: deps.signal,
    });
    const redirect = redirectPatch(source, state, result.redirects);
    // Hints of a 304 or an unchanged body are the last document's, with this response's headers.
    const hints = {
      ttlMs: state.ttlMs,
      syndicationMs: state.syndicationMs,
      maxAgeMs: maxAgeOf(result.cache.cacheControl),
      expiresMs: expiresIn(result.cache.expires, result.cache.date, nowMs),
    };
    const succeeded = async (extra: Partial<SourceState>, rateMs = state.rateMs) => {
      const endMs = deps.now().getTime();
      const next = nextAfterSuccess({ everyMs: source.every, endMs, rateMs, hints: { ...hints, ttlMs: extra.ttlMs ?? hints.ttlMs, syndicationMs: extra.syndicationMs ?? hints.syndicationMs }, rand: rand() });
      await deps.state.update(source.id, {
        failures: 0,
        backoffUntil: 0,
        lastPollAt: nowMs,
        lastOkAt: nowMs,
        lastError: undefined,
        lastPollEnd: endMs,
        // A 304 may carry fresher validators; the next request must send those back.
        etag: result.state.etag,
        lastModified: result.state.lastModified,
        health: 'healthy',
        nextPollAt: next.at,
        nextReason: next.reason,
        ...redirect.patch,
        ...extra,
      });
      if (redirect.moved) deps.onEvent?.({ kind: 'moved', sourceId: source.id, ...redirect.moved });
      if (state.health !== undefined && state.health !== 'healthy') {
        deps.onEvent?.({ kind: 'health', sourceId: source.id, from: state.health as SourceHealth, to: 'healthy', failures: 0, nextPollAt: next.at });
      }
    };
    if (result.kind === 'not-modified') {
      await succeeded({ lastStatus: '304' });
      return { kind: 'not-modified' };
    }
    const bodyHash = sha256(result.bytes);
    if (bodyHash === state.bodyHash) {
      await succeeded({ lastStatus: String(result.status) });
      return { kind: 'unchanged' };
    }
    const body = decodeBody(result.bytes, result.contentType);
    // An HTML page or an empty answer is the source's failure (unhealthy), not a document's.
    if (!source.format) detectFormat(body, result.contentType);
    await deps.enqueue({
      sourceId: source.id,
      body,
      contentType: result.contentType,
      url: result.finalUrl.startsWith('file:') ? null : result.finalUrl,
      receivedAt: new Date(nowMs).toISOString(),
    });
    const found = bodyHints(body);
    const rateMs = publishingInterval(found.itemTimes, nowMs) ?? state.rateMs;
    // The body hash is stored only once the document is safely queued.
    await succeeded({ bodyHash, lastStatus: String(result.status), ttlMs: found.ttlMs, syndicationMs: found.syndicationMs, rateMs }, rateMs);
    return { kind: 'document', bytes: result.bytes.byteLength };
  } catch (err) {
    // Shutdown is no failure of the source: nothing recorded, no backoff on the next start.
    if (deps.signal?.aborted) throw err;
    const wire = isWireError(err) ? err : new WireError('FETCH_NETWORK', err instanceof Error ? err.message : String(err), { cause: err });
    // The next poll is timed from when this one ended (a 30 s timeout does not eat the backoff).
    const endMs = deps.now().getTime();
    const patch = { lastPollAt: nowMs, lastPollEnd: endMs, lastStatus: wire.code, lastError: wire.message };
    const before = state.health as SourceHealth | undefined;
    if (failureKind(wire) === 'wait') {
      // Asked to wait: no failure counted, the health as it was.
      const next = nextAfterFailure({ err: wire, failures: state.failures, everyMs: source.every, endMs, health: before ?? 'healthy', rand: rand() });
      await deps.state.update(source.id, { ...patch, backoffUntil: next.at, nextPollAt: next.at, nextReason: next.reason });
      if (state.nextReason !== 'retry-after') deps.onEvent?.({ kind: 'wait', sourceId: source.id, code: wire.code, message: wire.message, nextPollAt: next.at });
      throw wire;
    }
    let after: { at: number; reason: NextReason; health: SourceHealth } | undefined;
    const failures = await deps.state.recordFailure(source.id, patch, (n) => {
      after = nextAfterFailure({ err: wire, failures: n, everyMs: source.every, endMs, health: before ?? 'healthy', rand: rand() });
      return { backoffUntil: after.at, nextPollAt: after.at, nextReason: after.reason, health: after.health };
    });
    if (after && after.health !== before) {
      deps.onEvent?.({ kind: 'health', sourceId: source.id, from: before, to: after.health, code: wire.code, message: wire.message, failures, nextPollAt: after.at });
    }
    throw wire;
  } finally {
    if (slot) await deps.hosts?.release(slot.host, slot.token).catch(() => undefined);
  }
}

/**
 * Puts back the claims of dead owners of a directory source (at start and on every scan). Told
 * (onRecovered) when files went back, and at start also when dead owners' files were only left
 * to their pending jobs; a scan does not repeat that for every scan until those jobs are done.
 */
export async function recoverDirectory(source: DirectorySourceConfig, deps: PollDeps, opts: { atStart?: boolean } = {}): Promise<RecoveryResult> {
  const result = await recoverClaims(resolve(source.path), {
    owner: deps.owner.id,
    isAlive: (id) => deps.owner.isAlive(id),
    hasPendingJob: (claimedPath) => deps.hasPendingJob(source.id, claimedPath),
    nowMs: deps.now().getTime(),
  });
  if (result.returned > 0 || (opts.atStart && result.pending > 0)) deps.onRecovered?.(source.id, result);
  return result;
}

/**
 * Scans a directory source: every settled file becomes one ingest document. Files are claimed
 * one at a time and each is queued right after its claim, so a kill leaves at most one claim
 * without a job (taken back by the next start, see recoverDirectory).
 */
export async function pollDirectory(source: DirectorySourceConfig, deps: PollDeps): Promise<PollOutcome> {
  const nowMs = deps.now().getTime();
  const dir = resolve(source.path);
  await ensureLayout(dir);
  const recovered = await recoverDirectory(source, deps);
  let claimed = 0;
  let failed = 0;
  for (const name of await settledFiles(dir, { nowMs })) {
    if (deps.signal?.aborted) break;
    const file = await claimFile(dir, name, { owner: deps.owner.id, nowMs });
    if (!file) continue; // another scanner took it first
    claimed++;
    let body: string;
    try {
      body = decodeBody(await readClaimed(file, source.maxBytes ?? deps.settings.fetch.maxBytes), null);
    } catch (err) {
      failed++;
      const reason = errorText(err);
      await settleFile(file, `source ${source.id}: ${reason}`, nowMs);
      continue;
    }
    const doc = { sourceId: source.id, body, contentType: null, url: null, receivedAt: new Date(nowMs).toISOString(), file };
    // Queue unreachable: the file goes back to the folder for the next scan, not to failed/.
    await deps.enqueue(doc).catch(async (err: unknown) => {
      await releaseClaim(file, nowMs);
      throw err;
    });
  }
  await deps.state.update(source.id, { lastPollAt: nowMs, lastOkAt: nowMs, lastPollEnd: deps.now().getTime(), lastStatus: `${claimed} files` });
  return { kind: 'files', claimed, failed, recovered: recovered.returned };
}
