/**
 * The one place that starts Wirefeed and the single shutdown path: Redis (given or private),
 * queues, job schedulers, workers, HTTP server; and on stop, in reverse, with a grace period.
 */
import { Worker, type ConnectionOptions } from 'bullmq';
import type { WirefeedConfig } from '../config/load-config.ts';
import { createHttpServer, type HttpServer } from '../http/server.ts';
import { TrackedEtags } from '../http/tracked-etags.ts';
import { createPipeline } from '../ingest/pipeline.ts';
import { redactUrl, type Logger } from '../log/logger.ts';
import { INDEX_PAGE, feedCatalog } from '../render/feed-catalog.ts';
import { ArticleStore } from '../store/article-store.ts';
import { DuplicateIndex } from '../store/duplicate-index.ts';
import { DeadLetterStore, deadLetterLimits } from '../store/dead-letters.ts';
import { FeedStore } from '../store/feed-store.ts';
import { keys } from '../store/keys.ts';
import { PollLeases } from '../store/poll-lease.ts';
import { SourceStateStore } from '../store/source-state.ts';
import { ClaimOwner } from '../fetch/claim-owner.ts';
import { fetchProcessor, recoverClaimsAtStart } from '../../workers/fetch-worker.ts';
import { ingestProcessor } from '../../workers/ingest-worker.ts';
import { publishProcessor } from '../../workers/publish-worker.ts';
import type { WorkerDeps } from '../../workers/deps.ts';
import { createInvalidationSubscriber, createRedis, redisOptions, waitReady } from './connection.ts';
import { startPrivateRedis, type PrivateRedis } from './private-redis.ts';
import { RedisHealth } from './redis-health.ts';
import { JOB, WORKER_OPTIONS, createQueues, pollSchedulerId, schedulePublish, type QueueName, type Queues } from './registry.ts';

export interface Roles {
  /** Serve HTTP. */
  http: boolean;
  /** Queues this process works on. */
  queues: readonly QueueName[];
  /** Keep job schedulers in line with sources.yaml and publish every feed once at start. */
  scheduler: boolean;
}

export interface RunningService {
  /** Base URL of the HTTP server when it runs. */
  url: string | null;
  redisUrl: string;
  stop(reason?: string): Promise<void>;
}

const PRUNE_SCHEDULER = 'retention-prune';

/** Makes the job schedulers match the enabled sources: one per source, stale ones removed. */
async function syncSchedulers(config: WirefeedConfig, queues: Queues, logger: Logger): Promise<void> {
  // Push sources are not polled: their documents arrive on POST /ingest/{id}.
  const wanted = new Map<string, { id: string; every: number }>();
  for (const s of config.sources) if (s.enabled && s.type !== 'push') wanted.set(pollSchedulerId(s.id), s);
  for (const existing of await queues.fetch.getJobSchedulers(0, -1)) {
    if (existing.key && !wanted.has(existing.key)) await queues.fetch.removeJobScheduler(existing.key);
  }
  for (const [id, source] of wanted) {
    await queues.fetch.upsertJobScheduler(id, { every: source.every }, { name: JOB.poll, data: { sourceId: source.id } });
  }
  await queues.publish.upsertJobScheduler(PRUNE_SCHEDULER, { every: 3_600_000 }, { name: JOB.prune, data: { feed: '' } });
  logger.info({ sources: wanted.size }, 'job schedulers in place');
}

export async function startService(config: WirefeedConfig, roles: Roles, logger: Logger): Promise<RunningService> {
  const { settings } = config;
  const cleanups: Array<() => Promise<unknown>> = [];
  const controller = new AbortController();
  let stopping: Promise<void> | null = null;

  const stop = (reason = 'stop') => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      controller.abort();
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((err: unknown) => logger.warn({ err }, 'error during shutdown'));
      }
      logger.info('stopped');
      logger.flush();
    })();
    return stopping;
  };

  try {
    let redisUrl = settings.redisUrl;
    if (!redisUrl) {
      const priv: PrivateRedis = await startPrivateRedis(settings.dataDir, logger);
      cleanups.push(() => priv.stop());
      redisUrl = priv.url;
    }
    // Every client, queue and worker is watched: an outage logs its state changes, never a line
    // per retry, and no error event goes unheard (ioredis and BullMQ print those to stderr).
    const health = new RedisHealth(logger, { signal: controller.signal });
    const workerSide = health.group('workers');
    const redis = createRedis(redisUrl, 'worker');
    workerSide.watchClient(redis, 'workers connection');
    cleanups.push(async () => redis.quit().catch(() => redis.disconnect()));
    await waitReady(redis, redisUrl, 15_000);

    const prefix = settings.redisPrefix;
    const queues = createQueues(redis, keys(prefix).queuePrefix);
    for (const [name, q] of Object.entries(queues)) workerSide.watchErrors(q, `queue ${name}`);
    cleanups.push(() => Promise.all(Object.values(queues).map((q) => q.close())));

    const deps: WorkerDeps = {
      config,
      pipeline: createPipeline(config),
      queues,
      articles: new ArticleStore(redis, prefix, settings.feedLanguages),
      duplicates: new DuplicateIndex(redis, prefix),
      deadLetters: new DeadLetterStore(redis, prefix, deadLetterLimits(settings.deadLetters)),
      feeds: new FeedStore(redis, prefix),
      sourceState: new SourceStateStore(redis, prefix),
      leases: new PollLeases(redis, prefix),
      claimOwner: new ClaimOwner(redis, prefix),
      logger,
      now: () => new Date(),
      signal: controller.signal,
    };

    const processors = { fetch: fetchProcessor(deps), ingest: ingestProcessor(deps), publish: publishProcessor(deps) };
    const concurrency: Record<QueueName, number> = {
      fetch: settings.fetch.concurrency,
      ingest: settings.ingest.concurrency,
      publish: 2,
    };
    if (roles.queues.includes('fetch')) {
      // Directory claims are made under this process's owner id, alive while its heartbeat is;
      // the heartbeat stops after the workers have closed (cleanups run in reverse).
      await deps.claimOwner.start();
      cleanups.push(() => deps.claimOwner.stop());
      await recoverClaimsAtStart(deps);
    }
    for (const name of roles.queues) {
      const worker = new Worker(name, processors[name] as never, {
        // Options, not a client: BullMQ then owns these connections and closes them with the worker.
        connection: redisOptions(redisUrl, 'worker') as ConnectionOptions,
        prefix: keys(prefix).queuePrefix,
        concurrency: concurrency[name],
        // Lock and stall checks: a killed process's jobs re-run within 10 s (see the registry).
        ...WORKER_OPTIONS,
      });
      worker.on('failed', (job, err) => logger.debug({ queue: name, jobId: job?.id, err: err.message }, 'job failed'));
      workerSide.watchErrors(worker, `worker ${name}`);
      // Closing waits for active jobs to finish: the grace period of the shutdown.
      cleanups.push(() => worker.close());
    }

    if (roles.scheduler) {
      await syncSchedulers(config, queues, logger);
      // Every feed and the home page are rendered once at start, so new topics and changed titles show at once.
      await schedulePublish(queues.publish, [...feedCatalog(config).map((f) => f.id), INDEX_PAGE.id], Date.now(), settings.publishWindow);
    }

    let server: HttpServer | null = null;
    if (roles.http) {
      // The HTTP side never shares the workers' connection (its commands wait out an outage): its
      // own fails fast, and so do the queues push enqueues on.
      const httpSide = health.group('http');
      const httpRedis = createRedis(redisUrl, 'client');
      httpSide.watchClient(httpRedis, 'http connection');
      cleanups.push(async () => httpRedis.quit().catch(() => httpRedis.disconnect()));
      await waitReady(httpRedis, redisUrl, 15_000);
      const httpQueues = createQueues(httpRedis, keys(prefix).queuePrefix);
      for (const [name, q] of Object.entries(httpQueues)) httpSide.watchErrors(q, `http queue ${name}`);
      cleanups.push(() => Promise.all(Object.values(httpQueues).map((q) => q.close())));
      // The feeds' ETags, held in this process and kept current by Redis: two connections of their own.
      const etagReader = createRedis(redisUrl, 'client');
      const etagSubscriber = createInvalidationSubscriber(redisUrl);
      for (const [conn, name] of [[etagReader, 'etag reader'], [etagSubscriber, 'etag subscriber']] as const) {
        httpSide.watchClient(conn, `http ${name}`);
        cleanups.push(async () => conn.quit().catch(() => conn.disconnect()));
      }
      const etags = new TrackedEtags(etagReader, etagSubscriber, prefix);
      server = await createHttpServer({
        config,
        redis: httpRedis,
        queues: httpQueues,
        articles: new ArticleStore(httpRedis, prefix, settings.feedLanguages),
        feeds: new FeedStore(httpRedis, prefix),
        etags,
        health,
        logger,
      });
      cleanups.push(() => server!.close());
      await server.listen();
    }
    logger.info({ redis: redactUrl(redisUrl), http: server?.url ?? null, queues: roles.queues }, 'wirefeed started');
    return { url: server?.url ?? null, redisUrl, stop };
  } catch (err) {
    await stop('start failed');
    throw err;
  }
}
