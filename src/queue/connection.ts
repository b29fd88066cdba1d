/**
 * Redis connections. `redis://`, `rediss://` and `unix:///path/to/redis.sock` URLs are accepted.
 * Worker connections retry forever (BullMQ requires maxRetriesPerRequest: null); client
 * connections used on request paths fail fast instead of hanging a reader's request.
 */
import { Redis, type RedisOptions } from 'ioredis';

export type ConnectionRole = 'worker' | 'client';

export function redisOptions(url: string, role: ConnectionRole): RedisOptions {
  const common: RedisOptions = {
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    enableReadyCheck: true,
    connectionName: `wirefeed-${role}`,
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
