/**
 * The HTTP server. It serves stored bytes and never renders a feed on a request: feeds and the
 * home page come from the publish worker's store; OPML, and the home page until one is stored,
 * are rendered once at start from the config.
 *
 * It reads Redis through its own fail-fast connection (src/queue/connection.ts, role `client`)
 * and keeps answering while Redis is down: `/readyz` 503 at once, each feed from the last bytes
 * it served (marked `x-wirefeed-stale: 1`) or 503 with Retry-After, `/metrics` without the
 * figures that live in Redis.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { VERSION, type WirefeedConfig } from '../config/load-config.ts';
import type { Logger } from '../log/logger.ts';
import type { RedisHealth } from '../queue/redis-health.ts';
import type { Queues } from '../queue/registry.ts';
import { INDEX_PAGE, feedCatalog, type FeedFormat } from '../render/feed-catalog.ts';
import { renderIndexPage } from '../render/index-page.ts';
import { FEED_STYLESHEET_PATH, renderFeedStylesheet } from '../render/feed-stylesheet.ts';
import { renderOpml } from '../render/opml.ts';
import type { ArticleStore } from '../store/article-store.ts';
import { SOURCE_HEALTHS } from '../fetch/poll-schedule.ts';
import { SourceStateStore, type SourceState } from '../store/source-state.ts';
import { DeadLetterStore, deadLetterLimits } from '../store/dead-letters.ts';
import { ENCODINGS, etagFor, etagOf, type FeedStore, type RenderedFeed } from '../store/feed-store.ts';
import { chooseEncoding, isNotModified } from './conditional.ts';
import { faviconIco } from './favicon.ts';
import { DEFAULT_FEED_CACHE_BYTES, FeedCache } from './feed-cache.ts';
import { registerArticleRoutes } from './article-route.ts';
import { registerPushRoute } from './push-route.ts';

export interface HttpDeps {
  config: WirefeedConfig;
  /** The HTTP side's own fail-fast connection; `queues`, `articles` and `feeds` use it too. */
  redis: Redis;
  queues: Queues;
  articles: ArticleStore;
  feeds: FeedStore;
  /**
   * Where the current ETag of a rendering is asked on each request: the ETags this process holds,
   * kept current by Redis (src/http/tracked-etags.ts); default, the store itself (one HGET each).
   */
  etags?: Pick<FeedStore, 'etag'>;
  /** Connection state; the group named `http` is the one of `redis`. */
  health: RedisHealth;
  logger: Logger;
  /** Bound of the last-served feed bytes kept for outages; default 64 MiB. */
  feedCacheBytes?: number;
}

/** Readiness gives Redis this long to answer PING. */
const READY_PING_MS = 500;
/** Retry-After of a feed that cannot be served (Redis down, nothing cached): seconds. */
const UNAVAILABLE_RETRY_S = 10;
/** max-age of a stale answer: short, so caches come back for the fresh bytes soon. */
const STALE_MAX_AGE_S = 10;
/** max-age of a feed stored without one (before the publish worker wrote it). */
const DEFAULT_FEED_MAX_AGE_S = 60;

export interface HttpServer {
  app: FastifyInstance;
  /** Base URL once listening. */
  url: string | null;
  listen(): Promise<void>;
  close(): Promise<void>;
}

/** `economy.rss`, `economy.ar.atom`, `agency-inbox.json`. */
const FEED_FILE = /^([a-z0-9][a-z0-9-]*(?:\.[a-z]{2,3})?)\.(rss|atom|json)$/;
/** An archive page of a feed (RFC 5005): `/feeds/economy/archive/3.atom`. */
const FEED_NAME = /^[a-z0-9][a-z0-9-]*(?:\.[a-z]{2,3})?$/;
const ARCHIVE_FILE = /^([1-9][0-9]{0,8})\.(rss|atom|json)$/;
/** An archive page never changes once stored: caches keep it for a year without asking. */
const ARCHIVE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

interface StaticDoc {
  body: string | Buffer;
  etag: string;
  lastModified: string;
  contentType: string;
}

function staticDoc(body: string, contentType: string, at: Date): StaticDoc {
  return { body, etag: etagOf(body), lastModified: at.toUTCString(), contentType };
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function pingWithin(redis: Redis, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to PING within ${ms} ms`)), ms);
  });
  return Promise.race([redis.ping(), late]).finally(() => clearTimeout(timer));
}

function send(req: FastifyRequest, reply: FastifyReply, doc: StaticDoc, maxAge: number) {
  reply
    .header('etag', doc.etag)
    .header('last-modified', doc.lastModified)
    .header('cache-control', `public, max-age=${maxAge}`);
  if (isNotModified(req.headers as Record<string, string>, doc.etag, doc.lastModified)) {
    return reply.code(304).send();
  }
  return reply.type(doc.contentType).send(doc.body);
}

/**
 * A feed's answer in the coding the request prefers among the stored ones (compressed at publish,
 * never here), with that coding's own strong ETag, so a 304 is per coding; `Vary:
 * Accept-Encoding` on every answer, 304 and 406 too. HEAD (fastify's, from the GET route) has the
 * same headers, Content-Length included, and no body.
 */
function sendFeed(req: FastifyRequest, reply: FastifyReply, feed: RenderedFeed, maxAge: number | string) {
  reply.header('vary', 'Accept, Accept-Encoding').header('cache-control', typeof maxAge === 'string' ? maxAge : `public, max-age=${maxAge}`);
  const contentType = feedContentType(feed.contentType, req.headers.accept);
  const coding = chooseEncoding(
    req.headers['accept-encoding'],
    ENCODINGS.filter((e) => feed.encoded?.[e]),
  );
  if (coding === null) {
    return reply.code(406).type('text/plain; charset=utf-8').send('no acceptable content coding: this feed is served as br, gzip or identity\n');
  }
  const etag = etagFor(feed.etag, coding);
  reply.header('etag', etag).header('last-modified', feed.lastModified);
  if (isNotModified(req.headers as Record<string, string>, etag, feed.lastModified)) return reply.code(304).send();
  if (coding === 'identity') return reply.type(contentType).send(feed.body);
  return reply.header('content-encoding', coding).type(contentType).send(feed.encoded![coding]!);
}

/**
 * The Content-Type a feed is answered with. Chromium shows `application/rss+xml` and
 * `application/atom+xml` as plain text and never applies their stylesheet; as `application/xml`
 * it does. So a request that asks for HTML (a browser opening the link: `text/html` listed, the
 * feed's own type not) gets the same bytes as `application/xml`; feed readers, which ask for
 * feed types or anything, get the feed's own type. Hence `Vary: Accept`.
 */
export function feedContentType(stored: string, accept: string | undefined): string {
  const own = /^application\/(rss|atom)\+xml/.exec(stored);
  if (!own || !accept) return stored;
  const ranges = accept.split(',').map((r) => {
    const [type = '', ...params] = r.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return { type: type.trim(), q: q === undefined ? 1 : Number(q) };
  });
  const wants = (type: string) => ranges.some((r) => r.type === type && r.q > 0);
  if (!wants('text/html') || wants(`application/${own[1]}+xml`)) return stored;
  return `application/xml; charset=utf-8`;
}

export async function createHttpServer(deps: HttpDeps): Promise<HttpServer> {
  const { config, redis, feeds, logger } = deps;
  const etags = deps.etags ?? feeds;
  const redisState = deps.health.group('http');
  const cache = new FeedCache(deps.feedCacheBytes ?? DEFAULT_FEED_CACHE_BYTES);
  const registry = new Registry();
  const fallbacks = new Counter({
    name: 'wirefeed_feed_fallback_total',
    help: 'Feed requests Redis could not answer: served stale from memory (redis-error, redis-empty) or 503 (unavailable)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const { publicUrl, host, port } = config.settings;
  const startedAt = new Date();
  const catalog = feedCatalog(config);
  const byPath = new Map(catalog.map((f) => [f.path, f]));

  const opml = staticDoc(
    renderOpml(
      { title: 'Wirefeed feeds', dateCreated: startedAt },
      // One outline per feed (its RSS form): an import subscribes once to each feed.
      catalog.map((f) => ({
        text: f.title,
        title: f.title,
        xmlUrl: `${publicUrl}${f.path}.rss`,
        htmlUrl: `${publicUrl}/`,
        type: 'rss' as const,
        language: f.language,
        category: `${f.kind === 'topic' ? 'Topics' : f.kind === 'source' ? 'Sources' : 'All'}${f.language && f.kind !== 'source' ? ` (${f.language})` : ''}`,
      })),
    ),
    'text/x-opml; charset=utf-8',
    startedAt,
  );
  const home = staticDoc(renderIndexPage(catalog, publicUrl, VERSION), 'text/html; charset=utf-8', startedAt);
  const ico = faviconIco();
  const favicon: StaticDoc = { body: ico, etag: etagOf(ico.toString('base64')), lastModified: startedAt.toUTCString(), contentType: 'image/x-icon' };

  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }),
    // Readers poll feeds all day: a log line per request would drown the pipeline's logs.
    logController: new LogController({ disableRequestLogging: true }),
    // A stop must not wait out the keep-alive of readers' idle connections (72 s).
    forceCloseConnections: true,
  }) as unknown as FastifyInstance;
  // `Expect: 100-continue`: Node would answer "100 Continue" before any route has looked at the
  // request, and the sender would start uploading. The request goes to the routes as it is; the
  // push route says "continue" once the source, the token and the declared size are right.
  app.server.on('checkContinue', (req, res) => app.server.emit('request', req, res));
  // Every answer, errors included (a 404 echoes the path it was asked): no content sniffing.
  app.addHook('onRequest', (_req, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done();
  });

  /**
   * The stored rendering of a feed (or the home page) in one format; null when none is stored.
   * Every request learns the current ETag (from `etags`: held here while Redis keeps it current,
   * else asked of Redis), so a reader never gets older bytes than are stored; the bytes
   * themselves (identity, gzip, br: ~3× the feed) are read only when they changed since this
   * process last served them. Throws when Redis cannot be read.
   */
  const currentRendering = async (id: string, format: string): Promise<RenderedFeed | null> => {
    const current = await etags.etag(id, format);
    if (current === null) return null;
    const held = cache.get(id, format);
    if (held !== null && held.etag === current) return held;
    const stored = await feeds.get(id, format);
    if (stored) cache.set(id, format, stored);
    return stored;
  };

  const serveFeed = async (req: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply, prefix: string) => {
    const m = FEED_FILE.exec(req.params.file);
    const entry = m ? byPath.get(`${prefix}${m[1]}`) : undefined;
    if (!m || !entry) return reply.code(404).type('text/plain; charset=utf-8').send(`no such feed: ${req.url}\n`);
    const format = m[2] as FeedFormat;
    let stored: RenderedFeed | null;
    try {
      stored = await currentRendering(entry.id, format);
    } catch {
      // Redis down or not answering: the last bytes served of this feed, or 503 at once. (The
      // cause is for operators: /readyz and the log name it, a reader's answer does not.)
      const cached = cache.get(entry.id, format);
      if (cached) return sendStale(req, reply, cached, 'redis-error');
      fallbacks.inc({ outcome: 'unavailable' });
      return reply
        .code(503)
        .header('retry-after', String(UNAVAILABLE_RETRY_S))
        .type('text/plain; charset=utf-8')
        .send('feed unavailable for now: its store cannot be read\n');
    }
    if (!stored) {
      // Redis back without its data: what was served before beats a 503 until the next render.
      const cached = cache.get(entry.id, format);
      if (cached) return sendStale(req, reply, cached, 'redis-empty');
      // Known feed not rendered yet (first seconds after start): ask the reader to come back.
      return reply.code(503).header('retry-after', '5').type('text/plain; charset=utf-8').send('feed not published yet\n');
    }
    return sendFeed(req, reply, stored, stored.maxAge ?? DEFAULT_FEED_MAX_AGE_S);
  };
  /** The home page as last published (with the newest stories); the one rendered at start while none is, or Redis cannot be read. */
  const serveHome = async (req: FastifyRequest, reply: FastifyReply) => {
    const stored = await currentRendering(INDEX_PAGE.id, INDEX_PAGE.format).catch(() => cache.get(INDEX_PAGE.id, INDEX_PAGE.format));
    if (!stored) return send(req, reply, home, DEFAULT_FEED_MAX_AGE_S);
    return sendFeed(req, reply, stored, stored.maxAge ?? DEFAULT_FEED_MAX_AGE_S);
  };
  const sendStale = (req: FastifyRequest, reply: FastifyReply, cached: RenderedFeed, outcome: 'redis-error' | 'redis-empty') => {
    fallbacks.inc({ outcome });
    reply.header('x-wirefeed-stale', '1');
    return sendFeed(req, reply, cached, STALE_MAX_AGE_S);
  };

  app.get<{ Params: { file: string } }>('/feeds/:file', (req, reply) => serveFeed(req, reply, '/feeds/'));
  app.get<{ Params: { file: string } }>('/feeds/source/:file', (req, reply) => serveFeed(req, reply, '/feeds/source/'));

  // Archive pages (RFC 5005): immutable once stored; 410 for the pages retention took away.
  const serveArchive = async (req: FastifyRequest<{ Params: { feed: string; file: string } }>, reply: FastifyReply, prefix: string) => {
    const m = ARCHIVE_FILE.exec(req.params.file);
    const entry = m && FEED_NAME.test(req.params.feed) ? byPath.get(`${prefix}${req.params.feed}`) : undefined;
    if (!m || !entry) return reply.code(404).type('text/plain; charset=utf-8').send(`no such archive page: ${req.url}\n`);
    const page = Number(m[1]);
    const format = m[2] as FeedFormat;
    const cacheKey = `${entry.id}\u0000archive:${page}`;
    let stored: RenderedFeed | null;
    try {
      stored = await feeds.getArchive(entry.id, page, format);
      if (!stored) {
        const state = await feeds.archives.state(entry.id);
        if (state && page < state.first) {
          return reply.code(410).type('text/plain; charset=utf-8').send(`archive page ${page} is gone: retention removed its articles\n`);
        }
      }
    } catch {
      const cached = cache.get(cacheKey, format);
      if (cached) return sendStale(req, reply, cached, 'redis-error');
      fallbacks.inc({ outcome: 'unavailable' });
      return reply.code(503).header('retry-after', String(UNAVAILABLE_RETRY_S)).type('text/plain; charset=utf-8').send('archive page unavailable for now: its store cannot be read\n');
    }
    if (!stored) return reply.code(404).type('text/plain; charset=utf-8').send(`no such archive page (yet): ${req.url}\n`);
    cache.set(cacheKey, format, stored);
    return sendFeed(req, reply, stored, ARCHIVE_CACHE_CONTROL);
  };
  app.get<{ Params: { feed: string; file: string } }>('/feeds/:feed/archive/:file', (req, reply) => serveArchive(req, reply, '/feeds/'));
  app.get<{ Params: { feed: string; file: string } }>('/feeds/source/:feed/archive/:file', (req, reply) => serveArchive(req, reply, '/feeds/source/'));
  app.get('/feeds.opml', (req, reply) => send(req, reply, opml, 300));
  app.get('/', serveHome);
  app.get('/favicon.ico', (req, reply) => send(req, reply, favicon, 86_400));
  // The stylesheet RSS and Atom feeds name: a feed opened in a browser reads as a page.
  const stylesheet = staticDoc(renderFeedStylesheet(), 'text/xsl; charset=utf-8', startedAt);
  app.get(FEED_STYLESHEET_PATH, (req, reply) => send(req, reply, stylesheet, 86_400));

  registerPushRoute(app, config, deps.queues, () => new Date(), logger.child({ component: 'push' }));
  registerArticleRoutes(app, deps.articles.pages);

  const sourceStates = new SourceStateStore(redis, config.settings.redisPrefix);
  const polled = config.sources.filter((s) => s.type === 'feed' && s.enabled).map((s) => s.id);
  /** The fetch state of every enabled feed source (one round trip). */
  const polledStates = async (): Promise<Array<{ id: string; state: SourceState }>> =>
    (await sourceStates.getMany(polled)).map((state, i) => ({ id: polled[i]!, state }));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const downSince = redisState.downSince;
    if (downSince !== null) {
      // Known down: no need to ask (the connection would refuse the command anyway).
      return reply.code(503).send({ status: 'not ready', redis: redisState.cause ?? 'connection lost', downSince: new Date(downSince).toISOString() });
    }
    try {
      const pong = await pingWithin(redis, READY_PING_MS);
      if (pong !== 'PONG') throw new Error(`unexpected ping answer ${pong}`);
      // A broken source is not a broken service: still 200, the sources that need a look named.
      const states = await polledStates().catch(() => null);
      if (!states) return { status: 'ready' };
      const detail = (want: string) =>
        states.filter(({ state }) => state.health === want).map(({ id, state }) => ({
          id,
          lastStatus: state.lastStatus ?? null,
          lastError: state.lastError ?? null,
          failures: state.failures,
          lastOkAt: state.lastOkAt ? new Date(state.lastOkAt).toISOString() : null,
          nextPollAt: state.nextPollAt ? new Date(state.nextPollAt).toISOString() : null,
        }));
      return { status: 'ready', sources: { unhealthy: detail('unhealthy'), failing: detail('failing') } };
    } catch (err) {
      return reply.code(503).send({ status: 'not ready', redis: messageOf(err) });
    }
  });

  collectDefaultMetrics({ register: registry, prefix: 'wirefeed_' });
  new Gauge({
    name: 'wirefeed_source_state',
    help: 'Each polled source\'s health: 1 on its current state (healthy, failing, unhealthy, unknown: never polled)',
    labelNames: ['source', 'state'],
    registers: [registry],
    async collect() {
      // Unknown while Redis is down: no series rather than the last figures as if they were current.
      this.reset();
      if (!redisState.up) return;
      const states = await polledStates().catch(() => null);
      for (const { id, state } of states ?? []) {
        const now = state.health ?? 'unknown';
        for (const s of [...SOURCE_HEALTHS, 'unknown']) this.set({ source: id, state: s }, s === now ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'wirefeed_redis_up',
    help: 'Whether each connection group reaches Redis (1) or not (0)',
    labelNames: ['group'],
    registers: [registry],
    collect() {
      for (const g of deps.health.groups()) this.set({ group: g.name }, g.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'wirefeed_feed_cache_bytes',
    help: 'Bytes of last-served feeds kept in memory for Redis outages',
    registers: [registry],
    collect() {
      this.set(cache.bytes);
    },
  });
  new Gauge({
    name: 'wirefeed_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      // Unknown while Redis is down: no series rather than the last figures as if they were current.
      this.reset();
      if (!redisState.up) return;
      try {
        for (const [name, queue] of Object.entries(deps.queues)) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
        }
      } catch {
        this.reset();
      }
    },
  });
  const deadLetters = new DeadLetterStore(redis, config.settings.redisPrefix, deadLetterLimits(config.settings.deadLetters));
  new Gauge({
    name: 'wirefeed_dead_letters',
    help: 'Dead letters kept per source: documents and items that could not be ingested (wirefeed dlq)',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      // Unknown while Redis is down: no series rather than the last figures as if they were current.
      this.reset();
      if (!redisState.up) return;
      const counts = await deadLetters.counts(Date.now()).catch(() => ({}));
      for (const [source, n] of Object.entries(counts)) this.set({ source }, n);
    },
  });
  new Gauge({
    name: 'wirefeed_articles',
    help: 'Articles in the store',
    registers: [registry],
    async collect() {
      // While Redis cannot be read the last count stays (wirefeed_redis_up says so).
      if (!redisState.up) return;
      const n = await deps.articles.count('all').catch(() => null);
      if (n !== null) this.set(n);
    },
  });
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  const server: HttpServer = {
    app,
    url: null,
    async listen() {
      const address = await app.listen({ host, port });
      server.url = address;
      logger.info({ url: address, publicUrl }, 'http server listening');
    },
    async close() {
      await app.close();
    },
  };
  return server;
}
