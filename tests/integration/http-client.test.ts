import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fetchDocument, parseRetryAfter, type FetchOptions } from '../../src/fetch/http-client.ts';
import { WireError } from '../../src/model/wire-error.ts';
import { HTML_PAGE, startOrigin, type Origin } from '../helpers/origin-server.ts';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Origin feed</title></channel></rss>';
const LAST_MODIFIED = 'Tue, 12 Mar 2024 08:00:00 GMT';

const opts = (over: Partial<FetchOptions> = {}): FetchOptions => ({
  timeoutMs: 5000,
  maxBytes: 1_000_000,
  userAgent: 'Wirefeed-test/1.0 (+https://wirefeed.example)',
  state: {},
  ...over,
});

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
/** A not-modified answer without its redirects and caching headers (tested on their own). */
const notModified = (r: Awaited<ReturnType<typeof fetchDocument>>) => (r.kind === 'not-modified' ? { kind: r.kind, status: r.status, state: r.state } : r);

async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<WireError> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => {
    caught = err;
    return err instanceof WireError && err.code === code && (message === undefined || message.test(err.message));
  });
  return caught as WireError;
}

describe('fetchDocument over HTTP', () => {
  let origin: Origin;
  before(async () => {
    origin = await startOrigin();
  });
  after(async () => {
    await origin.close();
  });
  beforeEach(() => origin.resetStats());

  it('sends the identity and Accept headers', async () => {
    origin.set('/headers.xml', { body: FEED, contentType: 'application/rss+xml' });
    await fetchDocument(origin.url('/headers.xml'), opts());
    const h = origin.stats('/headers.xml').lastHeaders;
    assert.equal(h?.['user-agent'], 'Wirefeed-test/1.0 (+https://wirefeed.example)');
    assert.equal(
      h?.accept,
      'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5',
    );
    assert.match(h?.['accept-encoding'] ?? '', /gzip/);
    assert.match(h?.['accept-encoding'] ?? '', /br/);
    assert.equal(h?.['if-none-match'], undefined);
    assert.equal(h?.['if-modified-since'], undefined);
  });

  it('does a conditional GET with the exact validators and reports 304 as not-modified', async () => {
    origin.set('/rss.xml', { body: FEED, contentType: 'application/rss+xml; charset=utf-8', etag: 'W/"v1-abc"', lastModified: LAST_MODIFIED });

    const first = await fetchDocument(origin.url('/rss.xml'), opts());
    assert.equal(first.kind, 'document');
    assert.deepEqual(first.state, { etag: 'W/"v1-abc"', lastModified: LAST_MODIFIED });
    if (first.kind !== 'document') return;
    assert.equal(first.status, 200);
    assert.equal(first.contentType, 'application/rss+xml; charset=utf-8');
    assert.equal(text(first.bytes), FEED);

    const second = await fetchDocument(origin.url('/rss.xml'), opts({ state: first.state }));
    assert.deepEqual(notModified(second), { kind: 'not-modified', status: 304, state: { etag: 'W/"v1-abc"', lastModified: LAST_MODIFIED } });
    const h = origin.stats('/rss.xml').lastHeaders;
    assert.equal(h?.['if-none-match'], 'W/"v1-abc"');
    assert.equal(h?.['if-modified-since'], LAST_MODIFIED);
    const s = origin.stats('/rss.xml');
    assert.equal(s.requests, 2);
    assert.equal(s.conditional, 1);
    assert.equal(s.notModified, 1);
    assert.deepEqual(s.statuses, [200, 304]);
  });

  it('gets the new document and validators once the route changes', async () => {
    origin.set('/changing.xml', { body: FEED, etag: '"v1"' });
    const first = await fetchDocument(origin.url('/changing.xml'), opts());
    origin.set('/changing.xml', { body: FEED.replace('Origin feed', 'Origin feed, v2'), etag: '"v2"' });
    const second = await fetchDocument(origin.url('/changing.xml'), opts({ state: first.state }));
    assert.equal(second.kind, 'document');
    assert.deepEqual(second.state, { etag: '"v2"' });
    if (second.kind === 'document') assert.match(text(second.bytes), /Origin feed, v2/);
    assert.equal(origin.stats('/changing.xml').lastHeaders?.['if-none-match'], '"v1"');
  });

  it('answers not-modified with Last-Modified alone', async () => {
    origin.set('/lm.xml', { body: FEED, lastModified: LAST_MODIFIED });
    const result = await fetchDocument(origin.url('/lm.xml'), opts({ state: { lastModified: LAST_MODIFIED } }));
    assert.deepEqual(notModified(result), { kind: 'not-modified', status: 304, state: { lastModified: LAST_MODIFIED } });
  });

  it('decompresses gzip and brotli bodies', async () => {
    const body = FEED.repeat(50);
    origin.set('/gz.xml', { body, encoding: 'gzip' });
    origin.set('/br.xml', { body, encoding: 'br' });
    for (const path of ['/gz.xml', '/br.xml']) {
      const result = await fetchDocument(origin.url(path), opts());
      assert.equal(result.kind, 'document');
      if (result.kind === 'document') assert.equal(text(result.bytes), body);
    }
  });

  it('refuses a huge body once the cap is passed (no Content-Length)', async () => {
    origin.set('/huge.xml', { hugeBytes: 50_000_000 });
    await rejectsWith(fetchDocument(origin.url('/huge.xml'), opts({ maxBytes: 1_000_000 })), 'BODY_TOO_LARGE', /1000000-byte cap.*huge\.xml/);
  });

  it('refuses early on a Content-Length over the cap', async () => {
    origin.set('/declared.xml', { hugeBytes: 50_000_000, contentLength: true });
    await rejectsWith(fetchDocument(origin.url('/declared.xml'), opts({ maxBytes: 1_000_000 })), 'BODY_TOO_LARGE', /Content-Length 50000000/);
  });

  it('caps the decompressed size of a gzip bomb', async () => {
    // 200 MB of zeros gzip to about 200 kB: the cap must count what comes out, not what comes in.
    origin.set('/bomb.xml', { hugeBytes: 200_000_000, fill: '\0', encoding: 'gzip' });
    const started = Date.now();
    await rejectsWith(fetchDocument(origin.url('/bomb.xml'), opts({ maxBytes: 2_000_000 })), 'BODY_TOO_LARGE', /more than 2000000 bytes/);
    assert.ok(Date.now() - started < 4000, 'stops reading early');
  });

  it('times out on a stalled body (total timeout)', async () => {
    origin.set('/stall.xml', { body: FEED, stall: true });
    const started = Date.now();
    await rejectsWith(fetchDocument(origin.url('/stall.xml'), opts({ timeoutMs: 300 })), 'FETCH_TIMEOUT', /300 ms.*stall\.xml/);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 3000, `elapsed ${elapsed} ms`);
  });

  it('times out on slow headers', async () => {
    origin.set('/slow.xml', { body: FEED, delayMs: 2000 });
    await rejectsWith(fetchDocument(origin.url('/slow.xml'), opts({ timeoutMs: 200 })), 'FETCH_TIMEOUT');
  });

  it('maps 429 with Retry-After seconds to HTTP_429 and delayMs', async () => {
    origin.set('/limited.xml', { status: 429, retryAfter: 120 });
    const err = await rejectsWith(fetchDocument(origin.url('/limited.xml'), opts()), 'HTTP_429', /429.*limited\.xml/);
    assert.equal(err.delayMs, 120_000);
    assert.equal(err.advice, 'delay');
  });

  it('maps 429 with an HTTP-date Retry-After', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 90_000);
    origin.set('/limited-date.xml', { status: 429, retryAfter: at.toUTCString() });
    const err = await rejectsWith(fetchDocument(origin.url('/limited-date.xml'), opts()), 'HTTP_429');
    assert.ok(err.delayMs !== undefined && err.delayMs > 80_000 && err.delayMs <= 90_000, `delayMs ${err.delayMs}`);
  });

  it('waits 10 minutes after a 429 without Retry-After', async () => {
    origin.set('/limited-bare.xml', { status: 429 });
    const err = await rejectsWith(fetchDocument(origin.url('/limited-bare.xml'), opts()), 'HTTP_429');
    assert.equal(err.delayMs, 600_000);
  });

  it('maps 500 to HTTP_5XX, naming the URL and status', async () => {
    origin.set('/broken.xml', { status: 500, body: 'oops' });
    const err = await rejectsWith(fetchDocument(origin.url('/broken.xml'), opts()), 'HTTP_5XX', /HTTP 500 Internal Server Error/);
    assert.ok(err.message.includes(origin.url('/broken.xml')));
    assert.equal(err.advice, 'retry');
  });

  it('passes a 503 Retry-After along as delayMs', async () => {
    origin.set('/maintenance.xml', { status: 503, retryAfter: '30' });
    const err = await rejectsWith(fetchDocument(origin.url('/maintenance.xml'), opts()), 'HTTP_5XX', /503/);
    assert.equal(err.delayMs, 30_000);
  });

  it('maps 404 to HTTP_4XX, naming the URL and status', async () => {
    const err = await rejectsWith(fetchDocument(origin.url('/nowhere.xml'), opts()), 'HTTP_4XX', /HTTP 404 Not Found/);
    assert.ok(err.message.includes(origin.url('/nowhere.xml')));
    assert.equal(err.advice, 'give-up');
  });

  it('follows a 301 → 302 chain and reports the final URL', async () => {
    origin.set('/old.xml', { redirect: '/moved.xml', status: 301 });
    origin.set('/moved.xml', { redirect: origin.url('/final.xml'), status: 302 });
    origin.set('/final.xml', { body: FEED, etag: '"f"' });
    const result = await fetchDocument(origin.url('/old.xml'), opts());
    assert.equal(result.kind, 'document');
    if (result.kind !== 'document') return;
    assert.equal(result.url, origin.url('/old.xml'));
    assert.equal(result.finalUrl, origin.url('/final.xml'));
    assert.deepEqual(result.state, { etag: '"f"' });
    assert.deepEqual(
      ['/old.xml', '/moved.xml', '/final.xml'].map((p) => origin.stats(p).statuses),
      [[301], [302], [200]],
    );
    assert.deepEqual(result.redirects, [
      { status: 301, from: origin.url('/old.xml'), to: origin.url('/moved.xml') },
      { status: 302, from: origin.url('/moved.xml'), to: origin.url('/final.xml') },
    ]);
  });

  it('fails a redirect loop at once, naming it, after one round', async () => {
    origin.set('/loop-a', { redirect: '/loop-b', status: 301 });
    origin.set('/loop-b', { redirect: '/loop-a', status: 302 });
    await rejectsWith(fetchDocument(origin.url('/loop-a'), opts()), 'HTTP_4XX', /redirect loop .*loop-a 301 → .*loop-b 302 → .*loop-a/);
    assert.equal(origin.stats('/loop-a').requests, 1);
    assert.equal(origin.stats('/loop-b').requests, 1);
  });

  it('keeps Retry-After of a 503 (a wait), not of a 500 (a failure)', async () => {
    origin.set('/busy-503', { status: 503, retryAfter: 90 });
    origin.set('/down-500', { status: 500, retryAfter: 90 });
    assert.equal((await rejectsWith(fetchDocument(origin.url('/busy-503'), opts()), 'HTTP_5XX', /503/)).delayMs, 90_000);
    assert.equal((await rejectsWith(fetchDocument(origin.url('/down-500'), opts()), 'HTTP_5XX', /500/)).delayMs, undefined);
  });

  it('reports the caching headers of a response (the source asking when to come back)', async () => {
    origin.set('/cached.xml', { body: FEED, headers: { 'Cache-Control': 'public, max-age=600', Expires: 'Thu, 01 Jan 2037 00:00:00 GMT' } });
    const result = await fetchDocument(origin.url('/cached.xml'), opts());
    assert.equal(result.cache.cacheControl, 'public, max-age=600');
    assert.equal(result.cache.expires, 'Thu, 01 Jan 2037 00:00:00 GMT');
    assert.ok(result.cache.date, 'the origin dated its answer');
  });

  it('follows 5 redirects but not 6', async () => {
    for (let i = 0; i < 6; i++) origin.set(`/hop${i}`, { redirect: `/hop${i + 1}`, status: 302 });
    origin.set('/hop6', { body: FEED });
    const five = await fetchDocument(origin.url('/hop1'), opts());
    assert.equal(five.kind === 'document' && five.finalUrl, origin.url('/hop6'));
    await rejectsWith(fetchDocument(origin.url('/hop0'), opts()), 'HTTP_4XX', /too many redirects/);
    assert.equal(origin.stats('/hop6').requests, 1);
  });

  it('refuses a redirect to a file: URL', async () => {
    origin.set('/sneaky.xml', { redirect: 'file:///etc/passwd', status: 302 });
    await rejectsWith(fetchDocument(origin.url('/sneaky.xml'), opts()), 'HTTP_4XX', /unsupported URL file:/);
  });

  it('returns an HTML page as a document (format detection judges it later)', async () => {
    origin.set('/index.html', { body: HTML_PAGE, contentType: 'text/html; charset=utf-8' });
    const result = await fetchDocument(origin.url('/index.html'), opts());
    assert.equal(result.kind === 'document' && result.contentType, 'text/html; charset=utf-8');
  });

  it('rejects with the shutdown signal reason, not a WireError', async () => {
    origin.set('/shutdown.xml', { body: FEED, stall: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(fetchDocument(origin.url('/shutdown.xml'), opts({ signal: controller.signal })), (err: unknown) => {
      return !(err instanceof WireError) && (err as Error).name === 'AbortError';
    });
  });
});

describe('fetchDocument network failures', () => {
  it('maps connection refused to FETCH_NETWORK', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/feed.xml`;
    const err = await rejectsWith(fetchDocument(url, opts()), 'FETCH_NETWORK', /ECONNREFUSED/);
    assert.ok(err.message.includes(url));
  });

  it('maps a connection reset to FETCH_NETWORK', async () => {
    const server = createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await rejectsWith(fetchDocument(`http://127.0.0.1:${port}/feed.xml`, opts()), 'FETCH_NETWORK');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses an unsupported scheme', async () => {
    await rejectsWith(fetchDocument('ftp://127.0.0.1/feed.xml', opts()), 'HTTP_4XX', /unsupported URL scheme ftp:/);
  });
});

describe('fetchDocument on file: URLs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirefeed-file-'));
  const path = join(dir, 'demo.xml');
  writeFileSync(path, FEED);
  // 2024-03-12T08:30:00Z
  const mtime = new Date(Date.UTC(2024, 2, 12, 8, 30, 0));
  utimesSync(path, mtime, mtime);
  const url = pathToFileURL(path).href;
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file with its mtime as Last-Modified', async () => {
    const result = await fetchDocument(url, opts());
    assert.equal(result.kind, 'document');
    if (result.kind !== 'document') return;
    assert.equal(text(result.bytes), FEED);
    assert.deepEqual(result.state, { lastModified: 'Tue, 12 Mar 2024 08:30:00 GMT' });
    assert.equal(result.status, 200);
    assert.equal(result.finalUrl, url);
    assert.equal(result.contentType, 'application/xml');
  });

  it('answers not-modified when the state has the same Last-Modified', async () => {
    const result = await fetchDocument(url, opts({ state: { lastModified: 'Tue, 12 Mar 2024 08:30:00 GMT' } }));
    assert.deepEqual(notModified(result), { kind: 'not-modified', status: 304, state: { lastModified: 'Tue, 12 Mar 2024 08:30:00 GMT' } });
  });

  it('reads it again once it has changed', async () => {
    const result = await fetchDocument(url, opts({ state: { lastModified: 'Mon, 11 Mar 2024 08:30:00 GMT' } }));
    assert.equal(result.kind, 'document');
  });

  it('maps a missing file to HTTP_4XX and a big one to BODY_TOO_LARGE', async () => {
    await rejectsWith(fetchDocument(pathToFileURL(join(dir, 'missing.xml')).href, opts()), 'HTTP_4XX', /file not found/);
    await rejectsWith(fetchDocument(url, opts({ maxBytes: 10 })), 'BODY_TOO_LARGE');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2024, 2, 12, 8, 0, 0);
  it('reads delay-seconds', () => {
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
  });
  it('reads an HTTP-date relative to now, never negative', () => {
    assert.equal(parseRetryAfter('Tue, 12 Mar 2024 08:05:00 GMT', now), 300_000);
    assert.equal(parseRetryAfter('Tue, 12 Mar 2024 07:00:00 GMT', now), 0);
  });
  it('gives undefined for absent or unusable values', () => {
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
  });
});
