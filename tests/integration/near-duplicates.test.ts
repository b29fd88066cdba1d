import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ArticleStore } from '../../src/store/article-store.ts';
import { DuplicateIndex } from '../../src/store/duplicate-index.ts';
import { keys } from '../../src/store/keys.ts';
import { article, topics } from '../helpers/article.ts';
import { useTestRedis } from '../helpers/redis-server.ts';

const { skip, redis } = useTestRedis();

const body = readFileSync('tests/fixtures/wire/seed-ar-kremlin.txt', 'utf8')
  .split(/\n\s*\n/)
  .map((p) => p.trim())
  .filter(Boolean)
  .slice(1, 15);

function carried(id: string, sourceId: string, paragraphs: string[], updated: string) {
  return article(id, { sourceId, language: 'ar', headline: `بوتين وترامب يبحثان سوق النفط ${id}`, bodyText: paragraphs.join('\n\n'), topics: topics('economy', 'politics'), updated, contentHash: `h-${id}` });
}

test('the same agency story from three outlets is one article in the topic feeds; the others stay in their sources', { skip }, async () => {
  const client = redis.client();
  const prefix = redis.prefix();
  const store = new ArticleStore(client, prefix);
  const dedupe = new DuplicateIndex(client, prefix);
  const first = carried('outlet-a', 'a', body, '2026-11-20T10:00:00.000Z');
  const second = carried('outlet-b', 'b', body.slice(0, 12), '2026-11-20T10:30:00.000Z');
  const third = carried('outlet-c', 'c', [...body.slice(1), 'المصدر: وكالات'], '2026-11-20T11:00:00.000Z');
  const unrelated = carried('outlet-d', 'd', ['مباراة', ...Array.from({ length: 30 }, (_, i) => `الفريق سجل الهدف رقم ${i} في الشوط الثاني من المباراة النهائية`)], '2026-11-20T12:00:00.000Z');

  assert.equal(await dedupe.resolve([first]), 0);
  await store.upsertBatch([first]);
  assert.equal(await dedupe.resolve([second, unrelated]), 1);
  assert.equal(second.duplicateOf, 'outlet-a');
  assert.equal(unrelated.duplicateOf, null);
  await store.upsertBatch([second, unrelated]);
  assert.equal(await dedupe.resolve([third]), 1);
  assert.equal(third.duplicateOf, 'outlet-a', 'a copy of a copy points at the first');
  await store.upsertBatch([third]);

  assert.deepEqual((await store.newest('economy', 10)).map((a) => a.id), ['outlet-d', 'outlet-a']);
  assert.deepEqual((await store.newest('all', 10)).map((a) => a.id), ['outlet-d', 'outlet-a']);
  assert.deepEqual((await store.newest('source:b', 10)).map((a) => a.id), ['outlet-b']);
  assert.deepEqual((await client.smembers(`${prefix}:alt:outlet-a`)).sort(), ['outlet-b', 'outlet-c']);

  // Re-ingesting the first outlet's copy keeps it first, and changes nothing.
  assert.equal(await dedupe.resolve([first]), 0);
  assert.equal((await store.upsertBatch([first])).unchanged, 1);
});

test('a story repeated inside one document counts once', { skip }, async () => {
  const dedupe = new DuplicateIndex(redis.client(), redis.prefix());
  const a = carried('x1', 'x', body, '2026-11-20T10:00:00.000Z');
  const b = carried('x2', 'x', body, '2026-11-20T10:00:00.000Z');
  assert.equal(await dedupe.resolve([a, b]), 1);
  assert.deepEqual([a.duplicateOf, b.duplicateOf], [null, 'x1']);
});

test('a document of 8,000 articles is resolved in pipelines; a copy 7,000 articles after its first is still found', { skip }, async () => {
  const client = redis.client();
  const prefix = redis.prefix();
  const dedupe = new DuplicateIndex(client, prefix);
  let seed = 11;
  const word = () => `w${((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) % 5000)}`;
  const texts = Array.from({ length: 8000 }, () => Array.from({ length: 40 }, word).join(' '));
  texts[7010] = texts[10]!;
  const batch = texts.map((t, i) => article(`big-${i}`, { sourceId: 'big', language: 'en', headline: `story ${i}`, bodyText: t }));
  assert.equal(await dedupe.resolve(batch), 1);
  assert.equal(batch[7010]!.duplicateOf, 'big-10');
  // Every article is indexed, the last chunk's too.
  assert.equal(await client.exists(keys(prefix).signature('big-7999')), 1);
});
