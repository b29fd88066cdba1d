/**
 * Word folding: texts/s for the slow path (`foldForMatching(text).split(' ')`) beside the scanner
 * (`foldParagraphs(text, 8192)`), measured in the same run on the same texts: ANT articles
 * (`title + '\n' + text`, first 8192 chars) when ../shared exists, else tests/fixtures/wire/*.txt.
 * Warm-up, then 7 rounds of ~400 ms each; medians. Target: the scanner ≥ 4× the baseline.
 *
 *   node --import tsx bench/fold.ts
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { foldForMatching } from '../src/normalize/fold-text.ts';
import { foldParagraphs } from '../src/normalize/fold-scan.ts';

const MAX_CHARS = 8192;
const ROUNDS = 7;
const ROUND_MS = 400;

const root = resolve(import.meta.dirname, '..');
const ant = resolve(root, '../shared/corpora/arabic-news');
const haveShared = existsSync(ant);

function loadTexts(): string[] {
  if (haveShared) {
    return readdirSync(ant)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .flatMap((f) =>
        readFileSync(join(ant, f), 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => {
            const o = JSON.parse(line) as { title?: string; text?: string };
            return `${o.title ?? ''}\n${o.text ?? ''}`;
          }),
      );
  }
  const dir = join(root, 'tests/fixtures/wire');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

const texts = loadTexts();
// The baseline folds the same cut text the scanner reads (its cut may stop a word earlier).
const cut = texts.map((t) => t.slice(0, MAX_CHARS));
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

let sink = 0;
function rate(fn: (i: number) => number): number {
  for (let r = 0; r < 3; r++) for (let i = 0; i < texts.length; i++) sink += fn(i); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ROUND_MS) {
      for (let i = 0; i < texts.length; i++) sink += fn(i);
      n += texts.length;
      t = performance.now();
    }
    runs.push(n / ((t - t0) / 1000));
  }
  return median(runs);
}

const chars = cut.reduce((s, t) => s + t.length, 0) / cut.length;
const what = haveShared ? 'ANT articles (title + text)' : 'wire fixtures';
console.log(`bench/fold: ${texts.length} ${what}, mean ${chars.toFixed(0)} chars after the ${MAX_CHARS}-char cut, Node ${process.version}`);
const base = rate((i) => foldForMatching(cut[i]!).split(' ').length);
const fast = rate((i) => foldParagraphs(texts[i]!, MAX_CHARS).length);
console.log(`foldForMatching(text).split(' ')  ${base.toFixed(0).padStart(8)} texts/s  (baseline)`);
console.log(`foldParagraphs(text, ${MAX_CHARS})     ${fast.toFixed(0).padStart(8)} texts/s  ${(fast / base).toFixed(2)}× the baseline`);
if (sink === 0) console.log('(nothing folded)');
