/**
 * Redis connections. `redis://`, `rediss://` and `unix:///path/to/redis.sock` URLs are accepted.
 *
 * Two kinds, never mixed:
 * - `worker`: BullMQ's workers and the stores they write through. Commands wait through an
 *   outage (BullMQ requires maxRetriesPerRequest: null) and run once Redis is back.
 * - `client`: what the HTTP routes read and enqueue through. It fails fast: no offline queue (a
 *   command while disconnected rejects at once), one resend of a command cut by a dropped
 *   connection, and a command timeout for a Redis that is up but does not answer. A reader then
 *   gets a cached feed or a 503 at once, not a request hung for the whole outage.
 *
 * Both reconnect forever, at most {@link MAX_RECONNECT_DELAY_MS} apart, so each is back within
 * about two seconds of Redis.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../log/logger.ts';

export type ConnectionRole = 'worker' | 'client';

/** Longest wait between two reconnection attempts. */
export const MAX_RECONNECT_DELAY_MS = 2_000;
/** A `client` command not answered within this long fails ("Command timed out"). */
export const CLIENT_COMMAND_TIMEOUT_MS = 1_000;

/** Reconnect delay: 100 ms, 200 ms, … up to {@link MAX_RECONNECT_DELAY_MS}; never gives up. */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS);
}

export function redisOptions(url: string, role: ConnectionRole): RedisOptions {
  const common: RedisOptions = {
    enableReadyCheck: true,
    connectionName: `wirefeed-${role}`,
    retryStrategy: reconnectDelay,
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: CLIENT_COMMAND_TIMEOUT_MS, connectTimeout: 2_000 }),
  };
  if (url.startsWith('unix:')) {
    const u = new URL(url);
    return { ...common, path: decodeURIComponent(u.pathname), db: Number(u.searchParams.get('db') ?? 0) };
  }
  const u = new URL(url);
  return {
    ...common,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number(u.pathname.replace(/^\//, '') || 0),
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

export function createRedis(url: string, role: ConnectionRole): Redis {
  return new Redis(redisOptions(url, role));
}

/**
 * A `client` connection that hears Redis's invalidation messages (src/http/tracked-etags.ts):
 * RESP2, where they come as pub/sub messages (ioredis drops RESP3's invalidate pushes), and no
 * automatic resubscription, which the tracker does itself once it knows the new connection's id.
 */
export function createInvalidationSubscriber(url: string): Redis {
  return new Redis({ ...redisOptions(url, 'client'), protocol: 2, autoResubscribe: false });
}

/** Waits until `redis` answers PING (either kind of connection), or throws after `timeoutMs`. */
export async function waitReady(redis: Redis, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await redis.ping()) === 'PONG') return;
    } catch (err) {
      if (Date.now() > deadline) {
        throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
