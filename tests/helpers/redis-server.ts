/**
 * A real redis-server for the tests, started by the test run itself on a unix socket in a fresh
 * temp dir (no TCP port, so it can never touch another Redis's data). Each test file gets its
 * own server; each test uses its own key prefix.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  /** A new client (closed by stop()). */
  client(): Redis;
  /** A unique key prefix for one test. */
  prefix(): string;
  stop(): Promise<void>;
}

export function redisAvailable(): boolean {
  return !spawnSync('redis-server', ['--version']).error;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-redis-'));
  const sock = join(dir, 'redis.sock');
  const child = spawn('redis-server', ['--port', '0', '--unixsocket', sock, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction'], {
    stdio: 'ignore',
  });
  const clients: Redis[] = [];
  const connect = () => {
    const c = new Redis({ path: sock, maxRetriesPerRequest: null });
    clients.push(c);
    return c;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ path: sock, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    const ok = await probe.connect().then(() => probe.ping(), () => null);
    probe.disconnect();
    if (ok === 'PONG') break;
    if (Date.now() > deadline) throw new Error('test redis-server did not start');
    await new Promise((r) => setTimeout(r, 30));
  }
  return {
    url: `unix://${sock}`,
    client: connect,
    prefix: () => `t${randomBytes(4).toString('hex')}`,
    async stop() {
      for (const c of clients) c.disconnect();
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The usual set-up of a test file: one redis-server for the file, started before its tests and
 * stopped after; `skip` says why when redis-server is not installed.
 */
export function useTestRedis(): { skip: string | false; redis: TestRedis } {
  const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
  let server: TestRedis | undefined;
  before(async () => {
    if (!skip) server = await startRedis();
  });
  after(async () => {
    await server?.stop();
  });
  const redis: TestRedis = {
    get url() {
      return server!.url;
    },
    client: () => server!.client(),
    prefix: () => server!.prefix(),
    stop: async () => server?.stop(),
  };
  return { skip, redis };
}
