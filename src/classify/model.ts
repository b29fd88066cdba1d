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

/** One known feature: its weights are `n` slots from `at` in the model's flat arrays. `stamp`/`tf` are scratch counters of the scoring in progress. */
interface FeatureEntry {
  idf: number;
  at: number;
  n: number;
  stamp: number;
  tf: number;
}

/** A stem: its unigram feature, and the bigrams it starts, keyed by the second stem (no string concatenation at scoring time). */
interface VocabNode {
  entry?: FeatureEntry;
  next?: Map<string, FeatureEntry>;
}

/** A folded word as the model sees it: its stem and the stem's node (undefined: a stem the model does not know). */
interface WordInfo {
  stem: string;
  node: VocabNode | undefined;
}

export interface TopicModel {
  readonly topics: readonly ModelTopic[];
  readonly decision: Decision;
  /** Languages it was trained on (empty: not said). */
  readonly languages: readonly string[];
  /** Number of known features (unigrams + bigrams). */
  readonly size: number;
  readonly vocab: ReadonlyMap<string, VocabNode>;
  /** Topic index and weight of every (feature, topic) slot, feature after feature. */
  readonly slotTopic: Uint8Array;
  readonly slotWeight: Float32Array;
  /** Folded word → what it stands for (null: dropped), filled as words are met; bounded by {@link WORD_CACHE_MAX}. */
  readonly words: Map<string, WordInfo | null>;
}

/** Distinct words remembered per model before the cache starts over (≈ 30 MB at most). */
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
  const slotTopic = new Uint8Array(f.length >> 1); // each slot takes two entries of the list: enough
  const slotWeight = new Float32Array(slotTopic.length);
  const vocab = new Map<string, VocabNode>();
  let size = 0;
  let at = 0;
  for (let p = 0; p < f.length; ) {
    const key = f[p];
    const n = f[p + 2];
    if (typeof key !== 'string' || typeof n !== 'number') throw new Error(`malformed feature list at ${p}`);
    const entry: FeatureEntry = { idf: Number(f[p + 1]) / scale, at, n, stamp: 0, tf: 0 };
    p += 3;
    for (let i = 0; i < n; i++, p += 2) {
      slotTopic[at] = Number(f[p]);
      slotWeight[at++] = Number(f[p + 1]) / scale;
    }
    const space = key.indexOf(' ');
    const first = space < 0 ? key : key.slice(0, space);
    let node = vocab.get(first);
    if (!node) vocab.set(first, (node = {}));
    if (space < 0) node.entry = entry;
    else (node.next ??= new Map()).set(key.slice(space + 1), entry);
    size++;
  }
  const languages = Array.isArray(file.languages) ? file.languages.filter((l): l is string => typeof l === 'string') : [];
  return {
    topics,
    decision: { floor: file.decision.floor / scale, alpha: file.decision.alpha / scale },
    languages,
    size,
    vocab,
    slotTopic,
    slotWeight,
    words: new Map(),
  };
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

/** Scratch state of one scoring call (scoring is synchronous, so one stamp counter is enough). */
let stamp = 0;
const touched: FeatureEntry[] = [];

/**
 * Every topic's probability for a story, in the model's topic order, or null when the model knows
 * nothing in the text (another script, an empty body). Never throws.
 */
export function scoreStory(model: TopicModel, input: ClassifyInput): Float64Array | null {
  const s = ++stamp;
  touched.length = 0;
  const count = (e: FeatureEntry) => {
    if (e.stamp !== s) {
      e.stamp = s;
      e.tf = 0;
      touched.push(e);
    }
    e.tf++;
  };
  try {
    const { headline, paragraphs } = foldedStory(input ?? {});
    for (const words of [headline, ...paragraphs]) {
      let prev: VocabNode | undefined;
      for (const w of words) {
        let info = model.words.get(w);
        if (info === undefined) {
          const stem = stemWord(w);
          info = stem === null ? null : { stem, node: model.vocab.get(stem) };
          if (model.words.size >= WORD_CACHE_MAX) model.words.clear();
          model.words.set(w, info);
        }
        if (!info) continue; // a function word: transparent, as in training
        const bigram = prev?.next?.get(info.stem);
        if (bigram) count(bigram);
        if (info.node?.entry) count(info.node.entry);
        prev = info.node;
      }
    }
  } catch {
    return null;
  }
  const nt = model.topics.length;
  const out = new Float64Array(nt);
  let norm = 0;
  const { slotTopic, slotWeight } = model;
  for (const e of touched) {
    const x = (e.tf === 1 ? 1 : 1 + Math.log(e.tf)) * e.idf;
    norm += x * x;
    for (let i = e.at, end = e.at + e.n; i < end; i++) out[slotTopic[i]!]! += slotWeight[i]! * x;
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
  const known: { feature: string; entry: FeatureEntry; x: number }[] = [];
  let norm = 0;
  for (const [feature, tf] of storyCounts(input ?? {})) {
    const space = feature.indexOf(' ');
    const node = model.vocab.get(space < 0 ? feature : feature.slice(0, space));
    const entry = space < 0 ? node?.entry : node?.next?.get(feature.slice(space + 1));
    if (!entry) continue;
    const x = (tf === 1 ? 1 : 1 + Math.log(tf)) * entry.idf;
    norm += x * x;
    known.push({ feature, entry, x });
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const kept = new Set(decide(model, scores));
  const best = topIndex(scores);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return model.topics
    .map((t, ti) => {
      const parts: Contribution[] = [];
      for (const { feature, entry, x } of known) {
        for (let i = entry.at; i < entry.at + entry.n; i++) if (model.slotTopic[i] === ti) parts.push({ feature, weight: model.slotWeight[i]! * x * inv });
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
