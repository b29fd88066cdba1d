/**
 * The dead-letter store (issue 11, "Dead letters"): a letter keeps its bytes up to the cap and
 * says when they were cut; the same document failing again is one letter whose attempts add up;
 * the bounds (per source, in all, by age) keep a broken source from filling Redis or pushing out
 * the letters of the others; the per-source counts follow every change.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import { DEAD_LETTER_LIMITS, DeadLetterStore, capUtf8, deadLetterLimits, type DeadLetterInput } from '../../src/store/dead-letters.ts';
import { keys } from '../../src/store/keys.ts';
import { useTestRedis } from '../helpers/redis-server.ts';

const { skip, redis } = useTestRedis();
const T0 = Date.UTC(2030, 0, 1);
const DAY = 86_400_000;

function letter(id: string, sourceId: string, body = `<rss>${id}</rss>`): DeadLetterInput {
  return {
    id, kind: 'document', sourceId, jobId: id, file: null, path: null, url: `http://127.0.0.1/${sourceId}.xml`, contentType: 'application/rss+xml',
    receivedAt: new Date(T0).toISOString(), code: 'PARSE_ERROR', message: `source ${sourceId}: unexpected end`, body, itemIndex: null, attempts: 1,
  };
}

test('capUtf8 cuts on a character boundary and says so', () => {
  const cases: { text: string; max: number; text_: string; size: number; truncated: boolean }[] = [
    { text: 'abc', max: 3, text_: 'abc', size: 3, truncated: false },
    { text: 'abcd', max: 3, text_: 'abc', size: 4, truncated: true },
    // "ض" is two bytes: a cap falling inside it keeps the bytes before it.
    { text: 'aضb', max: 2, text_: 'a', size: 4, truncated: true },
    { text: 'aضb', max: 3, text_: 'aض', size: 4, truncated: true },
    { text: '😀😀', max: 6, text_: '😀', size: 8, truncated: true },
  ];
  for (const c of cases) assert.deepEqual(capUtf8(c.text, c.max), { text: c.text_, size: c.size, truncated: c.truncated }, `${c.text} at ${c.max}`);
});

test('a letter keeps its record and bytes up to the cap; failing again is the same letter with its attempts added up', { skip }, async () => {
  const store = new DeadLetterStore(redis.client(), redis.prefix(), { maxBytes: 1024 });
  const big = 'ع'.repeat(1000); // 2,000 bytes
  await store.put({ ...letter('doc-a', 'wire', big), attempts: 3 }, T0);
  const first = await store.get('doc-a');
  assert.ok(first);
  assert.equal(first.truncated, true);
  assert.equal(first.size, 2000);
  assert.equal(first.body, 'ع'.repeat(512));
  assert.deepEqual({ code: first.code, attempts: first.attempts, firstAt: first.firstAt, lastAt: first.lastAt }, { code: 'PARSE_ERROR', attempts: 3, firstAt: T0, lastAt: T0 });

  const again = await store.put({ ...letter('doc-a', 'wire', big), code: 'NOT_A_FEED', message: 'an HTML page' }, T0 + 60_000);
  assert.equal(again.attempts, 4);
  const second = (await store.get('doc-a'))!;
  assert.deepEqual({ code: second.code, message: second.message, firstAt: second.firstAt, lastAt: second.lastAt }, { code: 'NOT_A_FEED', message: 'an HTML page', firstAt: T0, lastAt: T0 + 60_000 });
  assert.deepEqual((await store.list(T0 + 60_000)).map((l) => l.id), ['doc-a']);
  assert.deepEqual(await store.counts(T0 + 60_000), { wire: 1 });
  assert.equal(await store.get('doc-nope'), null);
});

test('bounds: a flooding source keeps its newest letters only, the others keep theirs, the total and the age are capped, counts follow', { skip }, async () => {
  const client = redis.client();
  const prefix = redis.prefix();
  const store = new DeadLetterStore(client, prefix, { perSource: 5, total: 8, maxAgeMs: 7 * DAY });
  await store.put(letter('good-1', 'good'), T0);
  await store.put(letter('good-2', 'good'), T0 + 1);
  for (let i = 0; i < 50; i++) await store.put(letter(`bad-${i}`, 'bad'), T0 + 10 + i);
  const listed = await store.list(T0 + 100);
  assert.deepEqual(listed.map((l) => l.id), ['bad-49', 'bad-48', 'bad-47', 'bad-46', 'bad-45', 'good-2', 'good-1']);
  assert.deepEqual(await store.counts(T0 + 100), { good: 2, bad: 5 });
  // Nothing of the evicted letters is left behind.
  assert.equal(await client.exists(keys(prefix).deadLetter('bad-0')), 0);
  assert.equal(await client.zcard(keys(prefix).deadLetters), 7);

  // In all: at most 8 — the oldest go, whatever their source.
  for (const s of ['c', 'd']) await store.put(letter(`${s}-1`, s), T0 + 200);
  assert.equal((await store.list(T0 + 300)).length, 8);
  assert.deepEqual(await store.counts(T0 + 300), { good: 1, bad: 5, c: 1, d: 1 });

  // Past the age, a letter goes at the next listing or count, even with no new letter since.
  await store.put(letter('late', 'good'), T0 + 8 * DAY);
  assert.deepEqual((await store.list(T0 + 8 * DAY)).map((l) => l.id), ['late']);
  assert.deepEqual(await store.counts(T0 + 8 * DAY), { good: 1 });

  // Dropping forgets the letter and its count.
  assert.equal(await store.drop('late'), true);
  assert.equal(await store.drop('late'), false);
  assert.deepEqual(await store.counts(T0 + 8 * DAY), {});
  assert.deepEqual(await client.keys(`${prefix}:dl*`), []);
});

test('the bounds are settings (settings.yaml or environment), with the defaults of the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-dl-config-'));
  writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: wire\n    type: directory\n    path: ./inbox\n');
  assert.deepEqual(deadLetterLimits(loadConfig(dir, {}).settings.deadLetters), DEAD_LETTER_LIMITS);
  const env = { DEAD_LETTER_MAX_BYTES: '64kB', DEAD_LETTERS_PER_SOURCE: '20', DEAD_LETTERS_TOTAL: '200', DEAD_LETTER_MAX_AGE: '2d' };
  assert.deepEqual(deadLetterLimits(loadConfig(dir, env).settings.deadLetters), { maxBytes: 64 * 1024, perSource: 20, total: 200, maxAgeMs: 2 * DAY });
  writeFileSync(join(dir, 'settings.yaml'), 'deadLetters:\n  total: 0\n');
  assert.throws(() => loadConfig(dir, {}), /deadLetters\.total/);
});
