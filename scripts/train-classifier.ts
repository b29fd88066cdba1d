/**
 * Trains the topic model (src/classify/model.ts) and writes assets/model/topics.json.
 *
 *   node --import tsx scripts/train-classifier.ts [--shared ../shared] [--out assets/model/topics.json] [--extra DIR]
 *
 * Data (nothing downloaded):
 *  - ../shared/corpora/topics: 42,800 topic-labelled Arabic articles of five outlets, labels mapped
 *    as in its INDEX.md (region and mixed sections: see {@link TOPIC_LABELS});
 *  - assets/training/own-*.jsonl: stories written for this project in Arabic, English and French,
 *    labelled by tests/fixtures/classify/LABELLING.md (every topic, multi-label, with mentions);
 *  - IPTC Media Topics: every concept's labels (en, ar, fr) and definitions, with its narrower
 *    concepts' labels, is an example of its top-level topic; legacy Subject Codes (en) too;
 *  - the agency wire fixtures whose items carry IPTC subject / media-topic codes;
 *  - `--extra DIR`: further JSON Lines `{id, outlet, language, labels, title, text}`, if given.
 * Method: one logistic scorer per topic (SGD, fixed seed) on L2-normalized tf-idf unigrams +
 * bigrams. Every outlet (and every file of own stories) is held out in turn: those out-of-fold
 * scores give the cross-outlet tables, a per-topic Platt calibration (folded into the weights, so
 * a score is a probability), the per-topic thresholds and the decision rule. Prints its figures.
 * Deterministic: same input → same bytes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  decide,
  formatMetrics,
  loadModel,
  MODEL_FORMAT,
  storyCounts,
  topIndex,
  topicMetrics,
  type Decision,
  type TopicModel,
  type TopicModelFile,
} from '../src/classify/model.ts';
import { TOP_LEVEL_TOPICS } from '../src/classify/top-level-topics.ts';
import { decodeBody } from '../src/fetch/decode-body.ts';
import { parseDocument } from '../src/formats/parse-document.ts';

export const SLUGS = TOP_LEVEL_TOPICS.map((t) => t.slug);
const SLUG_BY_CODE = new Map(TOP_LEVEL_TOPICS.map((t) => [t.code, t.slug]));
const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/**
 * Label of ../shared/corpora/topics → topic, as its INDEX.md maps them. `null`: a region or a
 * mixture (internationalNews, middleEast, localNews, diverse, others), not a topic. Those are kept
 * as negatives for the topics their outlet files in sections of their own (an AlArabiya
 * middleEast story is, by the outlet's own filing, not its economy or sport story) and say nothing
 * of the others (they are mostly politics and conflict, unlabelled). `crime-war-conflict` joins
 * two topics; it is a positive of neither alone and a negative of the outlet's other sections.
 */
export const TOPIC_LABELS: Record<string, string | null> = {
  culture: 'arts-culture',
  Culture: 'arts-culture',
  'art-and-entertainment': 'arts-culture',
  economy: 'economy',
  Finance: 'economy',
  'business-and-economy': 'economy',
  sport: 'sport',
  Sports: 'sport',
  sports: 'sport',
  technology: 'science-technology',
  Tech: 'science-technology',
  'science-and-technology': 'science-technology',
  politic: 'politics',
  Politics: 'politics',
  politics: 'politics',
  'human-rights-press-freedom': 'politics',
  society: 'society',
  Medical: 'health',
  health: 'health',
  Religion: 'religion',
  spiritual: 'religion',
  environment: 'environment',
  education: 'education',
  'crime-war-conflict': 'conflict+crime-law',
  internationalNews: null,
  middleEast: null,
  localNews: null,
  diverse: null,
  others: null,
};

/** The outlets of ../shared/corpora/topics, by the file that holds them. */
const TOPIC_FILES = ['ant-alarabiya-bbc', 'ant-jawharafm', 'sanad-khaleej', 'asnd-aljazeera'];

export interface Example {
  id: string;
  group: 'article' | 'own' | 'taxonomy';
  /** Outlet (alarabiya, bbc, …, wire) or own-story file (own-en-a, …); the unit held out together. */
  source: string;
  language: string;
  headline: string;
  body: string;
  /** Topics it is about. */
  labels: string[];
  /** Topics it is known not to be about; topics in neither list are not trained on this example. */
  negatives: string[];
  /** Topics it mentions without being about them (own stories): negatives weighted up. */
  mentions?: string[];
}

// ---------------------------------------------------------------------------------------------
// Data

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const outletName = (raw: string) => {
  const o = raw.toLowerCase();
  return o === 'alarabia' ? 'alarabiya' : o;
};

/** ../shared/corpora/topics, labels mapped by {@link TOPIC_LABELS}. */
export function loadTopicCorpora(shared: string): Example[] {
  const out: Example[] = [];
  for (const file of TOPIC_FILES) {
    const rows = jsonLines(gunzipSync(readFileSync(join(shared, 'corpora/topics', `${file}.jsonl.gz`))).toString('utf8'));
    // The topics each outlet has a section for: an article of one section is a negative of the others.
    const sections = new Map<string, Set<string>>();
    for (const r of rows) {
      const label = String(r.label);
      if (!(label in TOPIC_LABELS)) throw new Error(`${file}: unknown label ${label}`);
      const outlet = outletName(String(r.outlet));
      if (!sections.has(outlet)) sections.set(outlet, new Set());
      for (const s of TOPIC_LABELS[label]?.split('+') ?? []) sections.get(outlet)!.add(s);
    }
    for (const r of rows) {
      const outlet = outletName(String(r.outlet));
      const mapped = TOPIC_LABELS[String(r.label)]!;
      const own = mapped?.split('+') ?? [];
      const labels = own.length === 1 ? own : [];
      out.push({
        id: String(r.id),
        group: 'article',
        source: outlet,
        language: 'ar',
        headline: String(r.title ?? ''),
        body: String(r.text ?? ''),
        labels,
        negatives: [...sections.get(outlet)!].filter((s) => !own.includes(s)).sort(),
      });
    }
  }
  return out;
}

/** JSON Lines of labelled stories (the LABELLING.md shape); every topic not labelled is a negative. */
export function readLabelledStories(path: string, source: string, group: Example['group']): Example[] {
  return jsonLines(readFileSync(path, 'utf8')).map((r, i) => {
    const labels = (r.labels as string[]).filter((s) => SLUGS.includes(s));
    if (!labels.length) throw new Error(`${path}:${i + 1}: no known topic in labels`);
    return {
      id: String(r.id),
      group,
      source,
      language: String(r.language ?? 'und'),
      headline: String(r.headline ?? r.title ?? ''),
      body: String(r.body ?? r.text ?? ''),
      labels,
      negatives: SLUGS.filter((s) => !labels.includes(s)),
      mentions: Array.isArray(r.mentions) ? (r.mentions as string[]).filter((s) => SLUGS.includes(s) && !labels.includes(s)) : [],
    };
  });
}

/** assets/training/own-*.jsonl: each file is written by one hand, so each is held out as a unit. */
export function loadOwnStories(dir = join(ROOT, 'assets/training')): Example[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^own-.*\.jsonl$/.test(f))
    .sort()
    .flatMap((f) => readLabelledStories(join(dir, f), basename(f, '.jsonl'), 'own'));
}

/** `--extra DIR`: JSON Lines `{id, outlet, language, labels, title, text}` (e.g. a derived Wikinews set); the outlet is held out as a unit. */
export function loadExtra(dir: string): Example[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      jsonLines(readFileSync(join(dir, f), 'utf8'))
        .map((r) => ({ ...r, labels: (r.labels as string[]).filter((s) => SLUGS.includes(s)) }) as Record<string, unknown> & { labels: string[] })
        .filter((r) => r.labels.length)
        .map((r) => ({
          id: String(r.id),
          group: 'article' as const,
          source: String(r.outlet),
          language: String(r.language),
          headline: String(r.title ?? ''),
          body: String(r.text ?? ''),
          labels: r.labels,
          negatives: SLUGS.filter((s) => !r.labels.includes(s)),
        })),
    );
}

interface Concept {
  uri: string;
  qcode: string;
  prefLabel?: Record<string, string>;
  definition?: Record<string, string>;
  broader?: string[];
}

/** medtop code → top-level slug, following `broader`. */
export function mediaTopicTops(shared: string): { concepts: Concept[]; topOf: Map<string, string> } {
  const json = JSON.parse(readFileSync(join(shared, 'corpora/taxonomy/iptc-mediatopic-cptall-x-all.json'), 'utf8')) as { conceptSet: Concept[] };
  const byUri = new Map(json.conceptSet.map((c) => [c.uri, c]));
  const topOf = new Map<string, string>();
  for (const c of json.conceptSet) {
    let x: Concept | undefined = c;
    for (let i = 0; i < 10 && x?.broader?.length; i++) x = byUri.get(x.broader[0]!);
    const slug = x ? SLUG_BY_CODE.get(x.qcode.replace('medtop:', '')) : undefined;
    if (slug) topOf.set(c.qcode.replace('medtop:', ''), slug);
  }
  return { concepts: json.conceptSet, topOf };
}

export function loadTaxonomy(shared: string): Example[] {
  const { concepts, topOf } = mediaTopicTops(shared);
  const children = new Map<string, Concept[]>();
  for (const c of concepts) for (const b of c.broader ?? []) children.set(b, [...(children.get(b) ?? []), c]);
  const out: Example[] = [];
  const push = (id: string, language: string, slug: string, headline: string, body: string) => {
    if (!headline && !body) return;
    out.push({ id, group: 'taxonomy', source: 'iptc', language, headline, body, labels: [slug], negatives: SLUGS.filter((s) => s !== slug) });
  };
  for (const c of concepts) {
    const code = c.qcode.replace('medtop:', '');
    const slug = topOf.get(code);
    if (!slug) continue;
    const kids = children.get(c.uri) ?? [];
    for (const [lang, key] of [['en', 'en-GB'], ['fr', 'fr'], ['ar', 'ar']] as const) {
      const label = c.prefLabel?.[key]?.trim() ?? '';
      const def = c.definition?.[key]?.trim() ?? '';
      const kidLabels = kids.map((k) => k.prefLabel?.[key]?.trim() ?? '').filter(Boolean);
      push(`medtop:${code}:${lang}`, lang, slug, label, [def, ...kidLabels].filter(Boolean).join('\n'));
    }
  }
  const subj = JSON.parse(readFileSync(join(shared, 'corpora/taxonomy/iptc-subjectcodes-en.json'), 'utf8')) as Record<string, string>;
  for (const code of Object.keys(subj).sort()) {
    const slug = SLUG_BY_CODE.get(code.slice(0, 2) + '000000');
    if (slug) push(`subj:${code}`, 'en', slug, subj[code]!, '');
  }
  return out;
}

/** Agency wire items that carry IPTC subject or media-topic codes; their codes are their labels. */
export async function loadWire(shared: string): Promise<Example[]> {
  const root = join(shared, 'corpora/wire');
  const { topOf } = mediaTopicTops(shared);
  const out: Example[] = [];
  const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const dir of dirs) {
    for (const file of readdirSync(join(root, dir)).sort()) {
      let items;
      try {
        items = (await parseDocument(decodeBody(readFileSync(join(root, dir, file)), null))).items;
      } catch {
        continue;
      }
      items.forEach((it, i) => {
        const labels = new Set<string>();
        for (const s of it.subjects ?? []) {
          const m = /^(?:(subj|medtop|sttsubj|iptc)[:])?(\d{8})$/.exec(s.code);
          if (!m) continue;
          const code = m[2]!;
          const slug = m[1] === 'medtop' || code.startsWith('2') ? topOf.get(code) : SLUG_BY_CODE.get(code.slice(0, 2) + '000000');
          if (slug) labels.add(slug);
        }
        const body = (it.contentText ?? (it.contentHtml ?? '').replace(/<[^>]+>/g, ' ')).trim();
        if (!labels.size || body.length < 200) return;
        out.push({
          id: `${dir}/${file}#${i}`,
          group: 'article',
          source: 'wire',
          language: it.language ?? 'und',
          headline: it.title ?? '',
          body,
          labels: [...labels].sort(),
          // Agencies code every topic a story is about, so what they leave out is a negative.
          negatives: SLUGS.filter((s) => !labels.has(s)),
        });
      });
    }
  }
  return out;
}

export async function loadAll(shared: string, extra?: string): Promise<Example[]> {
  return [...loadTaxonomy(shared), ...(await loadWire(shared)), ...loadTopicCorpora(shared), ...loadOwnStories(), ...(extra ? loadExtra(extra) : [])];
}

// ---------------------------------------------------------------------------------------------
// Features, counted once per example and shared by every fold

/** mulberry32: a small seeded PRNG, so shuffles are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every example's feature counts, with features numbered in order of first sight. */
export interface Featurized {
  examples: readonly Example[];
  names: string[];
  ids: Int32Array[];
  tfs: Float32Array[];
}

export function featurize(examples: readonly Example[]): Featurized {
  const dict = new Map<string, number>();
  const names: string[] = [];
  const ids: Int32Array[] = [];
  const tfs: Float32Array[] = [];
  for (const e of examples) {
    const counts = storyCounts(e);
    const a = new Int32Array(counts.size);
    const b = new Float32Array(counts.size);
    let q = 0;
    for (const [f, n] of counts) {
      let j = dict.get(f);
      if (j === undefined) dict.set(f, (j = names.push(f) - 1));
      a[q] = j;
      b[q++] = n;
    }
    ids.push(a);
    tfs.push(b);
  }
  return { examples, names, ids, tfs };
}

export interface TrainOptions {
  seed?: number;
  epochs?: number;
  /** L2 strength per step on touched weights. */
  l2?: number;
  /** Minimum document frequency of a feature outside the taxonomy texts. */
  minDf?: number;
  /** Weight of a taxonomy text against an article in the loss. */
  taxonomyWeight?: number;
  /** Weight of a `mentions` negative (a topic the story names without being about it). */
  mentionWeight?: number;
  /** Cap on the weight of a positive (classes balanced by √(negatives/positives)). */
  positiveCap?: number;
}

const DEFAULTS: Required<TrainOptions> = {
  seed: 20240601,
  epochs: 8,
  l2: 1e-4,
  minDf: 4,
  taxonomyWeight: 1,
  mentionWeight: 3,
  positiveCap: 8,
};

/** What the training texts are written in: articles (ar), IPTC labels and own stories (ar, en, fr). */
const LANGUAGES = ['ar', 'en', 'fr'];
const SCALE = 1000;
/** Weights below this (scaled) are dropped from the file: each moves a logit by less than 0.23 (a normalized tf-idf value is at most 1); 0.23 rather than 0.12 keeps the file under 5 MB for about −0.005 macro-F1 on the hand-labelled sets. */
const PRUNE = 230;
/** Default threshold of a topic without held-out positives to tune on. */
const UNTUNED_THRESHOLD = 0.5;

/** Weights and idf over the feature numbering of a {@link Featurized}; logits, not probabilities. */
export interface Weights {
  idf: Float32Array;
  W: Float32Array[];
  bias: Float64Array;
}

interface Vector {
  idx: Int32Array;
  val: Float32Array;
}

function vectorize(d: Featurized, k: number, idf: Float32Array): Vector {
  const a = d.ids[k]!;
  const t = d.tfs[k]!;
  const idx: number[] = [];
  const val: number[] = [];
  let norm = 0;
  for (let q = 0; q < a.length; q++) {
    const w = idf[a[q]!]!;
    if (!w) continue;
    const x = (1 + Math.log(t[q]!)) * w;
    idx.push(a[q]!);
    val.push(x);
    norm += x * x;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { idx: Int32Array.from(idx), val: Float32Array.from(val, (x) => x * inv) };
}

/** Trains the logistic scorers on the examples `train` (indexes into `d`). */
export function trainWeights(d: Featurized, train: readonly number[], opt: TrainOptions = {}): Weights {
  const o = { ...DEFAULTS, ...opt };
  const nf = d.names.length;
  const df = new Int32Array(nf);
  const fromTaxonomy = new Uint8Array(nf);
  for (const k of train) {
    const a = d.ids[k]!;
    const tax = d.examples[k]!.group === 'taxonomy';
    for (let q = 0; q < a.length; q++) {
      df[a[q]!]!++;
      if (tax) fromTaxonomy[a[q]!] = 1;
    }
  }
  // Vocabulary: every unigram of a taxonomy text; elsewhere, features seen in ≥ minDf examples.
  const n = train.length;
  const idf = new Float32Array(nf);
  for (let j = 0; j < nf; j++) {
    if (df[j]! >= o.minDf || (fromTaxonomy[j] && !d.names[j]!.includes(' '))) idf[j] = Math.log((n + 1) / (df[j]! + 1)) + 1;
  }
  const vecs = train.map((k) => vectorize(d, k, idf));
  const nt = SLUGS.length;
  // Per example and topic: 1 positive, 0 negative, -1 not trained; and the loss weight of a negative.
  const role = train.map((k) => {
    const e = d.examples[k]!;
    return Int8Array.from(SLUGS, (s) => (e.labels.includes(s) ? 1 : e.negatives.includes(s) ? 0 : -1));
  });
  const negWeight = train.map((k) => {
    const e = d.examples[k]!;
    return Float32Array.from(SLUGS, (s) => (e.mentions?.includes(s) ? o.mentionWeight : 1));
  });
  const exWeight = train.map((k) => (d.examples[k]!.group === 'taxonomy' ? o.taxonomyWeight : 1));
  const W = Array.from({ length: nt }, () => new Float32Array(nf));
  const bias = new Float64Array(nt);
  const posWeight = new Float64Array(nt);
  for (let t = 0; t < nt; t++) {
    let pos = 0;
    let neg = 0;
    for (const r of role) r[t] === 1 ? pos++ : r[t] === 0 ? neg++ : 0;
    posWeight[t] = pos ? Math.min(o.positiveCap, Math.sqrt(neg / pos)) : 1;
    bias[t] = pos ? Math.log(pos / Math.max(1, neg)) : -4;
  }
  const rand = prng(o.seed);
  const order = train.map((_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = 0.5 / (1 + epoch * 0.5);
    for (const k of order) {
      const v = vecs[k]!;
      if (!v.idx.length) continue;
      for (let t = 0; t < nt; t++) {
        const y = role[k]![t]!;
        if (y < 0) continue;
        const w = W[t]!;
        let z = bias[t]!;
        for (let a = 0; a < v.idx.length; a++) z += w[v.idx[a]!]! * v.val[a]!;
        const p = 1 / (1 + Math.exp(-z));
        const g = (p - y) * (y === 1 ? posWeight[t]! : negWeight[k]![t]!) * exWeight[k]!;
        bias[t]! -= g * lr * 0.1;
        for (let a = 0; a < v.idx.length; a++) {
          const j = v.idx[a]!;
          w[j] = w[j]! - lr * (g * v.val[a]! + o.l2 * w[j]!);
        }
      }
    }
  }
  return { idf, W, bias };
}

/** Every topic's logit for example `k`. */
export function logits(d: Featurized, m: Weights, k: number): Float64Array {
  const v = vectorize(d, k, m.idf);
  const out = new Float64Array(SLUGS.length);
  for (let t = 0; t < out.length; t++) {
    const w = m.W[t]!;
    let z = m.bias[t]!;
    for (let a = 0; a < v.idx.length; a++) z += w[v.idx[a]!]! * v.val[a]!;
    out[t] = v.idx.length ? z : Number.NaN;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Calibration, thresholds, decision

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Platt scaling: p = σ(a·z + b), fitted by Newton's method on (logit, label) pairs. */
export interface Platt {
  a: number;
  b: number;
}

export function fitPlatt(pairs: readonly { z: number; y: number; w?: number }[]): Platt {
  const pos = pairs.filter((p) => p.y === 1).length;
  if (pos < 3 || pos === pairs.length) return { a: 1, b: 0 };
  // Platt's smoothed targets keep a separable topic from running off to infinite slopes; Newton
  // steps with backtracking on the loss (Lin, Lin and Weng's note on Platt scaling) always converge.
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (pairs.length - pos + 2);
  const loss = (a: number, b: number) => {
    let l = 0;
    for (const { z, y, w = 1 } of pairs) {
      const f = a * z + b;
      const t = y ? hi : lo;
      // log(1 + e^f) − t·f, computed without overflow
      l += w * ((f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - t * f);
    }
    return l;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
    for (const { z, y, w = 1 } of pairs) {
      const p = sigmoid(a * z + b);
      const d = w * (p - (y ? hi : lo));
      const h = w * p * (1 - p);
      ga += d * z;
      gb += d;
      haa += h * z * z;
      hab += h * z;
      hbb += h;
    }
    if (Math.abs(ga) + Math.abs(gb) < 1e-9 * pairs.length) break;
    const det = haa * hbb - hab * hab;
    const da = det > 1e-12 ? (hbb * ga - hab * gb) / det : ga / haa;
    const db = det > 1e-12 ? (haa * gb - hab * ga) / det : gb / hbb;
    let step = 1;
    while (step > 1e-8) {
      const next = loss(a - step * da, b - step * db);
      if (next < current - 1e-4 * step * (ga * da + gb * db)) {
        a -= step * da;
        b -= step * db;
        current = next;
        break;
      }
      step /= 2;
    }
    if (step <= 1e-8) break;
  }
  return { a, b };
}

/** Equal-width bins of scores: how many, their mean score and how often the topic was right. */
export function reliability(pairs: readonly { p: number; y: number }[], bins = 10): { n: number; score: number; frequency: number }[] {
  const n = new Float64Array(bins);
  const sp = new Float64Array(bins);
  const sy = new Float64Array(bins);
  for (const { p, y } of pairs) {
    const b = Math.min(bins - 1, Math.floor(p * bins));
    n[b]!++;
    sp[b]! += p;
    sy[b]! += y;
  }
  return Array.from(n, (c, b) => ({ n: c, score: c ? sp[b]! / c : 0, frequency: c ? sy[b]! / c : 0 }));
}

/** Expected calibration error over 10 equal-width bins: Σ |bin| / N · |mean score − frequency|. */
export function calibrationError(pairs: readonly { p: number; y: number }[], bins = 10): number {
  return pairs.length ? reliability(pairs, bins).reduce((e, r) => e + r.n * Math.abs(r.score - r.frequency), 0) / pairs.length : 0;
}

/** Threshold maximizing F1 on scored examples (midpoint between neighbouring scores), clamped; null under 3 positives. */
function bestThreshold(scored: { s: number; y: boolean }[], range: [number, number]): number | null {
  const pos = scored.filter((x) => x.y).length;
  if (pos < 3) return null;
  const sorted = scored.slice().sort((a, b) => b.s - a.s);
  let tp = 0;
  let best = -1;
  let bestT = UNTUNED_THRESHOLD;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.y) tp++;
    const next = sorted[i + 1]?.s ?? 0;
    if (next === sorted[i]!.s) continue;
    const f1 = (2 * tp) / (i + 1 + pos);
    if (f1 > best) {
      best = f1;
      bestT = (sorted[i]!.s + next) / 2;
    }
  }
  return Math.min(range[1], Math.max(range[0], bestT));
}

const THRESHOLD_RANGE: [number, number] = [0.3, 0.9];
/** Candidate decision parameters, tried on the out-of-fold probabilities. */
const FLOORS = [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];
const ALPHAS = [0, 0.25, 0.5, 0.7, 0.85];

/** Out-of-fold logits of every held-out example, by the unit held out. */
export interface OutOfFold {
  /** Example index → logits from the model trained without its unit (wire and IPTC texts: never held out). */
  z: Map<number, Float64Array>;
  units: string[];
}

/** The units held out in turn: every outlet and own-story file; IPTC texts and the wire items always train. */
export function heldOutUnits(examples: readonly Example[]): string[] {
  return [...new Set(examples.filter((e) => e.group !== 'taxonomy' && e.source !== 'wire').map((e) => e.source))].sort();
}

export function outOfFold(d: Featurized, opt: TrainOptions = {}, log: (s: string) => void = () => {}): OutOfFold {
  const units = heldOutUnits(d.examples);
  const z = new Map<number, Float64Array>();
  for (const unit of units) {
    const train: number[] = [];
    const test: number[] = [];
    d.examples.forEach((e, k) => (e.source === unit ? test : train).push(k));
    const m = trainWeights(d, train, opt);
    for (const k of test) z.set(k, logits(d, m, k));
    log(`held out ${unit}: ${test.length} examples`);
  }
  return { z, units };
}

/** Role of topic t for an example: 1, 0, or -1 (unknown). */
const roleOf = (e: Example, slug: string) => (e.labels.includes(slug) ? 1 : e.negatives.includes(slug) ? 0 : -1);

export interface Tuned {
  platt: Platt[];
  thresholds: (number | null)[];
  decision: Decision;
  /** ECE on held-out units: the logistic outputs vs as shipped (Platt fitted on the other units where a topic keeps one). */
  ece: { raw: number; calibrated: number; pairs: number; bins: ReturnType<typeof reliability> };
}

/** Calibration, thresholds and the decision rule, all from the out-of-fold logits. */
export function tune(d: Featurized, oof: OutOfFold): Tuned {
  const nt = SLUGS.length;
  const rows = [...oof.z.keys()].sort((a, b) => a - b);
  const pairsOf = (t: number, keep: (k: number) => boolean) =>
    rows.filter(keep).flatMap((k) => {
      const y = roleOf(d.examples[k]!, SLUGS[t]!);
      const z = oof.z.get(k)![t]!;
      return y < 0 || Number.isNaN(z) ? [] : [{ z, y }];
    });
  // Each topic's Platt fit is judged where it will be used, on an outlet it has not seen: for every
  // held-out unit, a fit on the other units calibrates that unit's logits (cross-fitting). Fits are
  // then taken one topic at a time, best first, while they lower the calibration error of all
  // topics' held-out scores together; the other topics keep their logistic output, already a
  // probability (a fit that does not travel across outlets is noise).
  const heldOut = SLUGS.map((_, t) => {
    const raw: { p: number; y: number }[] = [];
    const fitted: { p: number; y: number }[] = [];
    for (const unit of oof.units) {
      const inUnit = (k: number) => d.examples[k]!.source === unit;
      const fit = fitPlatt(pairsOf(t, (k) => !inUnit(k)));
      for (const { z, y } of pairsOf(t, inUnit)) {
        raw.push({ p: sigmoid(z), y });
        fitted.push({ p: sigmoid(fit.a * z + fit.b), y });
      }
    }
    return { raw, fitted, gain: calibrationError(raw) - calibrationError(fitted) };
  });
  const kept = new Set<number>();
  const pooled = () => heldOut.flatMap((h, t) => (kept.has(t) ? h.fitted : h.raw));
  let error = calibrationError(pooled());
  for (const t of SLUGS.map((_, i) => i).sort((x, y) => heldOut[y]!.gain - heldOut[x]!.gain || x - y)) {
    if (heldOut[t]!.gain <= 0) break;
    kept.add(t);
    const next = calibrationError(pooled());
    if (next < error) error = next;
    else kept.delete(t);
  }
  const identity: Platt = { a: 1, b: 0 };
  const platt = SLUGS.map((_, t) => (kept.has(t) ? fitPlatt(pairsOf(t, () => true)) : identity));
  const raw = heldOut.flatMap((h) => h.raw);
  const cal = pooled();
  const prob = new Map(rows.map((k) => [k, Float64Array.from(oof.z.get(k)!, (z, t) => (Number.isNaN(z) ? 0 : sigmoid(platt[t]!.a * z + platt[t]!.b)))]));
  const thresholds = SLUGS.map((slug, t) =>
    bestThreshold(
      rows.filter((k) => roleOf(d.examples[k]!, slug) >= 0).map((k) => ({ s: prob.get(k)![t]!, y: roleOf(d.examples[k]!, slug) === 1 })),
      THRESHOLD_RANGE,
    ),
  );
  // The decision rule, judged where gold is known: each topic on the examples labelled for or against it.
  const probe = { topics: SLUGS.map((slug, t) => ({ slug, code: '', bias: 0, threshold: thresholds[t] ?? UNTUNED_THRESHOLD })) } as unknown as TopicModel;
  let decision: Decision = { floor: UNTUNED_THRESHOLD, alpha: 0 };
  let best = -1;
  for (const floor of FLOORS) {
    for (const alpha of ALPHAS) {
      let f1 = 0;
      const pred = new Map(rows.map((k) => [k, decide(probe, prob.get(k)!, { floor, alpha })]));
      for (let t = 0; t < nt; t++) {
        let tp = 0, fp = 0, fn = 0;
        for (const k of rows) {
          const y = roleOf(d.examples[k]!, SLUGS[t]!);
          if (y < 0) continue;
          const p = pred.get(k)!.includes(t);
          if (p && y) tp++;
          else if (p) fp++;
          else if (y) fn++;
        }
        f1 += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
      }
      if (f1 > best + 1e-9) {
        best = f1;
        decision = { floor, alpha };
      }
    }
  }
  return { platt, thresholds, decision, ece: { raw: calibrationError(raw), calibrated: calibrationError(cal), pairs: raw.length, bins: reliability(cal) } };
}

/** The model file: weights with the calibration folded in (a·(bias + w·x) + b), quantized and pruned. */
export function modelFile(d: Featurized, m: Weights, tuned: Tuned, trainedOn: string): TopicModelFile {
  const q = (x: number) => Math.round(x * SCALE);
  const features: (string | number)[] = [];
  const order = d.names.map((_, j) => j).filter((j) => m.idf[j]! > 0);
  order.sort((x, y) => (d.names[x]! < d.names[y]! ? -1 : d.names[x]! > d.names[y]! ? 1 : 0));
  for (const j of order) {
    const slots: number[] = [];
    for (let t = 0; t < SLUGS.length; t++) {
      const w = q(tuned.platt[t]!.a * m.W[t]![j]!);
      if (Math.abs(w) >= PRUNE) slots.push(t, w);
    }
    if (slots.length) features.push(d.names[j]!, q(m.idf[j]!), slots.length >> 1, ...slots);
  }
  return {
    format: MODEL_FORMAT,
    trainedOn,
    scale: SCALE,
    languages: LANGUAGES,
    decision: { floor: q(tuned.decision.floor), alpha: q(tuned.decision.alpha) },
    topics: TOP_LEVEL_TOPICS.map((t, i) => ({
      slug: t.slug,
      code: t.code,
      bias: q(tuned.platt[i]!.a * m.bias[i]! + tuned.platt[i]!.b),
      threshold: q(tuned.thresholds[i] ?? UNTUNED_THRESHOLD),
    })),
    features,
  };
}

/** The model file as written: features in sorted order (as {@link modelFile} lists them), one per line (diffable, deterministic). */
export function serializeModel(file: TopicModelFile): string {
  const head = JSON.stringify({ format: file.format, trainedOn: file.trainedOn, scale: file.scale, languages: file.languages, decision: file.decision, topics: file.topics });
  const lines: string[] = [];
  const f = file.features;
  for (let p = 0; p < f.length; ) {
    const n = f[p + 2] as number;
    lines.push(f.slice(p, p + 3 + 2 * n).map((x) => JSON.stringify(x)).join(','));
    p += 3 + 2 * n;
  }
  return `${head.slice(0, -1)},"features":[\n${lines.join(',\n')}\n]}\n`;
}

/** Number of features in a model file. */
export function featureCount(file: TopicModelFile): number {
  let count = 0;
  for (let p = 0; p < file.features.length; p += 3 + 2 * (file.features[p + 2] as number)) count++;
  return count;
}

const TRAINED_ON =
  'Arabic news of AlArabiya, BBC Arabic, JawharaFM (ANT, Apache-2.0), Al Khaleej (SANAD, CC BY 4.0), Al Jazeera posts (ASND, CC BY 4.0); ' +
  'stories written for Wirefeed (assets/training); IPTC Media Topics 2019-04-06 + Subject Codes (CC BY 4.0); wire fixtures with subject codes';

export interface Trained {
  file: TopicModelFile;
  model: TopicModel;
  tuned: Tuned;
  oof: OutOfFold;
  data: Featurized;
}

/** Held-out scores, tuning, then the weights trained on everything: the model as shipped. */
export function trainModel(examples: readonly Example[], opt: TrainOptions = {}, log?: (s: string) => void): Trained {
  const data = featurize(examples);
  const oof = outOfFold(data, opt, log);
  const tuned = tune(data, oof);
  const weights = trainWeights(data, examples.map((_, k) => k), opt);
  const file = modelFile(data, weights, tuned, TRAINED_ON);
  return { file, model: loadModel(file), tuned, oof, data };
}

// ---------------------------------------------------------------------------------------------
// Figures

/** Topics the decision rule gives each held-out example, from its out-of-fold logits calibrated as shipped. */
export function heldOutPredictions(t: Trained): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const [k, z] of t.oof.z) {
    const p = Float64Array.from(z, (x, i) => (Number.isNaN(x) ? 0 : sigmoid(t.tuned.platt[i]!.a * x + t.tuned.platt[i]!.b)));
    out.set(k, Number.isNaN(z[0]!) ? [] : decide(t.model, p).map((i) => SLUGS[i]!));
  }
  return out;
}

/**
 * The cross-outlet table of one held-out unit: per-topic P/R/F1 and macro-F1 over the topics its
 * examples are labelled with, on its labelled examples (gold: the section's topic), every topic
 * the model gives counting; `top` is the same with only the best topic.
 */
export function unitTable(t: Trained, unit: string, predictions = heldOutPredictions(t)) {
  const ks = [...t.oof.z.keys()].filter((k) => t.data.examples[k]!.source === unit && t.data.examples[k]!.labels.length);
  const slugs = [...new Set(ks.flatMap((k) => t.data.examples[k]!.labels))].sort();
  const gold = ks.map((k) => t.data.examples[k]!.labels);
  const decided = topicMetrics(gold, ks.map((k) => predictions.get(k)!), slugs);
  const top = topicMetrics(
    gold,
    ks.map((k) => {
      const z = t.oof.z.get(k)!;
      return Number.isNaN(z[0]!) ? [] : [SLUGS[topIndex(z.map((x, i) => t.tuned.platt[i]!.a * x + t.tuned.platt[i]!.b))]!];
    }),
    slugs,
  );
  return { n: ks.length, slugs, decided, top };
}

export function printFigures(t: Trained, print: (s: string) => void = console.log): void {
  const predictions = heldOutPredictions(t);
  for (const unit of t.oof.units) {
    const r = unitTable(t, unit, predictions);
    print(`\n## held out: ${unit} (${r.n} labelled examples; trained on every other unit, IPTC texts, wire)`);
    print(formatMetrics(r.decided));
    print(`top topic only: macro-F1 ${r.top.macroF1.toFixed(3)}`);
  }
  print(`\ncalibration error (ECE, 10 bins) on held-out units, ${t.tuned.ece.pairs} (example, topic) pairs with known gold: logistic ${t.tuned.ece.raw.toFixed(3)} → as shipped ${t.tuned.ece.calibrated.toFixed(3)}`);
  print(`Platt fits kept (a, b): ${JSON.stringify(Object.fromEntries(SLUGS.flatMap((s, i) => (t.tuned.platt[i]!.a === 1 && t.tuned.platt[i]!.b === 0 ? [] : [[s, [Number(t.tuned.platt[i]!.a.toFixed(3)), Number(t.tuned.platt[i]!.b.toFixed(3))]]]))))}`);
  print('score band    pairs   mean score  right');
  t.tuned.ece.bins.forEach((b, i) => print(`${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}  ${String(b.n).padStart(9)}  ${b.score.toFixed(3).padStart(10)}  ${b.frequency.toFixed(3).padStart(6)}`));
  print(`thresholds: ${JSON.stringify(Object.fromEntries(SLUGS.map((s, i) => [s, t.tuned.thresholds[i] === null ? null : Number(t.tuned.thresholds[i]!.toFixed(3))])))}`);
  print(`decision: ${JSON.stringify(t.tuned.decision)}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, dflt?: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const shared = resolve(ROOT, arg('--shared', '../shared')!);
  const out = resolve(ROOT, arg('--out', 'assets/model/topics.json')!);
  const extra = arg('--extra');
  if (!existsSync(join(shared, 'corpora/topics'))) {
    process.stderr.write(`train-classifier: no corpora/topics under ${shared}\n`);
    process.exitCode = 1;
    return;
  }
  const all = await loadAll(shared, extra && resolve(extra));
  const bySource: Record<string, number> = {};
  for (const e of all) bySource[e.source] = (bySource[e.source] ?? 0) + 1;
  console.log(`examples: ${all.length} ${JSON.stringify(bySource)}`);
  const trained = trainModel(all, {}, (s) => process.stderr.write(`${s}\n`));
  printFigures(trained);
  const text = serializeModel(trained.file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`\nmodel: ${out} — ${featureCount(trained.file)} features, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
