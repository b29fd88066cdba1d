/**
 * The topic model: multi-label inference over the 17 top-level IPTC Media Topics for items that
 * carry no provider codes. One logistic scorer per topic over folded, stemmed unigrams + bigrams
 * (tf-idf, L2-normalized), trained by scripts/train-classifier.ts into assets/model/topics.json.
 *
 * A topic's score is the larger of the whole story's score and the mean of its two best passages'
 * scores, so a secondary theme that runs through two paragraphs or more (the seed's pandemic and
 * space-station paragraphs) can pass its topic's threshold while a single mention cannot.
 *
 * Pure apart from {@link loadModelFile}: no clock, no network; never throws on odd input.
 */
import { readFileSync } from 'node:fs';
import { passageFeatures, textPassages } from './model-features.ts';

export const MODEL_FORMAT = 'wirefeed-topic-model/1';

/** The model file as stored (JSON). Weights and idf are integers scaled by `scale`. */
export interface TopicModelFile {
  format: typeof MODEL_FORMAT;
  /** What it was trained from, for humans. */
  trainedOn?: string;
  scale: number;
  topics: { slug: string; code: string; bias: number; threshold: number }[];
  /** feature → [idf, topicIndex, weight, topicIndex, weight, …], all scaled integers. */
  features: Record<string, number[]>;
}

interface FeatureEntry {
  idf: number;
  topics: Uint8Array;
  weights: Float32Array;
}

export interface TopicModel {
  readonly topics: readonly { slug: string; code: string; bias: number; threshold: number }[];
  readonly features: ReadonlyMap<string, FeatureEntry>;
}

export interface TopicScore {
  slug: string;
  code: string;
  /** 0–1, rounded to 3 decimals. */
  score: number;
}

export interface ClassifyInput {
  headline?: unknown;
  body?: unknown;
  language?: unknown;
}

/** Builds the in-memory model from the stored JSON (object or string). Throws on a malformed file. */
export function loadModel(json: string | TopicModelFile): TopicModel {
  const file: TopicModelFile = typeof json === 'string' ? (JSON.parse(json) as TopicModelFile) : json;
  if (!file || file.format !== MODEL_FORMAT || !Array.isArray(file.topics) || typeof file.features !== 'object') {
    throw new Error(`not a ${MODEL_FORMAT} model file`);
  }
  const scale = file.scale || 1;
  const topics = file.topics.map((t) => ({ slug: t.slug, code: t.code, bias: t.bias / scale, threshold: t.threshold / scale }));
  const features = new Map<string, FeatureEntry>();
  for (const key of Object.keys(file.features)) {
    const row = file.features[key]!;
    const n = (row.length - 1) >> 1;
    const entry: FeatureEntry = { idf: row[0]! / scale, topics: new Uint8Array(n), weights: new Float32Array(n) };
    for (let i = 0; i < n; i++) {
      entry.topics[i] = row[1 + 2 * i]!;
      entry.weights[i] = row[2 + 2 * i]! / scale;
    }
    features.set(key, entry);
  }
  return { topics, features };
}

/** Reads and loads a model file: the one I/O helper of the classifier. */
export function loadModelFile(path: string): TopicModel {
  return loadModel(readFileSync(path, 'utf8'));
}

/** The committed model's path, resolved from this module (works from any working directory). */
export const DEFAULT_MODEL_PATH = new URL('../../assets/model/topics.json', import.meta.url).pathname;

function count(features: readonly string[], into: Map<string, number>): Map<string, number> {
  for (const f of features) into.set(f, (into.get(f) ?? 0) + 1);
  return into;
}

/** Raw linear scores (before the bias) of one bag of known features, L2-normalized tf-idf; returns the squared norm. */
function linear(counts: ReadonlyMap<FeatureEntry, number>, out: Float64Array): number {
  out.fill(0);
  let norm = 0;
  for (const [e, tf] of counts) {
    const x = (tf === 1 ? 1 : 1 + Math.log(tf)) * e.idf;
    norm += x * x;
    for (let i = 0; i < e.topics.length; i++) out[e.topics[i]!]! += e.weights[i]! * x;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let t = 0; t < out.length; t++) out[t]! *= inv;
  }
  return norm;
}

/** Counts of a passage's features the model knows (unknown ones carry no weight and no idf). */
function knownCounts(model: TopicModel, stems: readonly string[], story: Map<FeatureEntry, number>): Map<FeatureEntry, number> {
  const out = new Map<FeatureEntry, number>();
  const add = (f: string) => {
    const e = model.features.get(f);
    if (!e) return;
    out.set(e, (out.get(e) ?? 0) + 1);
    story.set(e, (story.get(e) ?? 0) + 1);
  };
  for (let i = 0; i < stems.length; i++) {
    add(stems[i]!);
    if (i > 0) add(`${stems[i - 1]} ${stems[i]}`);
  }
  return out;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Feature counts of a text as training sees them (whole story: every passage together). */
export function storyCounts(input: ClassifyInput): Map<string, number> {
  const all = new Map<string, number>();
  for (const p of textPassages(input)) count(passageFeatures(p), all);
  return all;
}

/**
 * Every topic's score for a story (no thresholds), in the model's topic order. The story score and
 * the two-best-passages score are combined by max.
 */
export function scoreAllTopics(model: TopicModel, input: ClassifyInput): Float64Array {
  const nt = model.topics.length;
  const scores = new Float64Array(nt);
  let passages: string[][];
  try {
    passages = textPassages(input ?? {});
  } catch {
    return scores;
  }
  if (!passages.length) return scores;
  const all = new Map<FeatureEntry, number>();
  const z = new Float64Array(nt);
  const best1 = new Float64Array(nt);
  const best2 = new Float64Array(nt);
  for (const p of passages) {
    const counts = knownCounts(model, p, all);
    if (passages.length < 2) continue;
    if (linear(counts, z) === 0) continue;
    for (let t = 0; t < nt; t++) {
      const s = sigmoid(model.topics[t]!.bias + z[t]!);
      if (s > best1[t]!) {
        best2[t] = best1[t]!;
        best1[t] = s;
      } else if (s > best2[t]!) best2[t] = s;
    }
  }
  // Nothing the model knows (another script, an empty body): no topic, not the prior.
  if (linear(all, z) === 0) return scores;
  for (let t = 0; t < nt; t++) {
    const story = sigmoid(model.topics[t]!.bias + z[t]!);
    scores[t] = Math.max(story, (best1[t]! + best2[t]!) / 2);
  }
  return scores;
}

/**
 * Topics of a story: every topic whose score reaches its threshold, best first (ties by code).
 * Answers `[]` for empty, unknown-language or non-text input; never throws.
 */
export function classifyText(model: TopicModel, input: ClassifyInput): TopicScore[] {
  const scores = scoreAllTopics(model, input);
  const out: TopicScore[] = [];
  for (let t = 0; t < model.topics.length; t++) {
    const topic = model.topics[t]!;
    const s = scores[t]!;
    if (s >= topic.threshold && s > 0) out.push({ slug: topic.slug, code: topic.code, score: Math.round(s * 1000) / 1000 });
  }
  return out.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1));
}

export interface TopicMetrics {
  slug: string;
  support: number;
  predicted: number;
  tp: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Per-topic precision, recall and F1 over multi-label gold and predictions (slug lists), and their
 * macro mean over `slugs` (default: every slug with gold support). P and R of a topic with nothing
 * predicted or no support count as 0; F1 as 0 unless both are positive.
 */
export function topicMetrics(
  gold: readonly (readonly string[])[],
  predicted: readonly (readonly string[])[],
  slugs?: readonly string[],
): { rows: TopicMetrics[]; macroF1: number } {
  const names = slugs ?? [...new Set(gold.flat())].sort();
  const rows = names.map((slug) => {
    let tp = 0;
    let support = 0;
    let pred = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i]!.includes(slug);
      const p = (predicted[i] ?? []).includes(slug);
      if (g) support++;
      if (p) pred++;
      if (g && p) tp++;
    }
    const precision = pred ? tp / pred : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { slug, support, predicted: pred, tp, precision, recall, f1 };
  });
  const macroF1 = rows.length ? rows.reduce((s, r) => s + r.f1, 0) / rows.length : 0;
  return { rows, macroF1 };
}

/** The metrics as a fixed-width text table (what `wirefeed classify --eval` and the scripts print). */
export function formatMetrics(m: { rows: TopicMetrics[]; macroF1: number }): string {
  const f = (x: number) => x.toFixed(3);
  const lines = [`${'topic'.padEnd(20)} ${'support'.padStart(7)} ${'pred'.padStart(5)} ${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)}`];
  for (const r of m.rows) {
    lines.push(`${r.slug.padEnd(20)} ${String(r.support).padStart(7)} ${String(r.predicted).padStart(5)} ${f(r.precision).padStart(6)} ${f(r.recall).padStart(6)} ${f(r.f1).padStart(6)}`);
  }
  lines.push(`${'macro-F1'.padEnd(20)} ${''.padStart(7)} ${''.padStart(5)} ${''.padStart(6)} ${''.padStart(6)} ${f(m.macroF1).padStart(6)}`);
  return lines.join('\n');
}
