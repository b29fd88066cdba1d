/**
 * A real redis-server for the tests, started by the test run itself on a unix socket in a fresh
 * temp dir (no TCP port, so it can never touch another Redis's data). Each test file gets its
 * own server; each test uses its own key prefix. Outage tests `kill()` it (SIGKILL) and
 * `restart()` it on the same socket path; with `{ appendonly: true }` it keeps its data across.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
  /** SIGKILLs the server (an outage); the socket path stays reserved for `restart()`. */
  kill(): Promise<void>;
  /** Starts the server again on the same socket path (after `kill()`, or killing it first). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestRedisOptions {
  /** Append-only file with fsync on every write: the data survives `kill()` and `restart()`. */
  appendonly?: boolean;
}

export function redisAvailable(): boolean {
  return !spawnSync('redis-server', ['--version']).error;
}

async function waitForPong(sock: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ path: sock, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    const ok = await probe.connect().then(() => probe.ping(), () => null);
    probe.disconnect();
    if (ok === 'PONG') return;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('test redis-server did not start');
    await new Promise((r) => setTimeout(r, 30));
  }
}

export async function startRedis(opts: TestRedisOptions = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-redis-'));
  const sock = join(dir, 'redis.sock');
  const persistence = opts.appendonly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = ['--port', '0', '--unixsocket', sock, '--unixsocketperm', '700', '--save', '', ...persistence, '--dir', dir, '--maxmemory-policy', 'noeviction'];
  const spawnServer = () => spawn('redis-server', args, { stdio: 'ignore' });
  let child = spawnServer();
  const clients: Redis[] = [];
  const connect = () => {
    const c = new Redis({ path: sock, maxRetriesPerRequest: null });
    // A test's own client lives through kill()/restart() too: its reconnect errors are expected.
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  await waitForPong(sock, child);
  return {
    url: `unix://${sock}`,
    client: connect,
    prefix: () => `t${randomBytes(4).toString('hex')}`,
    kill,
    async restart() {
      await kill();
      child = spawnServer();
      await waitForPong(sock, child);
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await kill();
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
    kill: () => server!.kill(),
    restart: () => server!.restart(),
    stop: async () => server?.stop(),
  };
  return { skip, redis };
}
