/**
 * The parts of RedisHealth that do not need a Redis: which errors count as "Redis unreachable",
 * and errors of another kind logged as they come, repeats held back, nothing after shutdown.
 * Its connection states, with real clients on a real redis-server that is killed and restarted,
 * are in tests/integration/redis-outage.test.ts.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/log/logger.ts';
import { REPEAT_WINDOW_MS, RedisHealth, isConnectionError } from '../../src/queue/redis-health.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

const tick = () => new Promise((r) => setImmediate(r));
const errno = (message: string, code: string) => Object.assign(new Error(message), { code });

test('connection errors: refused, reset, missing socket, closed, offline, timed out, retries spent', () => {
  for (const err of [
    errno('connect ECONNREFUSED /tmp/x/redis.sock', 'ECONNREFUSED'),
    errno('read ECONNRESET', 'ECONNRESET'),
    errno('connect ENOENT /tmp/x/redis.sock', 'ENOENT'),
    errno('getaddrinfo EAI_AGAIN redis', 'EAI_AGAIN'),
    new Error('Connection is closed.'),
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    new Error('Command timed out'),
    Object.assign(new Error('Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.'), { name: 'MaxRetriesPerRequestError' }),
    new Error('LOADING Redis is loading the dataset in memory'),
  ]) {
    assert.equal(isConnectionError(err), true, err.message);
  }
  for (const err of [
    new Error("ERR unknown command 'nosuch'"),
    new Error('Missing lock for job 42. moveToFinished'),
    new Error('OOM command not allowed when used memory > maxmemory'),
    'ECONNREFUSED as a string is no error object',
  ]) {
    assert.equal(isConnectionError(err), false, String(err));
  }
});

test('other errors are logged with their source, the same one at most once a minute', async () => {
  const { logger, lines } = capture();
  let now = 1_000_000;
  const group = new RedisHealth(logger, { now: () => now }).group('workers');
  const worker = new EventEmitter();
  group.watchErrors(worker, 'worker ingest');
  for (let i = 0; i < 50; i++) worker.emit('error', new Error('Missing lock for job 7. moveToFinished'));
  worker.emit('error', new Error('OOM command not allowed'));
  await tick();
  assert.deepEqual(lines.map((l) => l.msg), ['worker ingest: Missing lock for job 7. moveToFinished', 'worker ingest: OOM command not allowed']);
  assert.equal(lines[0]!.component, 'redis-health');
  assert.equal(lines[0]!.source, 'worker ingest');
  assert.equal(lines[0]!.level, 50);
  now += REPEAT_WINDOW_MS;
  worker.emit('error', new Error('Missing lock for job 7. moveToFinished'));
  await tick();
  assert.equal(lines.length, 3);
  assert.equal(lines[2]!.repeated, 49, 'the line after the window counts the repeats held back');
  assert.equal(group.up, true, 'such errors say nothing about the connection');
});

test('nothing is logged once the service is shutting down', async () => {
  const { logger, lines } = capture();
  const shutdown = new AbortController();
  const group = new RedisHealth(logger, { signal: shutdown.signal }).group('workers');
  const worker = new EventEmitter();
  group.watchErrors(worker, 'worker publish');
  shutdown.abort();
  worker.emit('error', new Error('Connection is closed.'));
  worker.emit('error', new Error('Missing lock for job 1'));
  await tick();
  assert.deepEqual(lines, []);
});
