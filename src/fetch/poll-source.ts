/**
 * One poll of one source. A feed: honour backoff, conditional GET with the stored validators,
 * stop on 304 or on a body identical to the last one, else hand the document to ingest. A
 * directory: claim settled files and hand each to ingest.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedSettings } from '../config/load-config.ts';
import type { DirectorySourceConfig, FeedSourceConfig } from '../config/schema.ts';
import { detectFormat } from '../formats/detect-format.ts';
import { WireError, isWireError } from '../model/wire-error.ts';
import type { IngestJobData } from '../queue/registry.ts';
import type { SourceStateStore } from '../store/source-state.ts';
import { backoffUntil } from './backoff.ts';
import { decodeBody } from './decode-body.ts';
import { claimFiles, readClaimed, recoverStaleClaims, releaseClaim, settleFile } from './directory-source.ts';
import { fetchDocument } from './http-client.ts';

export type PollOutcome =
  | { kind: 'backoff'; until: number }
  | { kind: 'not-modified' }
  | { kind: 'unchanged' }
  | { kind: 'document'; bytes: number }
  | { kind: 'files'; claimed: number; failed: number };

export interface PollDeps {
  settings: ResolvedSettings;
  state: SourceStateStore;
  /** Adds one document to the ingest queue. */
  enqueue(doc: IngestJobData): Promise<void>;
  now(): Date;
  signal?: AbortSignal;
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
 * Polls a feed source. Failures are recorded (failures count, backoff, last error) and rethrown
 * as WireError for the worker to report.
 */
export async function pollFeed(source: FeedSourceConfig, deps: PollDeps): Promise<PollOutcome> {
  const nowMs = deps.now().getTime();
  const state = await deps.state.get(source.id);
  if (state.backoffUntil > nowMs) return { kind: 'backoff', until: state.backoffUntil };

  const url = resolveSourceUrl(source.url);
  try {
    const result = await fetchDocument(url, {
      timeoutMs: source.timeout ?? deps.settings.fetch.timeout,
      maxBytes: source.maxBytes ?? deps.settings.fetch.maxBytes,
      userAgent: deps.settings.fetch.userAgent,
      state: { etag: state.etag, lastModified: state.lastModified },
      signal: deps.signal,
    });
    const ok = { failures: 0, backoffUntil: 0, lastPollAt: nowMs, lastOkAt: nowMs, lastError: undefined };
    // A 304 may carry fresher validators; the next request must send those back.
    const validators = { etag: result.state.etag, lastModified: result.state.lastModified };
    if (result.kind === 'not-modified') {
      await deps.state.update(source.id, { ...ok, ...validators, lastStatus: '304' });
      return { kind: 'not-modified' };
    }
    const bodyHash = sha256(result.bytes);
    if (bodyHash === state.bodyHash) {
      await deps.state.update(source.id, { ...ok, ...validators, lastStatus: String(result.status) });
      return { kind: 'unchanged' };
    }
    const body = decodeBody(result.bytes, result.contentType);
    // An HTML page or an empty answer is the source's failure (back off), not a document's.
    if (!source.format) detectFormat(body, result.contentType);
    await deps.enqueue({
      sourceId: source.id,
      body,
      contentType: result.contentType,
      url: result.finalUrl.startsWith('file:') ? null : result.finalUrl,
      receivedAt: new Date(nowMs).toISOString(),
    });
    // The body hash is stored only once the document is safely queued.
    await deps.state.update(source.id, { ...ok, ...validators, bodyHash, lastStatus: String(result.status) });
    return { kind: 'document', bytes: result.bytes.byteLength };
  } catch (err) {
    const wire = isWireError(err) ? err : new WireError('FETCH_NETWORK', err instanceof Error ? err.message : String(err), { cause: err });
    const failures = state.failures + 1;
    await deps.state.update(source.id, {
      failures,
      backoffUntil: backoffUntil(wire, failures, source.every, nowMs),
      lastPollAt: nowMs,
      lastStatus: wire.code,
      lastError: wire.message,
    });
    throw wire;
  }
}

/** Scans a directory source: every settled file becomes one ingest document. */
export async function pollDirectory(source: DirectorySourceConfig, deps: PollDeps): Promise<PollOutcome> {
  const nowMs = deps.now().getTime();
  const dir = resolve(source.path);
  await recoverStaleClaims(dir, nowMs, 3_600_000);
  const files = await claimFiles(dir, { nowMs });
  let failed = 0;
  for (const file of files) {
    let body: string;
    try {
      body = decodeBody(await readClaimed(file, source.maxBytes ?? deps.settings.fetch.maxBytes), null);
    } catch (err) {
      failed++;
      const reason = isWireError(err) ? `${err.code}: ${err.message}` : String(err);
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
  await deps.state.update(source.id, { lastPollAt: nowMs, lastOkAt: nowMs, lastStatus: `${files.length} files` });
  return { kind: 'files', claimed: files.length, failed };
}
