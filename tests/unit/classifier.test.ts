/**
 * The committed topic model (assets/model/topics.json): behaviour pinned on a fixed set. Runs
 * without ../shared. No timings asserted (bench/classify.ts prints them).
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { classifyText, DEFAULT_MODEL_PATH, explainStory, loadModelFile, scoreStory, topicMetrics } from '../../src/classify/model.ts';

const model = loadModelFile(DEFAULT_MODEL_PATH);
const slugs = (headline: string, body: string) => classifyText(model, { headline, body }).map((t) => t.slug);
const seedBody = readFileSync(new URL('../fixtures/wire/seed-ar-kremlin.txt', import.meta.url), 'utf8').split('\n').slice(1).join('\n');

test('model file is under 10 MB and has the 17 top-level topics', () => {
  assert.ok(statSync(DEFAULT_MODEL_PATH).size < 10 * 1024 * 1024);
  assert.equal(model.topics.length, 17);
  assert.deepEqual(model.topics.map((t) => t.code).slice(0, 2), ['01000000', '02000000']);
});

test('seed: no unrelated topic (sport, arts, weather, crime…)', () => {
  const got = slugs('', seedBody);
  const allowed = ['economy', 'politics', 'health', 'science-technology'];
  assert.deepEqual(got.filter((s) => !allowed.includes(s)), [], JSON.stringify(got));
  // The model names its main thread (the Kremlin call: politics); the rules add the themes it
  // develops (tests/unit/topic-sets.test.ts checks the four together).
  assert.ok(got.length >= 1, JSON.stringify(got));
});

const cases: [string, string, string, string][] = [
  ['ar', 'ريال مدريد يفوز على برشلونة', 'فاز فريق ريال مدريد على برشلونة بهدفين مقابل هدف في مباراة الدوري الإسباني لكرة القدم، وسجل المهاجم هدف الفوز في الدقيقة الأخيرة.', 'sport'],
  ['ar', 'افتتاح معرض للفن التشكيلي', 'افتتح وزير الثقافة معرضا للفن التشكيلي يضم لوحات لعشرين فنانا في دار الأوبرا، ويشمل عروضا سينمائية وأمسيات موسيقية وشعرية.', 'arts-culture'],
  ['ar', 'ارتفاع أسعار النفط', 'ارتفعت أسعار النفط في الأسواق العالمية بعد قرار أوبك خفض الإنتاج، وتراجعت أسهم البنوك في البورصة.', 'economy'],
  ['ar', 'آبل تطلق هاتفا ذكيا جديدا', 'أعلنت شركة آبل عن هاتف آيفون جديد بكاميرا محسنة وتطبيقات تعتمد على الذكاء الاصطناعي، وأطلقت غوغل تحديثا لنظام أندرويد.', 'science-technology'],
  ['en', 'United beat City 2-1', 'Manchester United beat Manchester City 2-1 with a late goal from the striker in the Premier League football match.', 'sport'],
  ['en', 'Museum opens painting exhibition', 'The national museum opened an exhibition of modern painting and sculpture, with film screenings, music concerts and theatre.', 'arts-culture'],
  ['en', 'Stocks fall as rates rise', 'Shares fell on Wall Street after the central bank raised interest rates to fight inflation; oil prices slipped and bond yields rose.', 'economy'],
  ['fr', 'Le PSG bat Marseille', "Le Paris Saint-Germain a battu Marseille trois buts à un en championnat de football de Ligue 1, l'entraîneur a salué ses joueurs.", 'sport'],
  ['fr', 'La Bourse recule', "La Bourse de Paris a reculé, les investisseurs s'inquiétant de l'inflation, des taux d'intérêt et du prix du pétrole sur le marché.", 'economy'],
  ['fr', 'Exposition au musée', "Le musée d'art moderne ouvre une exposition de peinture et de sculpture, avec des concerts de musique, du cinéma et du théâtre.", 'arts-culture'],
];
for (const [lang, headline, body, expected] of cases) {
  test(`${lang}: "${headline}" → ${expected} first`, () => {
    const got = classifyText(model, { headline, body, language: lang });
    assert.equal(got[0]?.slug, expected, JSON.stringify(got));
    for (let i = 1; i < got.length; i++) assert.ok(got[i - 1]!.score >= got[i]!.score);
    for (const t of got) assert.ok(t.score > 0 && t.score <= 1 && /^\d{8}$/.test(t.code));
  });
}

test('bad input answers without throwing', () => {
  assert.deepEqual(classifyText(model, { headline: '', body: '' }), []);
  assert.deepEqual(classifyText(model, {}), []);
  assert.deepEqual(classifyText(model, { headline: 42, body: null } as never), []);
  assert.deepEqual(classifyText(model, { headline: '中国经济新闻', body: '这是一篇关于中国经济的新闻报道，内容涉及股票市场。' }), []);
  assert.ok(Array.isArray(classifyText(model, { headline: 'Oil prices jump as OPEC agrees output cut', body: '' })));
  assert.ok(Array.isArray(classifyText(model, { headline: 'أسعار النفط ترتفع' })));
  const big = 'ارتفعت أسعار النفط في الأسواق العالمية. '.repeat(60_000); // ≈ 2 MB (UTF-16 units ≈ 2.4 M)
  assert.ok(big.length > 2_000_000);
  assert.ok(classifyText(model, { headline: '', body: big }).some((t) => t.slug === 'economy'));
});

test('topicMetrics: per-topic P/R/F1 and macro-F1', () => {
  const m = topicMetrics([['a'], ['b'], ['a', 'b']], [['a'], ['a'], ['b']]);
  assert.deepEqual(m.rows.map((r) => [r.slug, r.tp, r.predicted, r.support]), [['a', 1, 2, 2], ['b', 1, 1, 2]]);
  assert.equal(m.macroF1.toFixed(3), ((0.5 + 2 / 3) / 2).toFixed(3));
});

test("explainStory: the bias and every word's part add up to the topic's score", () => {
  const input = { headline: 'Stocks fall as rates rise', body: 'Shares fell on Wall Street after the central bank raised interest rates to fight inflation.' };
  const scores = scoreStory(model, input)!;
  const explained = explainStory(model, input, Infinity);
  assert.equal(explained.length, 17);
  assert.equal(explained[0]!.slug, 'economy');
  assert.ok(explained[0]!.assigned && explained[0]!.raised.length > 0);
  for (const t of explained) {
    const i = model.topics.findIndex((m) => m.slug === t.slug);
    const logit = t.bias + [...t.raised, ...t.lowered].reduce((s, c) => s + c.weight, 0);
    // Parts are rounded to 3 decimals each.
    assert.ok(Math.abs(1 / (1 + Math.exp(-logit)) - scores[i]!) < 0.01 + 0.001 * (t.raised.length + t.lowered.length), t.slug);
    for (let k = 1; k < t.raised.length; k++) assert.ok(t.raised[k - 1]!.weight >= t.raised[k]!.weight);
  }
  assert.deepEqual(explainStory(model, { headline: '', body: '' }), []);
});

test('CLI: classify JSONL and --eval', () => {
  const cli = `import { classifyCommand } from './src/cli/classify-command.ts'; process.exitCode = await classifyCommand(JSON.parse(process.argv[1] ?? '{}'));`;
  const cwd = new URL('../..', import.meta.url).pathname;
  const run = (opts: object, input: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', cli, JSON.stringify(opts)], { cwd, input, encoding: 'utf8' });
  const r = run({}, '{"id":"x","headline":"Premier League: United beat City 2-1","body":"football match goal striker"}\nnot json\n{"id":"y","headline":"","body":""}\n');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string | null; topics: { slug: string }[] });
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.id, 'x');
  assert.equal(lines[0]!.topics[0]!.slug, 'sport');
  assert.deepEqual(lines[2], { id: 'y', topics: [] });
  const e = run({ eval: 'tests/fixtures/classify/eval-sample.jsonl' }, '');
  assert.equal(e.status, 0, e.stderr);
  // The fixed, hand-labelled set (tests/fixtures/classify): every record gets its labels, nothing else.
  assert.match(e.stdout, /macro-F1\s+1\.000/);
  assert.match(e.stdout, /^records: 12$/m);
  assert.match(e.stdout, /^sport\s+4\s/m);
  assert.match(e.stdout, /records: 12/);
  // --explain with the sample configuration: the model's words and the rules, then the whole assignment.
  const seedLine = `${JSON.stringify({ id: 'seed', headline: '', body: seedBody })}\n`;
  const x = run({ explain: true, config: 'config' }, seedLine);
  assert.equal(x.status, 0, x.stderr);
  assert.match(x.stdout, /^# seed {2}language ar$/m);
  assert.match(x.stdout, /^economy +model 0\.\d{3} \(needs 0\.\d{3}\) /m);
  assert.match(x.stdout, /raised by: \S+ \+0\.\d{3}/);
  assert.match(x.stdout, /rule include "[^"]+" \(ar\)/);
  const final = /^topics: (.*)$/m.exec(x.stdout)?.[1] ?? '';
  assert.deepEqual(final.split(', ').map((t) => t.split(' ')[0]).sort(), ['economy', 'health', 'politics', 'science-technology']);
  // The default output is the whole assignment too: the seed's four topics, with their origins.
  const w = run({ config: 'config' }, seedLine);
  const topics = (JSON.parse(w.stdout) as { topics: { slug: string; origin: string }[] }).topics;
  assert.deepEqual(topics.map((t) => t.slug).sort(), ['economy', 'health', 'politics', 'science-technology']);
  assert.ok(topics.every((t) => ['model', 'rule'].includes(t.origin)));
});
