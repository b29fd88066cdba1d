import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assignTopics, type ClassifiableArticle, type TopicContext } from '../../src/classify/assign-topics.ts';
import { compileRules } from '../../src/classify/keyword-rules.ts';
import { loadTaxonomy } from '../../src/classify/taxonomy.ts';
import { TOP_LEVEL_TOPICS } from '../../src/classify/top-level-topics.ts';
import type { TopicDefinition } from '../../src/config/load-config.ts';
import type { KeywordRule, SourceConfig } from '../../src/config/schema.ts';
import { parseDocument } from '../../src/formats/parse-document.ts';
import { ingestDocument } from '../../src/ingest/ingest-document.ts';
import { createPipeline } from '../../src/ingest/pipeline.ts';
import type { TopicAssignment } from '../../src/model/article-record.ts';
import { normalizeItem } from '../../src/normalize/normalize-item.ts';

const taxonomy = loadTaxonomy();
const NOW = new Date('2024-03-05T12:00:00.000Z');
const noSource = { topics: [], categories: {} };

function rule(r: Partial<KeywordRule>): KeywordRule {
  return { include: [], exclude: [], require: [], minMatches: 2, ...r };
}

/** The 17 built-ins plus `extra` (e.g. an operator `energy` on medtop:20000256). */
function topicsWith(...extra: TopicDefinition[]): TopicDefinition[] {
  return [
    ...TOP_LEVEL_TOPICS.map((t) => ({ slug: t.slug, code: t.code, title: t.title, rules: {}, builtin: true })),
    ...extra,
  ];
}

function energy(rules: Record<string, KeywordRule> = {}): TopicDefinition {
  return { slug: 'energy', code: '20000256', title: { en: 'Energy' }, rules, builtin: false };
}

function context(topics: TopicDefinition[], model?: TopicContext['model']): TopicContext {
  const ctx: TopicContext = { rules: compileRules(topics), codes: new Map(topics.map((t) => [t.slug, t.code])), taxonomy };
  if (model) ctx.model = model;
  return ctx;
}

function article(subjects: string[], text = 'A story.', language = 'en'): ClassifiableArticle {
  return { headline: text, summary: '', bodyText: '', language, keywords: [], subjects: subjects.map((code) => ({ code })) };
}

const brief = (topics: TopicAssignment[]) => topics.map((t) => `${t.slug}:${t.origin}:${t.score}`);

test('a NewsML-G2 item: its medtop and subj codes file it under the top-level topics above them', async () => {
  const doc = await parseDocument(readFileSync('tests/fixtures/formats/newsml-g2-ar-cairo.xml', 'utf8'));
  const raw = doc.items[0]!;
  assert.deepEqual(raw.subjects?.map((s) => s.code), ['medtop:20000763', 'medtop:04000000', 'subj:04015000']);
  const record = normalizeItem(raw, { sourceId: 'agency', now: NOW });
  record.subjects = raw.subjects ?? [];
  // By hand, in the 2019 tree: medtop:04000000 is economy itself; subj:04015000 is the exact match
  // of medtop:20000337 transport < 20000209 economic sector < 04000000 economy; medtop:20000763 is
  // "information technology and computer science" (the fixture names it "public transport") <
  // 20000756 technology and engineering < 13000000 science and technology.
  const topics = assignTopics(record, noSource, context(topicsWith(energy())));
  assert.deepEqual(topics, [
    { slug: 'economy', code: '04000000', score: 1, origin: 'provider' },
    { slug: 'science-technology', code: '13000000', score: 1, origin: 'provider' },
  ]);
});

test('the ingest stage passes provider codes to topic assignment', async () => {
  const pipeline = createPipeline({ sources: [], topics: topicsWith(energy()) });
  const source: SourceConfig = { id: 'agency', type: 'directory', path: '.', every: 5000, topics: [], categories: {}, enabled: true };
  const body = readFileSync('tests/fixtures/formats/newsml-g2-ar-cairo.xml', 'utf8');
  const { articles } = await ingestDocument({ body }, source, pipeline, NOW);
  const tram = articles.find((a) => a.guid.endsWith('AR-CAIRO-TRAM'));
  assert.deepEqual(tram?.topics.map((t) => `${t.slug}:${t.origin}`), ['economy:provider', 'science-technology:provider']);
});

test('an operator topic on a concept collects everything below it, and its parent gets the article too', () => {
  const ctx = context(topicsWith(energy()));
  // medtop:20001243 oil and gas industry < 20000256 energy and resource < 20000209 < 04000000.
  const expected = ['economy:provider:1', 'energy:provider:1'];
  assert.deepEqual(brief(assignTopics(article(['medtop:20001243']), noSource, ctx)), expected);
  assert.deepEqual(brief(assignTopics(article(['medtop:20000256']), noSource, ctx)), expected);
  assert.deepEqual(brief(assignTopics(article(['http://cv.iptc.org/newscodes/mediatopic/20001243']), noSource, ctx)), expected);
  // subj:04005004 → 20001243 by exact match; a retired concept still sits in the tree.
  assert.deepEqual(brief(assignTopics(article(['subj:04005004']), noSource, ctx)), expected);
  assert.deepEqual(brief(assignTopics(article(['medtop:20000267']), noSource, ctx)), expected);
  // A sibling of energy (20000337 transport) reaches economy only.
  assert.deepEqual(brief(assignTopics(article(['medtop:20000337']), noSource, ctx)), ['economy:provider:1']);
  const withCode = assignTopics(article(['medtop:20001243']), noSource, ctx).find((t) => t.slug === 'energy');
  assert.deepEqual(withCode, { slug: 'energy', code: '20000256', score: 1, origin: 'provider' });
});

test('unknown schemes and unknown codes are ignored; a bare code with its scheme apart is read', () => {
  const ctx = context(topicsWith(energy()));
  const odd: ClassifiableArticle = {
    ...article([]),
    subjects: [
      { code: 'stt:123', scheme: 'stt' },
      { code: 'efe:ECO' },
      { code: 'f', scheme: 'anpa-category' },
      { code: 'A', scheme: 'iptc7901-category' },
      { code: 'medtop:29999999' },
    ],
  };
  assert.deepEqual(assignTopics(odd, noSource, ctx), []);
  const apart: ClassifiableArticle = { ...article([]), subjects: [{ code: '20001243', scheme: 'http://cv.iptc.org/newscodes/mediatopic/' }] };
  assert.deepEqual(brief(assignTopics(apart, noSource, ctx)), ['economy:provider:1', 'energy:provider:1']);
});

test('hierarchy expansion applies to every origin: the parent gets the child origin and score', () => {
  const ctx = context(topicsWith(energy({ en: rule({ include: ['oil', 'gas', 'pipeline*'] }) })));
  // Rule: two of three terms → 0.5, and economy gets it with the same origin and score.
  assert.deepEqual(brief(assignTopics(article([], 'oil and gas'), noSource, ctx)), ['economy:rule:0.5', 'energy:rule:0.5']);
  // Source: the operator's `topics: [energy]` puts the articles in economy too.
  assert.deepEqual(brief(assignTopics(article([]), { topics: ['energy'], categories: {} }, ctx)), ['economy:source:1', 'energy:source:1']);
  // Source-map.
  const keyworded = { ...article([]), keywords: ['Energy'] };
  assert.deepEqual(brief(assignTopics(keyworded, { topics: [], categories: { energy: 'energy' } }, ctx)), ['economy:source-map:1', 'energy:source-map:1']);
  // A more authoritative origin on the parent is kept: provider economy over rule economy.
  assert.deepEqual(brief(assignTopics(article(['medtop:04000000'], 'oil and gas'), noSource, ctx)), ['economy:provider:1', 'energy:rule:0.5']);
});

test('force assigns a topic on one term with score 1; veto removes it whatever assigned it, except source', () => {
  const ctx = context(
    topicsWith(
      energy({ en: rule({ include: ['oil', 'gas'], force: ['energy crisis'], veto: ['energy drink*'] }) }),
      { slug: 'markets', code: '', title: { en: 'Markets' }, rules: { en: rule({ include: ['stock*', 'bond*'], veto: ['stock car'] }) }, builtin: false },
    ).map((t) => (t.slug === 'economy' ? { ...t, rules: { en: rule({ include: ['economy', 'price*'], veto: ['horoscope'] }) } } : t)),
  );
  // force: one term is enough, score 1, and the parent follows.
  assert.deepEqual(brief(assignTopics(article([], 'The energy crisis deepens'), noSource, ctx)), ['economy:rule:1', 'energy:rule:1']);
  // veto beats include and force of its own topic…
  assert.deepEqual(brief(assignTopics(article([], 'energy crisis: oil and gas firms launch energy drinks'), noSource, ctx)), []);
  // …and a provider code: energy goes, economy stays (the code itself is under economy).
  assert.deepEqual(brief(assignTopics(article(['medtop:20001243'], 'New energy drinks'), noSource, ctx)), ['economy:provider:1']);
  // A vetoed parent goes even though its child stays.
  assert.deepEqual(brief(assignTopics(article(['medtop:20001243'], 'Your oil horoscope'), noSource, ctx)), ['energy:provider:1']);
  // A vetoed child passes nothing up: no economy from a vetoed energy rule.
  assert.deepEqual(brief(assignTopics(article([], 'oil and gas energy drinks'), noSource, ctx)), []);
  // An operator topic without a code keeps the existing behaviour, and its veto works.
  assert.deepEqual(brief(assignTopics(article([], 'stocks and bonds'), noSource, ctx)), ['markets:rule:0.5']);
  assert.deepEqual(brief(assignTopics(article([], 'stocks, bonds and a stock car race'), noSource, ctx)), []);
  // The source's own topics are the operator's choice: a veto does not remove them (nor their parents).
  const sourced = assignTopics(article([], 'energy drinks'), { topics: ['energy'], categories: {} }, ctx);
  assert.deepEqual(brief(sourced), ['economy:source:1', 'energy:source:1']);
});

test('the model hook runs only for items without a usable provider code; its topics get origin model', () => {
  const calls: ClassifiableArticle[] = [];
  const model = (a: ClassifiableArticle): TopicAssignment[] => {
    calls.push(a);
    return [
      { slug: 'energy', code: 'whatever', score: 0.8, origin: 'rule' },
      { slug: 'astrology', code: '', score: 0.9, origin: 'model' },
    ];
  };
  const ctx = context(topicsWith(energy({ en: rule({ include: ['oil', 'gas'] }) })), model);
  // No codes: the model is asked; its slugs outside the configuration are dropped; economy follows.
  assert.deepEqual(brief(assignTopics(article([]), noSource, ctx)), ['economy:model:0.8', 'energy:model:0.8']);
  // Only codes of unknown schemes: still no provider code.
  assert.deepEqual(brief(assignTopics(article(['stt:123']), noSource, ctx)), ['economy:model:0.8', 'energy:model:0.8']);
  assert.equal(calls.length, 2);
  // A provider code: the model is not asked.
  assert.deepEqual(brief(assignTopics(article(['medtop:20000337']), noSource, ctx)), ['economy:provider:1']);
  assert.equal(calls.length, 2);
  // model ranks above rule: the model's 0.8 is kept over the rule's 0.5 on energy.
  assert.deepEqual(brief(assignTopics(article([], 'oil and gas'), noSource, ctx)), ['economy:model:0.8', 'energy:model:0.8']);
  assert.equal(assignTopics(article([]), noSource, ctx).find((t) => t.slug === 'energy')?.code, '20000256');
});
