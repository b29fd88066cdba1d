/**
 * The topic model: multi-label inference over the 17 top-level IPTC Media Topics for items that
 * carry no provider codes. One logistic scorer per topic over folded, stemmed unigrams + bigrams
 * (tf-idf, L2-normalized), trained by scripts/train-classifier.ts into assets/model/topics.json.
 * A score is a probability: the training script folds each topic's calibration into its weights.
 *
 * The decision, with parameters stored in the model file and tuned on held-out outlets and writers:
 *  - the story's best topic, when its score reaches `decision.floor`;
 *  - any other topic whose score reaches its own threshold and at least `decision.alpha` × the
 *    best topic's score.
 * Trained on multi-topic stories whose mere mentions are negatives, it gives a second topic when
 * the story develops it; keyword rules add the themes it misses (the seed's pandemic and space
 * paragraphs) and correct it.
 *
 * Pure apart from {@link loadModelFile}: no clock, no network; never throws on odd input.
 */
import { readFileSync } from 'node:fs';
import { foldedStory, segmentFeatures, stemWord, storySegments } from './model-features.ts';

export const MODEL_FORMAT = 'wirefeed-topic-model/3';

export interface ModelTopic {
  slug: string;
  code: string;
  bias: number;
  threshold: number;
}

/** How scores become topics (see the module comment). */
export interface Decision {
  floor: number;
  alpha: number;
}

/** The model file as stored (JSON). Weights, idf, thresholds and decision are integers scaled by `scale`. */
export interface TopicModelFile {
  format: typeof MODEL_FORMAT;
  /** What it was trained from, for humans. */
  trainedOn?: string;
  scale: number;
  /** Primary language subtags of the training texts; the pipeline asks the model about these (and `und`) only. */
  languages?: string[];
  decision: Decision;
  topics: ModelTopic[];
  /**
   * One flat list, feature after feature: `feature` (`stem` or `stem stem`), idf, n, then n pairs
   * topicIndex, weight — numbers scaled integers. Flat, because parsing 200,000 small arrays and
   * an object of 200,000 keys costs several times the load budget.
   */
  features: (string | number)[];
}

/** What the word cache holds for a folded word without a stem the model knows: */
const UNKNOWN = -1; // a stem the model does not know (it breaks word pairs)
const DROPPED = -2; // a function word or a number (transparent, as in training)

export interface TopicModel {
  readonly topics: readonly ModelTopic[];
  readonly decision: Decision;
  /** Languages it was trained on (empty: not said). */
  readonly languages: readonly string[];
  /** Number of known features (unigrams + bigrams). */
  readonly size: number;
  /** Every stem of a feature → its number. */
  readonly stems: ReadonlyMap<string, number>;
  /** Stem number → its unigram feature's number, or -1. */
  readonly unigram: Int32Array;
  /** Bigram features: an open-addressing table of (first stem, second stem) → feature number; see {@link bigramFeature}. */
  readonly bigram: BigramTable;
  /** Per feature: idf, and its weights as `n` slots from `at` in slotTopic/slotWeight. */
  readonly idf: Float32Array;
  readonly at: Int32Array;
  readonly n: Uint8Array;
  /** Topic index and weight of every (feature, topic) slot, feature after feature. */
  readonly slotTopic: Uint8Array;
  readonly slotWeight: Float32Array;
  /** Folded word → its stem's number, {@link UNKNOWN} or {@link DROPPED}; filled as words are met, bounded by {@link WORD_CACHE_MAX}. */
  readonly words: Map<string, number>;
  /** Scratch of the scoring in progress (scoring is synchronous): per feature, the call that last counted it and its count. */
  readonly scratch: { call: number; stamp: Int32Array; tf: Float32Array; touched: Int32Array };
}

/** Distinct words remembered per model before the cache starts over (a few MB of strings and numbers). */
const WORD_CACHE_MAX = 200_000;

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
  if (!file || file.format !== MODEL_FORMAT || !Array.isArray(file.topics) || !Array.isArray(file.features) || !file.decision) {
    throw new Error(`not a ${MODEL_FORMAT} model file`);
  }
  const scale = file.scale || 1;
  const topics = file.topics.map((t) => ({ slug: t.slug, code: t.code, bias: t.bias / scale, threshold: t.threshold / scale }));
  const f = file.features;
  // Count the features first, so every table is one typed array allocated once.
  let size = 0;
  for (let p = 0; p < f.length; p += 3 + 2 * Number(f[p + 2])) {
    if (typeof f[p] !== 'string' || typeof f[p + 2] !== 'number') throw new Error(`malformed feature list at ${p}`);
    size++;
  }
  const stems = new Map<string, number>();
  const stemOf = (w: string) => {
    let id = stems.get(w);
    if (id === undefined) stems.set(w, (id = stems.size));
    return id;
  };
  const first = new Int32Array(size);
  const second = new Int32Array(size);
  const idf = new Float32Array(size);
  const at = new Int32Array(size);
  const n = new Uint8Array(size);
  const slotTopic = new Uint8Array(f.length >> 1); // each slot takes two entries of the list: enough
  const slotWeight = new Float32Array(slotTopic.length);
  let slot = 0;
  let bigrams = 0;
  for (let k = 0, p = 0; k < size; k++) {
    const key = f[p] as string;
    const space = key.indexOf(' ');
    first[k] = stemOf(space < 0 ? key : key.slice(0, space));
    second[k] = space < 0 ? -1 : stemOf(key.slice(space + 1));
    if (space >= 0) bigrams++;
    idf[k] = Number(f[p + 1]) / scale;
    at[k] = slot;
    n[k] = Number(f[p + 2]);
    p += 3;
    for (let i = 0; i < n[k]!; i++, p += 2) {
      slotTopic[slot] = Number(f[p]);
      slotWeight[slot++] = Number(f[p + 1]) / scale;
    }
  }
  const unigram = new Int32Array(stems.size).fill(-1);
  for (let k = 0; k < size; k++) if (second[k]! < 0) unigram[first[k]!] = k;
  const languages = Array.isArray(file.languages) ? file.languages.filter((l): l is string => typeof l === 'string') : [];
  return {
    topics,
    decision: { floor: file.decision.floor / scale, alpha: file.decision.alpha / scale },
    languages,
    size,
    stems,
    unigram,
    bigram: bigramTable(first, second, bigrams),
    idf,
    at,
    n,
    slotTopic,
    slotWeight,
    words: new Map(),
    scratch: { call: 0, stamp: new Int32Array(size), tf: new Float32Array(size), touched: new Int32Array(size) },
  };
}

/**
 * (first stem, second stem) → feature number, in typed arrays with linear probing: a lookup when
 * scoring allocates nothing and hashes two small integers (a Map keyed by first × stems + second
 * would key on heap numbers past 2³¹ and cost several times more).
 */
interface BigramTable {
  mask: number;
  first: Int32Array;
  second: Int32Array;
  feature: Int32Array;
}

const pairSlot = (a: number, b: number, mask: number) => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) & mask;

function bigramTable(first: Int32Array, second: Int32Array, count: number): BigramTable {
  let cap = 16;
  while (cap < count * 2) cap <<= 1;
  const t: BigramTable = { mask: cap - 1, first: new Int32Array(cap).fill(-1), second: new Int32Array(cap), feature: new Int32Array(cap) };
  for (let k = 0; k < first.length; k++) {
    const a = first[k]!;
    const b = second[k]!;
    if (b < 0) continue;
    let i = pairSlot(a, b, t.mask);
    while (t.first[i] !== -1) i = (i + 1) & t.mask;
    t.first[i] = a;
    t.second[i] = b;
    t.feature[i] = k;
  }
  return t;
}

/** The feature number of the bigram (a, b), or -1. */
function bigramFeature(t: BigramTable, a: number, b: number): number {
  for (let i = pairSlot(a, b, t.mask); ; i = (i + 1) & t.mask) {
    const f = t.first[i]!;
    if (f === -1) return -1;
    if (f === a && t.second[i] === b) return t.feature[i]!;
  }
}

/** The number of a feature (`stem` or `stem stem`), or -1 when the model does not know it. */
function featureNumber(model: TopicModel, feature: string): number {
  const space = feature.indexOf(' ');
  if (space < 0) {
    const id = model.stems.get(feature);
    return id === undefined ? -1 : model.unigram[id]!;
  }
  const a = model.stems.get(feature.slice(0, space));
  const b = model.stems.get(feature.slice(space + 1));
  return a === undefined || b === undefined ? -1 : bigramFeature(model.bigram, a, b);
}

/** Reads and loads a model file: the one I/O helper of the classifier. */
export function loadModelFile(path: string): TopicModel {
  return loadModel(readFileSync(path, 'utf8'));
}

/** The committed model's path, resolved from this module (works from any working directory). */
export const DEFAULT_MODEL_PATH = new URL('../../assets/model/topics.json', import.meta.url).pathname;

/** Feature counts of a text as training sees them. */
export function storyCounts(input: ClassifyInput): Map<string, number> {
  const all = new Map<string, number>();
  for (const segment of storySegments(input)) for (const f of segmentFeatures(segment)) all.set(f, (all.get(f) ?? 0) + 1);
  return all;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Every topic's probability for a story, in the model's topic order, or null when the model knows
 * nothing in the text (another script, an empty body). Never throws.
 */
export function scoreStory(model: TopicModel, input: ClassifyInput): Float64Array | null {
  const { words, stems, unigram, bigram, scratch } = model;
  const call = ++scratch.call;
  const { stamp, tf, touched } = scratch;
  let count = 0;
  try {
    const { headline, paragraphs } = foldedStory(input ?? {});
    for (let seg = -1; seg < paragraphs.length; seg++) {
      const segment = seg < 0 ? headline : paragraphs[seg]!;
      let prev = UNKNOWN;
      for (let w = 0; w < segment.length; w++) {
        const word = segment[w]!;
        let id = words.get(word);
        if (id === undefined) {
          const stem = stemWord(word);
          id = stem === null ? DROPPED : (stems.get(stem) ?? UNKNOWN);
          if (words.size >= WORD_CACHE_MAX) words.clear();
          words.set(word, id);
        }
        if (id === DROPPED) continue;
        if (id >= 0) {
          // The word pair first, then the word: each feature counted once per occurrence.
          for (let pass = 0; pass < 2; pass++) {
            const k = pass === 0 ? (prev >= 0 ? bigramFeature(bigram, prev, id) : -1) : unigram[id]!;
            if (k < 0) continue;
            if (stamp[k] !== call) {
              stamp[k] = call;
              tf[k] = 0;
              touched[count++] = k;
            }
            tf[k]!++;
          }
        }
        prev = id;
      }
    }
  } catch {
    return null;
  }
  const nt = model.topics.length;
  const out = new Float64Array(nt);
  let norm = 0;
  const { slotTopic, slotWeight, idf, at, n } = model;
  for (let j = 0; j < count; j++) {
    const k = touched[j]!;
    const c = tf[k]!;
    const x = (c === 1 ? 1 : 1 + Math.log(c)) * idf[k]!;
    norm += x * x;
    for (let i = at[k]!, end = i + n[k]!; i < end; i++) out[slotTopic[i]!]! += slotWeight[i]! * x;
  }
  if (norm === 0) return null;
  const inv = 1 / Math.sqrt(norm);
  for (let t = 0; t < nt; t++) out[t] = sigmoid(model.topics[t]!.bias + out[t]! * inv);
  return out;
}

/** Index of the best-scoring topic (the first one on a tie). */
export function topIndex(scores: Float64Array): number {
  let top = 0;
  for (let t = 1; t < scores.length; t++) if (scores[t]! > scores[top]!) top = t;
  return top;
}

/** Indexes of the topics the decision rule keeps (see the module comment), unordered. */
export function decide(model: TopicModel, scores: Float64Array | null, decision: Decision = model.decision): number[] {
  if (!scores) return [];
  const top = topIndex(scores);
  const out: number[] = [];
  for (let t = 0; t < scores.length; t++) {
    const s = scores[t]!;
    if (t === top ? s >= decision.floor || s >= model.topics[t]!.threshold : s >= model.topics[t]!.threshold && s >= decision.alpha * scores[top]!) out.push(t);
  }
  return out;
}

/**
 * Topics of a story, best first (ties by code), each with its score.
 * Answers `[]` for empty, unknown-language or non-text input; never throws.
 */
export function classifyText(model: TopicModel, input: ClassifyInput): TopicScore[] {
  const scores = scoreStory(model, input);
  return decide(model, scores)
    .map((t) => ({ slug: model.topics[t]!.slug, code: model.topics[t]!.code, score: Math.round(scores![t]! * 1000) / 1000 }))
    .sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1));
}

/** One feature's part in a topic's logit: `weight` = model weight × the feature's tf-idf in the story (normalized). */
export interface Contribution {
  feature: string;
  weight: number;
}

/** Why the model gave a topic its score: the bias, then what each word (or word pair) of the story added. */
export interface TopicExplanation {
  slug: string;
  code: string;
  /** Probability, as {@link classifyText} reports it. */
  score: number;
  /** The score the decision rule asks of this topic in this story: the lower of its threshold and the floor for the best topic; for the others, the higher of its threshold and alpha × the best score. */
  threshold: number;
  /** Whether the decision rule keeps the topic. */
  assigned: boolean;
  bias: number;
  /** The features that raised the logit most, strongest first. */
  raised: Contribution[];
  /** The features that lowered it most, strongest first. */
  lowered: Contribution[];
}

/**
 * Every topic's score with the features that raised and lowered it (at most `top` of each), best
 * topic first; [] when the model knows nothing in the text. Slower than {@link classifyText}: for
 * operators (`wirefeed classify --explain`), not the pipeline.
 */
export function explainStory(model: TopicModel, input: ClassifyInput, top = 6): TopicExplanation[] {
  const scores = scoreStory(model, input);
  if (!scores) return [];
  const known: { feature: string; k: number; x: number }[] = [];
  let norm = 0;
  for (const [feature, tf] of storyCounts(input ?? {})) {
    const k = featureNumber(model, feature);
    if (k < 0) continue;
    const x = (tf === 1 ? 1 : 1 + Math.log(tf)) * model.idf[k]!;
    norm += x * x;
    known.push({ feature, k, x });
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const kept = new Set(decide(model, scores));
  const best = topIndex(scores);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return model.topics
    .map((t, ti) => {
      const parts: Contribution[] = [];
      for (const { feature, k, x } of known) {
        for (let i = model.at[k]!; i < model.at[k]! + model.n[k]!; i++) if (model.slotTopic[i] === ti) parts.push({ feature, weight: model.slotWeight[i]! * x * inv });
      }
      parts.sort((a, b) => b.weight - a.weight || (a.feature < b.feature ? -1 : 1));
      const shown = (list: Contribution[]) => list.slice(0, top).map((c) => ({ feature: c.feature, weight: round(c.weight) }));
      return {
        slug: t.slug,
        code: t.code,
        score: round(scores[ti]!),
        // What the decision rule asks of this topic for this story (see the module comment).
        threshold: round(ti === best ? Math.min(t.threshold, model.decision.floor) : Math.max(t.threshold, model.decision.alpha * scores[best]!)),
        assigned: kept.has(ti),
        bias: round(t.bias),
        raised: shown(parts.filter((c) => c.weight > 0)),
        lowered: shown(parts.filter((c) => c.weight < 0).reverse()),
      };
    })
    .sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1));
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
