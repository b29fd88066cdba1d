import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import type { SourceConfig } from '../../src/config/schema.ts';
import { ingestDocument } from '../../src/ingest/ingest-document.ts';
import { createPipeline } from '../../src/ingest/pipeline.ts';

const config = loadConfig('config', {});
const pipeline = createPipeline(config);
const inbox: SourceConfig = { id: 'agency-inbox', type: 'directory', path: '.', every: 5000, topics: [], categories: {}, enabled: true };
const NOW = new Date('2026-11-21T12:00:00.000Z');

test('the seed becomes one Arabic article filed under exactly economy, health, politics and science-technology', async () => {
  const body = readFileSync('tests/fixtures/wire/seed-ar-kremlin.txt', 'utf8');
  const { format, articles, skipped } = await ingestDocument({ body }, inbox, pipeline, NOW);
  assert.equal(format, 'plain-text');
  assert.deepEqual(skipped, []);
  assert.equal(articles.length, 1);
  const [a] = articles;
  // The shipped model reads the story's thread, the Kremlin call, as politics; keyword rules add
  // the themes its paragraphs develop: the oil market, the pandemic and the space station.
  assert.deepEqual(
    a!.topics.map((t) => [t.slug, t.code, t.origin]).sort(),
    [
      ['economy', '04000000', 'rule'],
      ['health', '07000000', 'rule'],
      ['politics', '11000000', 'model'],
      ['science-technology', '13000000', 'rule'],
    ],
  );
  assert.equal(a!.sourceId, 'agency-inbox');
  assert.equal(a!.language, 'ar');
  // The lede's "أعلن الكرملين، الجمعة" dates the story: the Friday before the Saturday reception
  // (src/normalize/normalize-item.ts, published rule), no longer the reception time itself.
  assert.match(a!.published, /^2026-11-20T12:00:[0-5]\d\.\d{3}Z$/, 'the day of its lede, at noon UTC');
});

test('source topics and the category map add topics with their origin; duplicates in a document collapse', async () => {
  const source: SourceConfig = { ...inbox, id: 'mapped', topics: ['weather'], categories: { 'Sports News': 'sport' } };
  const item = '<item><guid>x1</guid><title>A quiet day</title><category>sports news</category><description>Nothing happened.</description></item>';
  const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link><description>d</description>${item}${item}</channel></rss>`;
  const { articles } = await ingestDocument({ body }, source, pipeline, NOW);
  assert.equal(articles.length, 1);
  assert.deepEqual(articles[0]!.topics, [
    { slug: 'sport', code: '15000000', score: 1, origin: 'source-map' },
    { slug: 'weather', code: '17000000', score: 1, origin: 'source' },
  ]);
});

test('a document with no usable item is rejected as a whole; an HTML page is not a feed', async () => {
  const empty = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><guid>e</guid></item></channel></rss>';
  await assert.rejects(ingestDocument({ body: empty }, inbox, pipeline, NOW), { code: 'EMPTY_DOCUMENT' });
  await assert.rejects(ingestDocument({ body: '<!DOCTYPE html><html><body>x</body></html>' }, inbox, pipeline, NOW), { code: 'NOT_A_FEED' });
  await assert.rejects(ingestDocument({ body: '' }, inbox, pipeline, NOW), { code: 'EMPTY_DOCUMENT' });
});

test('a document of 2,000 items gives the event loop turns while it is normalized (job locks renew, /healthz answers)', async () => {
  const items = Array.from(
    { length: 2000 },
    (_, i) => `<item><guid>big-${i}</guid><title>Council vote number ${i}</title><description>The council voted on measure ${i} after a long debate about the budget and the schools.</description></item>`,
  ).join('');
  const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link><description>d</description>${items}</channel></rss>`;
  let turns = 0;
  let done = false;
  const tick = () => {
    turns++;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const { articles } = await ingestDocument({ body }, inbox, pipeline, NOW).finally(() => (done = true));
  assert.equal(articles.length, 2000);
  assert.ok(turns >= 20, `${turns} event-loop turns while 2,000 items were normalized`);
});

test('a dropped file of one item without guid is known by its file name: corrected text updates the same story', async () => {
  const first = 'CAIRO, April 10 (Reuters) - Egypt raised fuel prices by 10 percent on Friday, the ministry said.';
  const corrected = 'CAIRO, April 10 (Reuters) - Egypt raised fuel prices by 12 percent on Friday, the petroleum ministry said.';
  const [a] = (await ingestDocument({ body: first, fileName: 'EGY-FUEL.txt' }, inbox, pipeline, NOW)).articles;
  const [b] = (await ingestDocument({ body: corrected, fileName: 'EGY-FUEL.txt' }, inbox, pipeline, NOW)).articles;
  assert.equal(a!.id, b!.id);
  assert.equal(a!.guid, 'file:EGY-FUEL.txt');
  assert.notEqual(a!.contentHash, b!.contentHash, 'the correction is a new version of the same story');
  // Another name is another story; without a name, the text is the identity.
  const [c] = (await ingestDocument({ body: first, fileName: 'EGY-OTHER.txt' }, inbox, pipeline, NOW)).articles;
  assert.notEqual(c!.id, a!.id);
  const [d] = (await ingestDocument({ body: first }, inbox, pipeline, NOW)).articles;
  const [e] = (await ingestDocument({ body: corrected }, inbox, pipeline, NOW)).articles;
  assert.notEqual(d!.id, e!.id);
});

test('a file name never replaces the guids of a document of several items', async () => {
  const item = (n: number) => `<item><title>Story ${n}</title><description>Text of story ${n}.</description></item>`;
  const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link><description>d</description>${item(1)}${item(2)}</channel></rss>`;
  const { articles } = await ingestDocument({ body, fileName: 'batch.xml' }, inbox, pipeline, NOW);
  assert.equal(articles.length, 2);
  assert.ok(articles.every((a) => !a.guid.startsWith('file:')));
});

test('a document read only after repairs says which; a clean one says nothing', async () => {
  const broken = await ingestDocument({ body: readFileSync('tests/fixtures/feeds/illformed-stray-close-tag.xml', 'utf8') }, inbox, pipeline, NOW);
  assert.ok(broken.articles.length >= 2, 'the items around the stray tag are kept');
  assert.ok(broken.repaired?.includes('stray close tag'), `repaired: ${JSON.stringify(broken.repaired)}`);
  const clean = await ingestDocument({ body: readFileSync('tests/fixtures/wire/seed-ar-kremlin.txt', 'utf8') }, inbox, pipeline, NOW);
  assert.equal(clean.repaired, undefined);
});
