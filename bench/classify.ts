/**
 * Topic model figures: file size, load time (median of 7), articles/s on one core classifying real
 * texts (2,000 articles of ../shared/corpora/topics when it exists, else the project's wire
 * fixtures) beside a baseline measured in the same run (folding the same texts). With
 * `--extra DIR`, the shipped model on labelled outlets that no training file comes from (JSON Lines
 * `{id, outlet, language, labels, title, text}`, one outlet and language per file): per-topic
 * P/R/F1 over the labels each file has. The held-out tables of the training data are printed by
 * scripts/train-classifier.ts.
 *
 *   node --import tsx bench/classify.ts [--extra DIR]
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classifyText, DEFAULT_MODEL_PATH, formatMetrics, loadModel, scoreStory, topicMetrics, topIndex } from '../src/classify/model.ts';
import { foldForMatching } from '../src/normalize/fold-text.ts';
import { loadExtra, loadTopicCorpora } from '../scripts/train-classifier.ts';

const root = resolve(new URL('..', import.meta.url).pathname);
const shared = resolve(root, '../shared');
const haveShared = existsSync(join(shared, 'corpora/topics'));
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

const bytes = statSync(DEFAULT_MODEL_PATH).size;
const raw = readFileSync(DEFAULT_MODEL_PATH, 'utf8');
const loads: number[] = [];
let model = loadModel(raw);
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  model = loadModel(readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
  loads.push(performance.now() - t0);
}
console.log(`model: ${DEFAULT_MODEL_PATH}`);
console.log(`size: ${(bytes / 1024).toFixed(0)} KiB (${bytes} bytes), ${model.size} features`);
console.log(`load (read + parse + build), median of 7: ${median(loads).toFixed(1)} ms`);

const texts: { headline: string; body: string }[] = haveShared
  ? loadTopicCorpora(shared)
      .filter((_, i) => i % 21 === 0)
      .map((e) => ({ headline: e.headline, body: e.body }))
  : readdirSync(join(root, 'tests/fixtures/wire'))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => ({ headline: '', body: readFileSync(join(root, 'tests/fixtures/wire', f), 'utf8') }));
const avg = texts.reduce((s, t) => s + t.headline.length + t.body.length, 0) / texts.length;
console.log(`texts: ${texts.length} ${haveShared ? 'articles of ../shared/corpora/topics (every 21st)' : 'wire fixtures'}, mean ${avg.toFixed(0)} chars`);

/** Articles/s of each function, measured in alternating rounds (so both see the same machine noise); medians of 9 rounds. */
function rates(...fns: ((t: { headline: string; body: string }) => unknown)[]): number[] {
  for (const fn of fns) for (const t of texts.slice(0, 500)) fn(t); // warm-up
  const runs = fns.map(() => [] as number[]);
  for (let r = 0; r < 9; r++) {
    fns.forEach((fn, i) => {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < 300) for (const t of texts) (fn(t), n++);
      runs[i]!.push(n / ((performance.now() - t0) / 1000));
    });
  }
  return runs.map(median);
}
const [base, cls] = rates(
  (t) => foldForMatching(t.headline + '\n' + t.body.slice(0, 8192)),
  (t) => classifyText(model, t),
) as [number, number];
console.log(`baseline (foldForMatching of the same ≤8 KB text): ${base.toFixed(0)} articles/s`);
console.log(`classifyText: ${cls.toFixed(0)} articles/s on one core (${(cls / base).toFixed(2)}× the fold baseline)`);
const big = { headline: 'x', body: texts[0]!.body.repeat(Math.ceil(2_000_000 / Math.max(1, texts[0]!.body.length))) };
const t0 = performance.now();
for (let i = 0; i < 50; i++) classifyText(model, big);
console.log(`2 MB body: ${((performance.now() - t0) / 50).toFixed(2)} ms per article (the model reads the first 8 KB)`);

const extraAt = process.argv.indexOf('--extra');
if (extraAt > 0) {
  const dir = resolve(process.argv[extraAt + 1] ?? '.');
  const examples = loadExtra(dir);
  for (const key of [...new Set(examples.map((e) => `${e.source}\t${e.language}`))].sort()) {
    const [outlet, language] = key.split('\t');
    const part = examples.filter((e) => e.source === outlet && e.language === language);
    const slugs = [...new Set(part.flatMap((e) => e.labels))].sort();
    const gold = part.map((e) => e.labels);
    const decided = part.map((e) => classifyText(model, { ...e, language }).map((t) => t.slug));
    const top = part.map((e) => {
      const s = scoreStory(model, e);
      return s ? [model.topics[topIndex(s)]!.slug] : [];
    });
    console.log(`\n## ${outlet} (${language}), ${part.length} labelled stories, not in training: every topic the model gives counting`);
    console.log(formatMetrics(topicMetrics(gold, decided, slugs)));
    console.log(`top topic only: macro-F1 ${topicMetrics(gold, top, slugs).macroF1.toFixed(3)}; stories with no topic: ${decided.filter((d) => !d.length).length}`);
  }
}
