/**
 * The shipped model inside the pipeline: which items it is asked about, what its answers become,
 * how settings turn it off or name another file, and that odd bodies never fail the ingest.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ClassifiableArticle } from '../../src/classify/assign-topics.ts';
import { modelHook, sharedModel } from '../../src/classify/classifier.ts';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import type { SourceConfig } from '../../src/config/schema.ts';
import { ingestDocument } from '../../src/ingest/ingest-document.ts';
import { createPipeline } from '../../src/ingest/pipeline.ts';

const NOW = new Date('2026-11-21T12:00:00.000Z');
const hook = modelHook(sharedModel());
const SPORT_AR =
  'فاز فريق ريال مدريد على برشلونة بهدفين مقابل هدف في مباراة الدوري الإسباني لكرة القدم، وسجل المهاجم هدف الفوز في الدقيقة الأخيرة من المباراة أمام جماهير الملعب.';

function article(headline: string, bodyText: string, language: string): ClassifiableArticle {
  return { headline, summary: '', bodyText, language, keywords: [], subjects: [] };
}

function configDir(settings: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wf-classifier-'));
  writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: inbox\n    type: directory\n    path: ./inbox\n    topics: [human-interest]\n');
  writeFileSync(join(dir, 'settings.yaml'), settings);
  return dir;
}

test('the hook files a story under the model topic with origin model and the model score', () => {
  const got = hook(article('ريال مدريد يفوز على برشلونة', SPORT_AR, 'ar'));
  assert.equal(got[0]?.slug, 'sport', JSON.stringify(got));
  assert.equal(got[0]!.origin, 'model');
  assert.equal(got[0]!.code, '15000000');
  assert.ok(got[0]!.score > 0 && got[0]!.score <= 1);
  // A regional tag is its language: ar-EG is asked like ar.
  assert.equal(hook(article('ريال مدريد يفوز على برشلونة', SPORT_AR, 'ar-EG'))[0]?.slug, 'sport');
});

test("the operator's minScore drops the model topics scoring under it, and only those", () => {
  const story = article('Le marché', 'Le marché couvert rouvre ses portes samedi.', 'fr');
  const all = hook(story);
  const lowest = Math.min(...all.map((t) => t.score));
  assert.ok(all.length > 0 && lowest < 1, JSON.stringify(all));
  assert.deepEqual(modelHook(sharedModel(), lowest + 0.001)(story), all.filter((t) => t.score > lowest));
  assert.deepEqual(modelHook(sharedModel(), lowest)(story), all);
});

test('a language the model was not trained on gets no model topic; und is asked', () => {
  const es = 'El Real Madrid ganó al Barcelona por dos goles a uno en el partido de fútbol de la liga española; el delantero marcó el gol de la victoria en el último minuto.';
  assert.deepEqual(sharedModel().languages, ['ar', 'en', 'fr']);
  assert.deepEqual(hook(article('El Madrid gana', es, 'es')), []);
  // The same Arabic text without a detected language is still classified from the words the model knows.
  assert.equal(hook(article('', SPORT_AR, 'und'))[0]?.slug, 'sport');
});

test('settings: the model is on by default, off with CLASSIFIER=off, and a named file is loaded from the config directory', async () => {
  const item = `${SPORT_AR}\n\n${SPORT_AR}`;
  const run = async (settings: string, env: Record<string, string> = {}) => {
    const config = loadConfig(configDir(settings), env);
    const source = config.sources[0] as SourceConfig;
    const { articles } = await ingestDocument({ body: item, format: 'plain-text' }, source, createPipeline(config), NOW);
    return articles[0]!.topics.map((t) => `${t.slug}:${t.origin}`).sort();
  };
  assert.deepEqual(await run(''), ['human-interest:source', 'sport:model']);
  assert.deepEqual(await run('', { CLASSIFIER: 'off' }), ['human-interest:source']);
  assert.deepEqual(await run('classifier:\n  enabled: false\n'), ['human-interest:source']);
  assert.deepEqual(await run('classifier:\n  minScore: 0.1\n'), ['human-interest:source', 'sport:model']);
  assert.equal(loadConfig(configDir(''), { CLASSIFIER_MIN_SCORE: '0.4' }).settings.classifier.minScore, 0.4);
  assert.throws(() => loadConfig(configDir('classifier:\n  minScore: 2\n'), {}), (err: ConfigError) => /classifier\.minScore/.test(err.problems.join('\n')));

  const dir = configDir('classifier:\n  model: models/mine.json\n');
  let problems: readonly string[] = [];
  try {
    loadConfig(dir, {});
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    problems = err.problems;
  }
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0]!, /settings\.yaml:2: classifier\.model: .*models\/mine\.json: ENOENT/);
  const bad = configDir('classifier:\n  model: bad.json\n');
  writeFileSync(join(bad, 'bad.json'), '{"format":"something-else"}');
  assert.throws(() => loadConfig(bad, {}), (err: ConfigError) => /classifier\.model: .*bad\.json: not a wirefeed-topic-model\/3 model file/.test(err.problems[0]!));
  const ok = configDir('classifier:\n  model: mine.json\n');
  copyFileSync(new URL('../../assets/model/topics.json', import.meta.url), join(ok, 'mine.json'));
  assert.equal(loadConfig(ok, {}).settings.classifier.model, join(ok, 'mine.json'));
});

test('bad input never fails the ingest: empty, unknown language, 2 MB, headline only', async () => {
  const config = loadConfig(configDir(''), {});
  const source = config.sources[0] as SourceConfig;
  const pipeline = createPipeline(config);
  const ingest = (body: string, format: 'plain-text' | 'rss' = 'plain-text') => ingestDocument({ body, format }, source, pipeline, NOW);

  // A body in a language the model does not know: the source's default topic only.
  const zh = await ingest('中国经济新闻\n\n这是一篇关于中国经济的新闻报道，内容涉及股票市场和银行的利率以及出口数据。这是一篇关于中国经济的新闻报道。');
  assert.equal(zh.articles.length, 1);
  assert.deepEqual(zh.articles[0]!.topics.map((t) => t.slug), ['human-interest']);

  // 2 MB of Arabic sport copy: classified from its first screens, without failing.
  const big = await ingest(`ريال مدريد يفوز\n\n${`${SPORT_AR}\n\n`.repeat(Math.ceil(2_000_000 / SPORT_AR.length))}`);
  assert.equal(big.articles.length, 1);
  assert.ok(big.articles[0]!.topics.some((t) => t.slug === 'sport' && t.origin === 'model'));

  // A headline alone (an RSS item without description) and an item with an empty body.
  const rss = (description: string) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link><description>d</description>` +
    `<item><title>ريال مدريد يفوز على برشلونة في الدوري الإسباني</title><link>http://127.0.0.1/a</link>${description}</item></channel></rss>`;
  const headlineOnly = await ingest(rss(''), 'rss');
  assert.equal(headlineOnly.articles.length, 1);
  assert.deepEqual(headlineOnly.articles[0]!.topics.map((t) => `${t.slug}:${t.origin}`).sort(), ['human-interest:source', 'sport:model']);
  const empty = await ingest(rss('<description></description>'), 'rss');
  assert.equal(empty.articles.length, 1);
  assert.ok(empty.articles[0]!.topics.some((t) => t.slug === 'human-interest'));
});
