/**
 * Starts the service in-process on a test Redis with its own key prefix, with a config written
 * to a temp dir and logs captured for assertions.
 */
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type WirefeedConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { startService, type Roles, type RunningService } from '../../src/queue/lifecycle.ts';
import type { TestRedis } from './redis-server.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface TestService {
  service: RunningService;
  config: WirefeedConfig;
  prefix: string;
  dir: string;
  /** Parsed pino lines logged so far. */
  logs(): Array<Record<string, unknown>>;
}

export async function startTestService(
  redis: TestRedis,
  sourcesYaml: string,
  opts: { roles?: Roles; env?: Record<string, string>; dir?: string } = {},
): Promise<TestService> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'wf-svc-'));
  writeFileSync(join(dir, 'sources.yaml'), sourcesYaml);
  copyFileSync(join(ROOT, 'config/topics.yaml'), join(dir, 'topics.yaml'));
  const prefix = redis.prefix();
  const config = loadConfig(dir, { REDIS_URL: redis.url, REDIS_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1', PUBLISH_WINDOW: '300ms', LOG_LEVEL: 'debug', ...opts.env });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('debug', sink);
  const service = await startService(config, opts.roles ?? { http: false, queues: ['fetch', 'ingest', 'publish'], scheduler: true }, logger);
  return { service, config, prefix, dir, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Polls `fn` until it returns something other than undefined. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
