/**
 * The HTTP client for sources: one polite conditional GET per poll.
 *
 * Politeness (Miniflux's bar): validators are sent back exactly as received, so an unchanged
 * feed costs the origin a 304 and no body; compressed transfer is accepted; 429/503
 * Retry-After is honoured (as `delayMs`); redirects are capped; a body is never read past the
 * cap, so neither a huge body nor a decompression bomb costs more than `maxBytes` of memory.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WireError } from '../model/wire-error.ts';

/** Validators from the previous response, sent back verbatim on the next request. */
export interface ConditionalState {
  etag?: string;
  lastModified?: string;
}

export interface FetchOptions {
  /** Total timeout: connect + headers + whole body. */
  timeoutMs: number;
  /** Cap on the (decompressed) body, in bytes. */
  maxBytes: number;
  userAgent: string;
  /** Sent back exactly as received last time (If-None-Match / If-Modified-Since). */
  state: ConditionalState;
  /** Shutdown: aborting rejects with the signal's reason (not a WireError). */
  signal?: AbortSignal;
}

/** One redirect followed: its status and where it pointed. */
export interface RedirectHop {
  status: number;
  from: string;
  to: string;
}

/** What a response said about caching it: the source's ask about the next poll. */
export interface CacheHeaders {
  cacheControl: string | null;
  expires: string | null;
  date: string | null;
}

export type FetchResult =
  | { kind: 'not-modified'; status: 304; state: ConditionalState; redirects: RedirectHop[]; cache: CacheHeaders }
  | {
      kind: 'document';
      status: number;
      /** The URL asked for. */
      url: string;
      /** The URL that answered, after redirects. */
      finalUrl: string;
      contentType: string | null;
      bytes: Uint8Array;
      /** Validators of this response, to store and send back next time (empty when it had none). */
      state: ConditionalState;
      /** The redirects followed, in order (empty when none). */
      redirects: RedirectHop[];
      cache: CacheHeaders;
    };

/** What feed readers ask for: feed types first, generic XML/JSON after, anything last. */
export const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';
export const MAX_REDIRECTS = 5;
/** Delay after a 429 that gives no (usable) Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 10 * 60 * 1000;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/**
 * Fetches a source document with a conditional GET (or reads a `file:` URL).
 *
 * - Sends `If-None-Match` / `If-Modified-Since` from `opts.state` verbatim; a 304 answers
 *   `not-modified` (with the validators the 304 carried, else the ones sent).
 * - Accepts gzip/deflate/br; `maxBytes` caps the decompressed body while streaming (and a
 *   larger Content-Length is refused before reading).
 * - Follows at most {@link MAX_REDIRECTS} redirects, to http(s) only.
 * - `file:///abs/path`: the file's mtime is its Last-Modified; `not-modified` when
 *   `opts.state.lastModified` equals it.
 *
 * @throws WireError `FETCH_TIMEOUT` (total timeout), `FETCH_NETWORK` (DNS, refused, reset),
 *   `HTTP_429` (with `delayMs` from Retry-After, default 10 min), `HTTP_5XX` (with `delayMs`
 *   only for a 503 that gave Retry-After: a wait, not a failure), `HTTP_4XX` (other 4xx, too many redirects, unusable URL,
 *   missing file), `BODY_TOO_LARGE`. When `opts.signal` aborts, its reason is thrown as is.
 */
export async function fetchDocument(url: string, opts: FetchOptions): Promise<FetchResult> {
  opts.signal?.throwIfAborted();
  let target: URL;
  try {
    target = new URL(url);
  } catch (err) {
    throw new WireError('HTTP_4XX', `invalid source URL: ${url}`, { cause: err });
  }

  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  try {
    if (target.protocol === 'file:') return await fetchFile(url, target, opts, signal);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new WireError('HTTP_4XX', `unsupported URL scheme ${target.protocol} in ${url}`);
    }
    return await fetchHttp(url, target, opts, signal);
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (err instanceof WireError) throw err;
    if (timeout.aborted || TIMEOUT_CODES.has(errorCode(err) ?? '')) {
      throw new WireError('FETCH_TIMEOUT', `timed out after ${opts.timeoutMs} ms fetching ${url}`, { cause: err });
    }
    const detail = errorCode(err) ?? (err instanceof Error ? (errorCause(err)?.message ?? err.message) : String(err));
    throw new WireError('FETCH_NETWORK', `network error fetching ${url}: ${detail}`, { cause: err });
  }
}

async function fetchHttp(url: string, start: URL, opts: FetchOptions, signal: AbortSignal): Promise<FetchResult> {
  const headers: Record<string, string> = {
    'User-Agent': opts.userAgent,
    Accept: ACCEPT,
    'Accept-Encoding': 'gzip, deflate, br',
  };
  // A stored validator with a control character would make every future request throw.
  if (opts.state.etag && isHeaderSafe(opts.state.etag)) headers['If-None-Match'] = opts.state.etag;
  if (opts.state.lastModified && isHeaderSafe(opts.state.lastModified)) headers['If-Modified-Since'] = opts.state.lastModified;

  let current = start;
  const hops: RedirectHop[] = [];
  for (let redirects = 0; ; redirects++) {
    const res = await fetch(current, { method: 'GET', headers, redirect: 'manual', signal });
    const where = current.href === start.href ? url : `${current.href} (redirected from ${url})`;

    if (REDIRECT_STATUSES.has(res.status)) {
      discard(res);
      const location = res.headers.get('location');
      if (!location) throw new WireError('HTTP_4XX', `HTTP ${res.status} without a Location header from ${where}`);
      if (redirects === MAX_REDIRECTS) {
        throw new WireError('HTTP_4XX', `too many redirects (more than ${MAX_REDIRECTS}) fetching ${url}; last HTTP ${res.status} from ${current.href}`);
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch (err) {
        throw new WireError('HTTP_4XX', `HTTP ${res.status} to an invalid Location (${location}) from ${where}`, { cause: err });
      }
      // Never let an origin point us at file: or any non-web scheme.
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new WireError('HTTP_4XX', `HTTP ${res.status} to unsupported URL ${next.href} from ${where}`);
      }
      hops.push({ status: res.status, from: current.href, to: next.href });
      // Back to a URL already asked: it would only go round again.
      if (next.href === start.href || hops.some((h) => h.from === next.href)) {
        throw new WireError('HTTP_4XX', `redirect loop fetching ${url}: ${[start.href, ...hops.map((h) => `${h.status} → ${h.to}`)].join(' ')}`);
      }
      current = next;
      continue;
    }

    if (res.status === 304) {
      discard(res);
      const state = responseState(res.headers);
      return {
        kind: 'not-modified',
        status: 304,
        state: { ...pick(opts.state), ...state },
        redirects: hops,
        cache: cacheHeaders(res.headers),
      };
    }
    if (res.status === 429) {
      discard(res);
      const delayMs = parseRetryAfter(res.headers.get('retry-after'), Date.now()) ?? DEFAULT_RETRY_AFTER_MS;
      throw new WireError('HTTP_429', `HTTP 429 ${res.statusText || 'Too Many Requests'} from ${where}; retry after ${Math.round(delayMs / 1000)} s`, { delayMs });
    }
    if (res.status >= 500) {
      discard(res);
      // Only a 503 says "come back later"; a 500 with Retry-After is still the origin failing.
      const delayMs = res.status === 503 ? parseRetryAfter(res.headers.get('retry-after'), Date.now()) : undefined;
      throw new WireError('HTTP_5XX', `HTTP ${res.status} ${res.statusText} from ${where}`.trimEnd(), delayMs === undefined ? undefined : { delayMs });
    }
    if (res.status < 200 || res.status >= 300) {
      discard(res);
      throw new WireError('HTTP_4XX', `HTTP ${res.status} ${res.statusText} from ${where}`.trimEnd());
    }

    const bytes = await readCapped(res, opts.maxBytes, where);
    return {
      kind: 'document',
      status: res.status,
      url,
      finalUrl: current.href,
      contentType: res.headers.get('content-type'),
      bytes,
      state: responseState(res.headers),
      redirects: hops,
      cache: cacheHeaders(res.headers),
    };
  }
}

function cacheHeaders(headers: Headers): CacheHeaders {
  return { cacheControl: headers.get('cache-control'), expires: headers.get('expires'), date: headers.get('date') };
}

const NO_CACHE_HEADERS: CacheHeaders = { cacheControl: null, expires: null, date: null };

async function readCapped(res: Response, maxBytes: number, where: string): Promise<Uint8Array> {
  const declared = res.headers.get('content-length');
  // With Content-Encoding this is the compressed size, so it can only under-state the body.
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    discard(res);
    throw tooLarge(where, maxBytes, `Content-Length ${declared}`);
  }
  if (res.body === null) return new Uint8Array(0);

  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Cancelling aborts the transfer: a decompression bomb is never inflated further.
      reader.cancel().catch(() => undefined);
      throw tooLarge(where, maxBytes, `more than ${maxBytes} bytes received`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

async function fetchFile(url: string, target: URL, opts: FetchOptions, signal: AbortSignal): Promise<FetchResult> {
  let path: string;
  try {
    path = fileURLToPath(target);
  } catch (err) {
    throw new WireError('HTTP_4XX', `unusable file URL ${url}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new WireError('HTTP_4XX', `not a regular file: ${url}`);
    // HTTP dates have one-second resolution; this is the form sent back as If-Modified-Since.
    const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000).toUTCString();
    if (opts.state.lastModified === lastModified) return { kind: 'not-modified', status: 304, state: { lastModified }, redirects: [], cache: NO_CACHE_HEADERS };
    if (info.size > opts.maxBytes) throw tooLarge(url, opts.maxBytes, `file size ${info.size}`);

    const data = await readFile(path, { signal });
    // The file may have grown between stat and read.
    if (data.byteLength > opts.maxBytes) throw tooLarge(url, opts.maxBytes, `file size ${data.byteLength}`);
    return {
      kind: 'document',
      status: 200,
      url,
      finalUrl: target.href,
      contentType: contentTypeOfFile(path),
      bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      state: { lastModified },
      redirects: [],
      cache: NO_CACHE_HEADERS,
    };
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new WireError('HTTP_4XX', `file not found: ${url}`, { cause: err });
    if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') {
      throw new WireError('HTTP_4XX', `file not readable (${code}): ${url}`, { cause: err });
    }
    throw err;
  }
}

/**
 * Milliseconds to wait from a Retry-After value: delay-seconds or an HTTP-date (never negative).
 * Undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/GMT$|UTC$/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function responseState(headers: Headers): ConditionalState {
  const state: ConditionalState = {};
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  if (etag) state.etag = etag;
  if (lastModified) state.lastModified = lastModified;
  return state;
}

function pick(state: ConditionalState): ConditionalState {
  const out: ConditionalState = {};
  if (state.etag !== undefined) out.etag = state.etag;
  if (state.lastModified !== undefined) out.lastModified = state.lastModified;
  return out;
}

function tooLarge(where: string, maxBytes: number, detail: string): WireError {
  return new WireError('BODY_TOO_LARGE', `body over the ${maxBytes}-byte cap (${detail}) from ${where}`);
}

/** Releases a response we do not read, so the connection is not held open. */
function discard(res: Response): void {
  res.body?.cancel().catch(() => undefined);
}

function isHeaderSafe(value: string): boolean {
  return !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value) && /^[\u0000-\u00ff]*$/.test(value);
}

function errorCause(err: Error): Error | undefined {
  return err.cause instanceof Error ? err.cause : undefined;
}

/** The system/undici error code of an error or of its cause (fetch wraps them in a TypeError). */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function contentTypeOfFile(path: string): string | null {
  switch (extname(path).toLowerCase()) {
    case '.rss':
      return 'application/rss+xml';
    case '.atom':
      return 'application/atom+xml';
    case '.xml':
      return 'application/xml';
    case '.json':
      return 'application/json';
    case '.txt':
      return 'text/plain';
    case '.html':
    case '.htm':
      return 'text/html';
    default:
      return null;
  }
}
