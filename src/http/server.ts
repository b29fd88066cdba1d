/**
 * The HTTP server. It serves stored bytes and never renders a feed on a request: feeds come from
 * the publish worker's store, OPML and the home page are rendered once at start from the config.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { VERSION, type WirefeedConfig } from '../config/load-config.ts';
import type { Logger } from '../log/logger.ts';
import type { Queues } from '../queue/registry.ts';
import { feedCatalog, type FeedFormat } from '../render/feed-catalog.ts';
import { renderIndexPage } from '../render/index-page.ts';
import { renderOpml } from '../render/opml.ts';
import type { ArticleStore } from '../store/article-store.ts';
import { etagOf, type FeedStore } from '../store/feed-store.ts';
import { isNotModified } from './conditional.ts';
import { registerPushRoute } from './push-route.ts';

export interface HttpDeps {
  config: WirefeedConfig;
  redis: Redis;
  queues: Queues;
  articles: ArticleStore;
  feeds: FeedStore;
  logger: Logger;
}

export interface HttpServer {
  app: FastifyInstance;
  /** Base URL once listening. */
  url: string | null;
  listen(): Promise<void>;
  close(): Promise<void>;
}

/** `economy.rss`, `economy.ar.atom`, `agency-inbox.json`. */
const FEED_FILE = /^([a-z0-9][a-z0-9-]*(?:\.[a-z]{2,3})?)\.(rss|atom|json)$/;

interface StaticDoc {
  body: string;
  etag: string;
  lastModified: string;
  contentType: string;
}

function staticDoc(body: string, contentType: string, at: Date): StaticDoc {
  return { body, etag: etagOf(body), lastModified: at.toUTCString(), contentType };
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

export async function createHttpServer(deps: HttpDeps): Promise<HttpServer> {
  const { config, redis, feeds, logger } = deps;
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

  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }),
    // Readers poll feeds all day: a log line per request would drown the pipeline's logs.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  // Every answer, errors included (a 404 echoes the path it was asked): no content sniffing.
  app.addHook('onRequest', (_req, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done();
  });

  const serveFeed = async (req: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply, prefix: string) => {
    const m = FEED_FILE.exec(req.params.file);
    const entry = m ? byPath.get(`${prefix}${m[1]}`) : undefined;
    if (!m || !entry) return reply.code(404).type('text/plain; charset=utf-8').send(`no such feed: ${req.url}\n`);
    const stored = await feeds.get(entry.id, m[2] as FeedFormat);
    if (!stored) {
      // Known feed not rendered yet (first seconds after start): ask the reader to come back.
      return reply.code(503).header('retry-after', '5').type('text/plain; charset=utf-8').send('feed not published yet\n');
    }
    return send(req, reply, stored, 60);
  };

  app.get<{ Params: { file: string } }>('/feeds/:file', (req, reply) => serveFeed(req, reply, '/feeds/'));
  app.get<{ Params: { file: string } }>('/feeds/source/:file', (req, reply) => serveFeed(req, reply, '/feeds/source/'));
  app.get('/feeds.opml', (req, reply) => send(req, reply, opml, 300));
  app.get('/', (req, reply) => send(req, reply, home, 300));

  registerPushRoute(app, config, deps.queues, () => new Date(), logger.child({ component: 'push' }));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      const pong = await redis.ping();
      if (pong !== 'PONG') throw new Error(`unexpected ping answer ${pong}`);
      return { status: 'ready' };
    } catch (err) {
      return reply.code(503).send({ status: 'not ready', redis: err instanceof Error ? err.message : String(err) });
    }
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wirefeed_' });
  new Gauge({
    name: 'wirefeed_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(deps.queues)) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
      }
    },
  });
  new Gauge({
    name: 'wirefeed_articles',
    help: 'Articles in the store',
    registers: [registry],
    async collect() {
      this.set(await deps.articles.count('all'));
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
