/**
 * The private redis-server of `wirefeed start`: its own process group, a pid file naming the
 * Wirefeed that uses it, an orphan left by a killed Wirefeed stopped and replaced at the next
 * start, a redis another live Wirefeed uses left alone.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/log/logger.ts';
import { RedisUnavailableError, startPrivateRedis } from '../../src/queue/private-redis.ts';
import { redisAvailable } from '../helpers/redis-server.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (apt-get install redis-server)';
const quiet = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));

async function ping(url: string): Promise<string> {
  const client = new Redis({ path: new URL(url).pathname, maxRetriesPerRequest: 1 });
  try {
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

test('an orphan left by a dead Wirefeed is stopped and replaced; a live owner is refused', { skip, timeout: 30_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wf-priv-'));
  const first = await startPrivateRedis(dataDir, quiet);
  assert.equal(readFileSync(join(dataDir, 'redis', 'wirefeed.pid'), 'utf8').trim(), String(process.pid));
  const writer = new Redis({ path: new URL(first.url).pathname });
  await writer.set('kept', 'yes');
  writer.disconnect();

  // Another Wirefeed, alive, owns it: refused.
  const sleeper = spawn('sleep', ['30']);
  writeFileSync(join(dataDir, 'redis', 'wirefeed.pid'), `${sleeper.pid}\n`);
  await assert.rejects(startPrivateRedis(dataDir, quiet), (err: unknown) => err instanceof RedisUnavailableError && /another Wirefeed \(pid \d+\) is running/.test(err.message));
  sleeper.kill('SIGKILL');

  // Its owner died (a pid that no longer runs): the orphan is shut down and a new one serves the same data.
  const dead = spawnSync('true').pid!;
  writeFileSync(join(dataDir, 'redis', 'wirefeed.pid'), `${dead}\n`);
  const second = await startPrivateRedis(dataDir, quiet);
  assert.equal(await ping(second.url), 'PONG');
  const client = new Redis({ path: new URL(second.url).pathname });
  assert.equal(await client.get('kept'), 'yes', 'the append-only file carried the data over');
  client.disconnect();
  await second.stop();
  await first.stop(); // already gone: a no-op
});
