/**
 * Topic model figures: file size, load time (median of 7), articles/s on one core classifying real
 * texts (ANT articles when ../shared exists, else the project's wire fixtures) beside a baseline
 * measured in the same run (folding the same texts), and — with ../shared — the cross-outlet tables
 * (trained in memory with scripts/train-classifier.ts, evaluated on the outlet not trained on).
 *
 *   node --import tsx bench/classify.ts [--no-tables]
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classifyText, DEFAULT_MODEL_PATH, loadModel } from '../src/classify/model.ts';
import { foldForMatching } from '../src/normalize/fold-text.ts';
import { loadAll, loadAnt, printCrossOutletTables } from '../scripts/train-classifier.ts';

const root = resolve(new URL('..', import.meta.url).pathname);
const shared = resolve(root, '../shared');
const haveShared = existsSync(join(shared, 'corpora/arabic-news'));
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
  ? loadAnt(shared).map((e) => ({ headline: e.headline, body: e.body }))
  : readdirSync(join(root, 'tests/fixtures/wire'))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => ({ headline: '', body: readFileSync(join(root, 'tests/fixtures/wire', f), 'utf8') }));
const avg = texts.reduce((s, t) => s + t.headline.length + t.body.length, 0) / texts.length;
console.log(`texts: ${texts.length} ${haveShared ? 'ANT articles' : 'wire fixtures'}, mean ${avg.toFixed(0)} chars`);

function rate(fn: (t: { headline: string; body: string }) => unknown): number {
  for (const t of texts.slice(0, 200)) fn(t); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 400) for (const t of texts) (fn(t), n++);
    runs.push(n / ((performance.now() - t0) / 1000));
  }
  return median(runs);
}
const base = rate((t) => foldForMatching(t.headline + '\n' + t.body.slice(0, 8192)));
const cls = rate((t) => classifyText(model, t));
console.log(`baseline (foldForMatching of the same ≤8 KB text): ${base.toFixed(0)} articles/s`);
console.log(`classifyText: ${cls.toFixed(0)} articles/s on one core (${(cls / base).toFixed(2)}× the fold baseline)`);
const big = { headline: 'x', body: texts[0]!.body.repeat(Math.ceil(2_000_000 / Math.max(1, texts[0]!.body.length))) };
const t0 = performance.now();
for (let i = 0; i < 50; i++) classifyText(model, big);
console.log(`2 MB body: ${((performance.now() - t0) / 50).toFixed(2)} ms per article (the model reads the first 8 KB)`);

if (haveShared && !process.argv.includes('--no-tables')) {
  printCrossOutletTables(await loadAll(shared));
}
