/**
 * A local HTTP origin for integration and end-to-end tests: serves in-memory routes on
 * 127.0.0.1 (random port) and scores the client's politeness per route — how many requests,
 * how many were conditional, how many were answered 304.
 *
 * ```ts
 * const origin = await startOrigin();
 * origin.set('/rss.xml', { body, contentType: 'application/rss+xml', etag: '"v1"' });
 * await fetchDocument(origin.url('/rss.xml'), opts);
 * origin.stats('/rss.xml'); // { requests: 1, conditional: 0, notModified: 0, statuses: [200], … }
 * origin.set('/rss.xml', { body: newer, etag: '"v2"' }); // change a route at run time
 * await origin.close();
 * ```
 *
 * What a route can do (see {@link RouteSpec}): ETag / Last-Modified with 304 on a match,
 * gzip/deflate/br bodies, any status (429 + Retry-After, 500, 404…), redirects (chain routes
 * for 301/302 chains), a delay before headers, a stalled body, a huge generated body (also
 * compressed: a decompression bomb), or a custom handler. Unknown paths answer 404 and are
 * counted too.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { brotliCompressSync, createBrotliCompress, createDeflate, createGzip, deflateSync, gzipSync } from 'node:zlib';

export type Encoding = 'gzip' | 'deflate' | 'br';

export interface RouteSpec {
  /** Status code; default 200 (301 when `redirect` is set). */
  status?: number;
  /** In-memory body; default empty. */
  body?: string | Uint8Array;
  contentType?: string;
  /** Sent as ETag; an If-None-Match that matches it (weakly, or `*`) gets a 304. */
  etag?: string;
  /** Sent as Last-Modified; an If-Modified-Since at or after it gets a 304 (when no If-None-Match). */
  lastModified?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Compress the body with this Content-Encoding when the request's Accept-Encoding allows it. */
  encoding?: Encoding;
  /** Redirect to this path or absolute URL (Location is sent as given). */
  redirect?: string;
  /** Retry-After header (seconds or an HTTP-date), for 429/503. */
  retryAfter?: string | number;
  /** Wait this long before sending anything. */
  delayMs?: number;
  /** Send the headers and the first `stallAfterBytes` of the body (default 16), then never finish. */
  stall?: boolean;
  stallAfterBytes?: number;
  /** Stream a generated body of this many bytes (repeated `fill`, default "x") instead of `body`. */
  hugeBytes?: number;
  fill?: string;
  /** Send a Content-Length header (default: yes for in-memory bodies, no for `hugeBytes`). */
  contentLength?: boolean;
  /** Answer the request yourself; it is still counted. */
  handler?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface RouteStats {
  requests: number;
  /** Requests that carried If-None-Match or If-Modified-Since. */
  conditional: number;
  /** Requests answered 304. */
  notModified: number;
  /** Every status served, in order. */
  statuses: number[];
  /** The headers of the last request (lower-case names), e.g. to check the exact If-None-Match. */
  lastHeaders: IncomingHttpHeaders | undefined;
}

export interface RequestRecord {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface Origin {
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** Absolute URL of a path on this origin. */
  url(path: string): string;
  /** Adds or replaces a route (takes effect on the next request). */
  set(path: string, spec: RouteSpec): Origin;
  remove(path: string): void;
  /** Per-route politeness score (zeros for a path never requested). */
  stats(path: string): RouteStats;
  /** Every request in arrival order. */
  readonly log: readonly RequestRecord[];
  /** Forgets counts and the log; routes stay. */
  resetStats(): void;
  /** Stops the server, cutting stalled responses. */
  close(): Promise<void>;
}

/** A minimal HTML page (for "this is not a feed" tests). */
export const HTML_PAGE =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Welcome</title></head><body><p>This is a home page, not a feed.</p></body></html>\n';

/** Starts an origin on 127.0.0.1 with a free port. */
export async function startOrigin(): Promise<Origin> {
  const routes = new Map<string, RouteSpec>();
  const stats = new Map<string, RouteStats>();
  const log: RequestRecord[] = [];
  const compressed = new WeakMap<RouteSpec, Map<Encoding, Buffer>>();

  const statsFor = (path: string): RouteStats => {
    let s = stats.get(path);
    if (!s) {
      s = { requests: 0, conditional: 0, notModified: 0, statuses: [], lastHeaders: undefined };
      stats.set(path, s);
    }
    return s;
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://origin.test').pathname;
    const s = statsFor(path);
    s.requests++;
    s.lastHeaders = req.headers;
    if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) s.conditional++;
    res.on('finish', () => recordStatus());
    res.on('close', () => recordStatus());
    let recorded = false;
    const recordStatus = () => {
      if (recorded || !res.headersSent) return;
      recorded = true;
      s.statuses.push(res.statusCode);
      if (res.statusCode === 304) s.notModified++;
      log.push({ method: req.method ?? 'GET', path, headers: req.headers, status: res.statusCode });
    };

    const spec = routes.get(path);
    const respond = () => {
      if (res.destroyed) return;
      if (!spec) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      if (spec.handler) {
        spec.handler(req, res);
        return;
      }
      serve(spec, req, res, compressed);
    };
    if (spec?.delayMs) setTimeout(respond, spec.delayMs);
    else respond();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  const origin: Origin = {
    baseUrl,
    url: (path) => new URL(path, baseUrl).href,
    set(path, spec) {
      routes.set(path, spec);
      return origin;
    },
    remove: (path) => void routes.delete(path),
    stats: (path) => {
      const s = stats.get(path);
      return s ? { ...s, statuses: [...s.statuses] } : { requests: 0, conditional: 0, notModified: 0, statuses: [], lastHeaders: undefined };
    },
    log,
    resetStats() {
      stats.clear();
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return origin;
}

function serve(spec: RouteSpec, req: IncomingMessage, res: ServerResponse, cache: WeakMap<RouteSpec, Map<Encoding, Buffer>>): void {
  const headers: Record<string, string> = {};
  if (spec.contentType) headers['Content-Type'] = spec.contentType;
  if (spec.etag) headers.ETag = spec.etag;
  if (spec.lastModified) headers['Last-Modified'] = spec.lastModified;
  if (spec.retryAfter !== undefined) headers['Retry-After'] = String(spec.retryAfter);
  if (spec.redirect) headers.Location = spec.redirect;
  Object.assign(headers, spec.headers);

  const status = spec.status ?? (spec.redirect ? 301 : 200);
  if (status >= 200 && status < 300 && isNotModified(spec, req.headers)) {
    delete headers['Content-Type'];
    res.writeHead(304, headers).end();
    return;
  }

  const encoding = spec.encoding && accepts(req.headers['accept-encoding'], spec.encoding) ? spec.encoding : undefined;
  if (encoding) {
    headers['Content-Encoding'] = encoding;
    headers.Vary = 'Accept-Encoding';
  }

  if (spec.hugeBytes !== undefined) {
    if (spec.contentLength === true && !encoding) headers['Content-Length'] = String(spec.hugeBytes);
    res.writeHead(status, headers);
    const source = Readable.from(generate(spec.hugeBytes, spec.fill ?? 'x'));
    const stages = encoding ? [source, compressor(encoding), res] : [source, res];
    // The client hanging up mid-body is the expected end of a capped download.
    (pipeline as (...s: unknown[]) => Promise<void>)(...stages).catch(() => undefined);
    return;
  }

  const plain = typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : Buffer.from(spec.body ?? new Uint8Array(0));
  let body: Buffer = plain;
  if (encoding) {
    let perRoute = cache.get(spec);
    if (!perRoute) cache.set(spec, (perRoute = new Map()));
    body = perRoute.get(encoding) ?? compress(plain, encoding);
    perRoute.set(encoding, body);
  }

  if (spec.stall) {
    const first = body.subarray(0, spec.stallAfterBytes ?? 16);
    headers['Content-Length'] = String(Math.max(body.length, first.length + 1));
    res.writeHead(status, headers);
    res.write(first);
    return;
  }
  if (spec.contentLength !== false) headers['Content-Length'] = String(body.length);
  res.writeHead(status, headers);
  res.end(body);
}

function isNotModified(spec: RouteSpec, h: IncomingHttpHeaders): boolean {
  const inm = h['if-none-match'];
  if (inm !== undefined) {
    if (!spec.etag) return false;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return inm.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(spec.etag as string));
  }
  const ims = h['if-modified-since'];
  if (ims !== undefined && spec.lastModified) {
    const since = Date.parse(ims);
    const modified = Date.parse(spec.lastModified);
    return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
  }
  return false;
}

function accepts(acceptEncoding: string | undefined, encoding: Encoding): boolean {
  return (acceptEncoding ?? '').split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    return name?.trim().toLowerCase() === encoding && !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
  });
}

function compress(body: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'gzip') return gzipSync(body);
  if (encoding === 'deflate') return deflateSync(body);
  return brotliCompressSync(body);
}

function compressor(encoding: Encoding) {
  if (encoding === 'gzip') return createGzip();
  if (encoding === 'deflate') return createDeflate();
  return createBrotliCompress();
}

function* generate(total: number, fill: string): Generator<Buffer> {
  const unit = Buffer.from(fill.repeat(Math.max(1, Math.ceil(65536 / Math.max(1, fill.length)))), 'utf8');
  for (let sent = 0; sent < total; sent += unit.length) {
    yield sent + unit.length <= total ? unit : unit.subarray(0, total - sent);
  }
}
