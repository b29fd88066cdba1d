/**
 * bench/faults helpers: the real processes the fault benchmark mistreats — a redis-server with
 * AOF on a unix socket in a temp dir (restartable on the same socket and data), a `wirefeed start`
 * child process — plus waits that give up with what they were waiting for, and clean-up of every
 * child on exit or Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';

export const ROOT = resolve(import.meta.dirname, '..');

/** A wait that did not see what it waited for before its deadline. */
export class GaveUp extends Error {
  constructor(what: string, seconds: number, state: string) {
    super(`gave up after ${seconds.toFixed(0)} s waiting for ${what} (${state})`);
    this.name = 'GaveUp';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `check` every `everyMs` until it returns true; past `timeoutMs` throws {@link GaveUp}
 * naming `what` and the last state `describe` gives.
 */
export async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean, describe: () => Promise<string> | string, everyMs = 50): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return (performance.now() - start) / 1000;
    if (performance.now() - start > timeoutMs) throw new GaveUp(what, (performance.now() - start) / 1000, await describe());
    await sleep(everyMs);
  }
}

/** A promise that rejects after `ms` (a bench query must not hang on a dead Redis). */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

// ───────────────────────── children, cleaned up on exit and on Ctrl-C ─────────────────────────

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let keepTemp = process.env.BENCH_KEEP === '1';

export function keepTempDirs(): void {
  keepTemp = true;
}

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function tempDir(dir: string): string {
  tempDirs.add(dir);
  return dir;
}

/** Kills every child still running (SIGKILL, by pid) and removes the temp dirs. Synchronous: safe in 'exit'. */
export function cleanUp(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  children.clear();
  if (!keepTemp) for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}

process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench/faults: ${signal}, stopping every child process\n`);
    cleanUp();
    process.exit(130);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

// ───────────────────────────── redis-server ─────────────────────────────

export interface BenchRedis {
  readonly url: string;
  readonly sock: string;
  readonly dir: string;
  pid(): number;
  /** A bench-side client (reconnects by itself; closed by stop()). */
  client(): Redis;
  kill9(): Promise<void>;
  /** SIGTERM: Redis's own shutdown (AOF flushed and fsynced), then waits for the exit. */
  shutdown(): Promise<void>;
  /** Starts redis-server again on the same socket and data dir, and waits until it answers PING. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function pingable(sock: string): Promise<boolean> {
  const probe = new Redis({ path: sock, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 500 });
  probe.on('error', () => undefined);
  const ok = await probe.connect().then(() => probe.ping(), () => null).catch(() => null);
  probe.disconnect();
  return ok === 'PONG';
}

/** redis-server on a unix socket with AOF on (appendfsync everysec) and noeviction, as an operator should run it. */
export async function startBenchRedis(dir: string): Promise<BenchRedis> {
  const sock = join(dir, 'redis.sock');
  const args = [
    '--port', '0', '--unixsocket', sock, '--unixsocketperm', '700', '--dir', dir,
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction',
    '--logfile', join(dir, 'redis.log'),
  ];
  let child: ChildProcess;
  const clients: Redis[] = [];
  const launch = async () => {
    child = track(spawn('redis-server', args, { stdio: 'ignore' }));
    await waitUntil('redis-server to answer PING', 15_000, () => pingable(sock), () => `socket ${sock}, exit code ${child.exitCode}`, 30);
  };
  await launch();
  return {
    url: `unix://${sock}`,
    sock,
    dir,
    pid: () => child.pid!,
    client() {
      const c = new Redis({ path: sock, maxRetriesPerRequest: null, retryStrategy: () => 100 });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async shutdown() {
      child.kill('SIGTERM');
      await within(15_000, 'redis-server shutdown', exited(child));
    },
    restart: launch,
    async stop() {
      for (const c of clients) c.disconnect();
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

// ───────────────────────────── wirefeed ─────────────────────────────

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface WirefeedProcess {
  readonly pid: number;
  readonly url: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** null while running, else the exit code or signal. */
  exitCode(): number | string | null;
  kill9(): Promise<void>;
  /** SIGTERM (the service's own shutdown), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * `node bin/wirefeed.js start --config DIR` as a child process, logs appended to `logFile`,
 * listening on 127.0.0.1:port. Does not wait for readiness: see {@link waitReady}.
 */
export function spawnWirefeed(configDir: string, env: Record<string, string>, port: number, logFile: string): WirefeedProcess {
  const fd = openSync(logFile, 'a');
  const child = track(
    spawn(process.execPath, [join(ROOT, 'bin/wirefeed.js'), 'start', '--config', configDir], {
      cwd: configDir,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', fd, fd],
    }),
  );
  closeSync(fd);
  const done = exited(child);
  return {
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    exited: done,
    exitCode: () => child.exitCode ?? child.signalCode,
    async kill9() {
      child.kill('SIGKILL');
      await done;
    },
    async stop(graceMs = 10_000) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}

/** One GET with a client-side timeout: status and seconds (status 0 when it timed out or failed). */
export async function timedGet(url: string, timeoutMs: number): Promise<{ status: number; seconds: number; body: string }> {
  const start = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { status: res.status, seconds: (performance.now() - start) / 1000, body };
  } catch {
    return { status: 0, seconds: (performance.now() - start) / 1000, body: '' };
  }
}

/** Waits until /readyz answers 200; returns the seconds it took. */
export async function waitReady(wf: WirefeedProcess, timeoutMs: number): Promise<number> {
  let last = 'no answer yet';
  let gone = false;
  void wf.exited.then(() => (gone = true));
  return waitUntil(
    `${wf.url}/readyz to answer 200`,
    timeoutMs,
    async () => {
      if (gone) throw new Error(`wirefeed (pid ${wf.pid}) exited before it was ready`);
      const r = await timedGet(`${wf.url}/readyz`, 2000);
      last = r.status === 0 ? 'no answer within 2 s' : `${r.status}`;
      return r.status === 200;
    },
    () => `last answer: ${last}`,
    100,
  );
}

/** VmHWM (peak) and VmRSS of a process, in bytes, from /proc/<pid>/status; zeros when it is gone. */
export function memoryOf(pid: number): { hwm: number; rss: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return { hwm: 0, rss: 0 };
  }
}

/** Lines in a log file and how many of them are not one JSON object (pino writes one per line). */
export function logShape(file: string): { lines: number; notJson: number } {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { lines: 0, notJson: 0 };
  }
  let lines = 0;
  let notJson = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    lines++;
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v !== 'object' || v === null) notJson++;
    } catch {
      notJson++;
    }
  }
  return { lines, notJson };
}
