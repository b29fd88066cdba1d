/**
 * A private redis-server for a single-machine install without REDIS_URL: data under
 * `<dataDir>/redis` (append-only file on, noeviction: a queue must never lose jobs to eviction),
 * reached over a unix socket only (no TCP port to collide with or expose), stopped on exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import { processAlive } from './process-alive.ts';

export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

export const INSTALL_HINT =
  'redis-server was not found on PATH and REDIS_URL is not set: install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379';

export interface PrivateRedis {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** unix socket paths are limited to ~107 bytes; a long data dir gets a socket in the temp dir. */
function socketPath(dir: string): string {
  const inDir = join(dir, 'redis.sock');
  if (Buffer.byteLength(inDir) < 100) return inDir;
  return join(tmpdir(), `wirefeed-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}.sock`);
}

/** The URL of the private redis-server `wirefeed start` runs for `dataDir` (when it runs). */
export function privateRedisUrl(dataDir: string): string {
  return `unix://${socketPath(resolve(dataDir, 'redis'))}`;
}

async function ping(path: string): Promise<boolean> {
  const client = new Redis({ path, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Asks an orphaned private redis to shut down (flushing its append-only file) and waits. */
async function shutdownOrphan(path: string): Promise<void> {
  const client = new Redis({ path, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, lazyConnect: true });
  client.on('error', () => undefined);
  await client.connect().catch(() => undefined);
  await client.call('SHUTDOWN').catch(() => undefined); // the connection closes as the server exits
  client.disconnect();
  for (let i = 0; i < 100 && (await ping(path)); i++) await new Promise((r) => setTimeout(r, 50));
}

export async function startPrivateRedis(dataDir: string, logger: Logger, timeoutMs = 15_000): Promise<PrivateRedis> {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new RedisUnavailableError(INSTALL_HINT);

  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const sock = socketPath(dir);
  // The private redis runs in its own process group (below), so it outlives a Wirefeed that was
  // killed outright. The pid file tells an orphan from a redis another Wirefeed still uses.
  const pidFile = join(dir, 'wirefeed.pid');
  if (existsSync(sock)) {
    if (await ping(sock)) {
      const owner = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) || null : null;
      if (owner !== null && owner !== process.pid && processAlive(owner)) {
        throw new RedisUnavailableError(`a redis-server is already serving ${sock}: another Wirefeed (pid ${owner}) is running with data dir ${resolve(dataDir)}`);
      }
      logger.warn({ socket: sock }, 'stopping the private redis-server left behind by a Wirefeed that died');
      await shutdownOrphan(sock);
    }
    rmSync(sock, { force: true });
  }
  writeFileSync(pidFile, `${process.pid}\n`);

  const args = [
    '--port', '0',
    '--unixsocket', sock,
    '--unixsocketperm', '700',
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--save', '',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
    '--loglevel', 'warning',
  ];
  // detached: a Ctrl-C or a signal to the whole process group must not stop Redis before the
  // workers have finished their jobs; the shutdown path stops it last.
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 20) output.shift();
      logger.debug({ redis: line }, 'redis-server');
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  const exit = new Promise<void>((done) => child.once('exit', () => ((exited = true), done())));

  const deadline = Date.now() + timeoutMs;
  while (!(await ping(sock))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new RedisUnavailableError(`private redis-server did not start (data dir ${dir}): ${output.slice(-3).join(' | ') || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  logger.info({ dir, socket: sock }, 'private redis-server started');

  return {
    url: privateRedisUrl(dataDir),
    dir,
    async stop() {
      if (exited) return;
      // SIGTERM makes redis flush the append-only file and exit cleanly.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
