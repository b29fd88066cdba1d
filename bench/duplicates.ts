/**
 * bench/duplicates — precision and recall of the near-duplicate decision on a labelled set built
 * here from real Arabic news (../shared/corpora/arabic-news, ANT corpus, Apache-2.0).
 *
 *   node --import tsx bench/duplicates.ts
 *
 * How the labelled set is built (deterministic, fixed seed):
 * - positives: an article and the same article as another outlet carries agency copy — its own
 *   headline, a dateline line of its own in front, at random one paragraph dropped, the last
 *   paragraphs cut, a credit or "read also" trailer added, a few words dropped;
 * - hard negatives: two different articles of the same outlet and the same category (same
 *   vocabulary, same desk), and of the same category across outlets.
 * The decision is the one the service makes (src/classify/near-duplicate.ts): a shared LSH band
 * and an estimated Jaccard similarity at or above the threshold. Printed for the threshold in
 * use and a sweep around it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DUPLICATE_THRESHOLD, bandKeys, signature, similarity } from '../src/classify/near-duplicate.ts';

const DATA = resolve(import.meta.dirname, '../../shared/corpora/arabic-news');

interface Ant {
  id: string;
  source: string;
  category: string;
  title: string;
  text: string;
}

function rng(seed: number) {
  return () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
}

const DATELINES = ['دبي - العربية.نت', 'القاهرة (رويترز) -', 'باريس (أ ف ب) -', 'لندن - بي بي سي', 'الرباط (و م ع) -'];
const TRAILERS = ['المصدر: وكالات', 'مصدر الصورة: AFP', 'اقرأ أيضا: تطورات جديدة في الملف', 'الصورة: رويترز'];

function carry(a: Ant, random: () => number): string {
  let paragraphs = a.text.split('\n').map((p) => p.trim()).filter(Boolean);
  if (paragraphs.length >= 4 && random() < 0.5) paragraphs.splice(1 + Math.floor(random() * (paragraphs.length - 2)), 1);
  if (paragraphs.length >= 5 && random() < 0.5) paragraphs = paragraphs.slice(0, Math.ceil(paragraphs.length * 0.8));
  paragraphs = paragraphs.map((p) => p.split(' ').filter(() => random() > 0.03).join(' '));
  const head = `عنوان آخر: ${a.title.split(' ').slice(0, 5).join(' ')}`;
  return [head, DATELINES[Math.floor(random() * DATELINES.length)], ...paragraphs, TRAILERS[Math.floor(random() * TRAILERS.length)]].join('\n\n');
}

function decide(x: Uint32Array, y: Uint32Array, threshold: number): boolean {
  const bx = new Set(bandKeys(x));
  return bandKeys(y).some((b) => bx.has(b)) && similarity(x, y) >= threshold;
}

if (!existsSync(DATA)) {
  console.log(`bench/duplicates: skipped, ../shared/corpora/arabic-news is absent (${DATA})`);
  process.exit(0);
}
const articles: Ant[] = ['ant-multisource-dev.jsonl', 'ant-jawharafm-sample.jsonl'].flatMap((f) =>
  readFileSync(resolve(DATA, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ant),
);
const random = rng(42);
const pairs: { a: string; b: string; duplicate: boolean; kind: string }[] = [];
const usable = articles.filter((a) => (signature(`${a.title}\n${a.text}`) ?? null) !== null);
for (const a of usable.filter((_, i) => i % 3 === 0)) pairs.push({ a: `${a.title}\n${a.text}`, b: carry(a, random), duplicate: true, kind: 'carried' });
const groups = new Map<string, Ant[]>();
for (const a of usable) groups.set(`${a.source}/${a.category}`, [...(groups.get(`${a.source}/${a.category}`) ?? []), a]);
for (const list of groups.values()) {
  for (let i = 0; i + 1 < list.length; i += 2) pairs.push({ a: `${list[i]!.title}\n${list[i]!.text}`, b: `${list[i + 1]!.title}\n${list[i + 1]!.text}`, duplicate: false, kind: 'same outlet and category' });
}
const byCategory = new Map<string, Ant[]>();
for (const a of usable) byCategory.set(a.category, [...(byCategory.get(a.category) ?? []), a]);
for (const list of byCategory.values()) {
  const other = list.filter((a) => a.source !== list[0]!.source);
  for (let i = 0; i < Math.min(40, other.length); i++) pairs.push({ a: `${list[i]!.title}\n${list[i]!.text}`, b: `${other[i]!.title}\n${other[i]!.text}`, duplicate: false, kind: 'same category, other outlet' });
}

const sigs = pairs.map((p) => [signature(p.a), signature(p.b)] as const);
console.log(`bench/duplicates: ${pairs.filter((p) => p.duplicate).length} duplicate pairs, ${pairs.filter((p) => !p.duplicate).length} hard negative pairs, from ${usable.length} ANT articles`);
console.log('');
console.log('| threshold | precision | recall | F1 | false positives | false negatives |');
console.log('|---|---|---|---|---|---|');
for (const threshold of [0.2, 0.3, DUPLICATE_THRESHOLD, 0.5, 0.6]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  pairs.forEach((p, i) => {
    const [x, y] = sigs[i]!;
    const said = x !== null && y !== null && decide(x, y, threshold);
    if (said && p.duplicate) tp++;
    else if (said) fp++;
    else if (p.duplicate) fn++;
  });
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  const f1 = (2 * precision * recall) / Math.max(1e-9, precision + recall);
  const mark = threshold === DUPLICATE_THRESHOLD ? ' (in use)' : '';
  console.log(`| ${threshold}${mark} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${f1.toFixed(3)} | ${fp} | ${fn} |`);
}

const negatives = pairs.map((p, i) => ({ p, s: sigs[i]! })).filter(({ p, s }) => !p.duplicate && s[0] && s[1]);
const worst = Math.max(...negatives.map(({ s }) => similarity(s[0]!, s[1]!)));
console.log('');
console.log(`highest estimated similarity of a negative pair: ${worst.toFixed(3)} (threshold ${DUPLICATE_THRESHOLD})`);

// The cost side: how many pairs of real (different) articles share a band and so are compared.
const real = usable.map((a) => signature(`${a.title}\n${a.text}`)!);
let all = 0;
let candidates = 0;
const bandSets = real.map((sig) => new Set(bandKeys(sig)));
for (let i = 0; i < real.length; i++) {
  for (let j = i + 1; j < real.length; j++) {
    all++;
    for (const b of bandSets[j]!) {
      if (bandSets[i]!.has(b)) {
        candidates++;
        break;
      }
    }
  }
}
console.log(`pairs of the ${real.length} real articles that share an LSH band (compared at ingest): ${candidates} of ${all} (${((100 * candidates) / all).toFixed(3)} %)`);
