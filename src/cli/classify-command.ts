/**
 * `wirefeed classify`: JSON Lines `{id, headline, body, language?, subjects?}` on stdin → `{id,
 * topics:[{slug, code, score, origin}]}` per line on stdout, by the whole assignment the pipeline
 * makes (provider codes in `subjects`, the model, the keyword rules of the configuration's
 * topics.yaml, vetoes, parents). `--model-only` asks the model alone.
 *
 * `--eval FILE.jsonl` (records with `labels`: slugs or codes) prints per-topic precision, recall,
 * F1 and the macro-F1 instead; `--explain` prints, per story, each topic's score with the words
 * that raised and lowered it and the rules that matched. A bad line gets an `error` field in its
 * output line (or is counted in eval) and never stops the run.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { assignTopics, type ClassifiableArticle } from '../classify/assign-topics.ts';
import { modelHook } from '../classify/classifier.ts';
import type { RuleMatch } from '../classify/keyword-rules.ts';
import { classifyText, DEFAULT_MODEL_PATH, explainStory, formatMetrics, loadModelFile, topicMetrics, type TopicModel } from '../classify/model.ts';
import { TOP_LEVEL_TOPICS } from '../classify/top-level-topics.ts';
import { ConfigError, loadConfig, type WirefeedConfig } from '../config/load-config.ts';
import { createPipeline, type Pipeline } from '../ingest/pipeline.ts';
import type { TopicAssignment } from '../model/article-record.ts';
import { detectLanguage } from '../normalize/language.ts';

export interface ClassifyOptions {
  eval?: string;
  model?: string;
  /** Configuration directory: its topics.yaml topics and rules apply (absent: the 17 topics, no rules); the model is `model` or the shipped one. */
  config?: string;
  modelOnly?: boolean;
  explain?: boolean;
}

function parseLine(line: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** A JSON Lines record as the topic assigner sees an article; the language is detected when not given. */
export function recordArticle(rec: Record<string, unknown>): ClassifiableArticle {
  const headline = text(rec.headline);
  const bodyText = text(rec.body);
  const subjects = Array.isArray(rec.subjects)
    ? rec.subjects.flatMap((s) => (typeof s === 'string' ? [{ code: s }] : s && typeof s === 'object' && typeof (s as { code?: unknown }).code === 'string' ? [{ code: (s as { code: string }).code }] : []))
    : [];
  return { headline, summary: '', bodyText, language: text(rec.language) || detectLanguage(`${headline}\n${bodyText}`), keywords: [], subjects };
}

const NO_SOURCE = { topics: [] as string[], categories: {} };

function loadPipeline(opts: ClassifyOptions, model: TopicModel): Pipeline {
  let config: Pick<WirefeedConfig, 'sources' | 'topics'> = { sources: [], topics: TOP_LEVEL_TOPICS.map((t) => ({ ...t, rules: {}, builtin: true })) };
  if (opts.config && existsSync(opts.config)) config = loadConfig(opts.config);
  return createPipeline(config, { model: modelHook(model) });
}

const ruleLine = (m: RuleMatch) => `rule ${m.kind} "${m.term}" (${m.language})${m.excluded ? ' — under an exclude phrase, not counted' : ''}`;

/** `--explain`: one block per story, readable in a terminal. */
function explainText(id: unknown, model: TopicModel, pipeline: Pipeline | null, rec: Record<string, unknown>): string {
  const article = recordArticle(rec);
  const out = [`# ${String(id ?? '(no id)')}  language ${article.language}`];
  const f = (x: number) => (x >= 0 ? `+${x.toFixed(3)}` : x.toFixed(3));
  const matches: RuleMatch[] = [];
  const final = pipeline ? assignTopics(article, NO_SOURCE, pipeline.topicContext, undefined, matches) : null;
  const explained = explainStory(model, { headline: article.headline, body: article.bodyText });
  if (!explained.length) out.push('model: knows no word of this text');
  for (const t of explained) {
    const rules = matches.filter((m) => m.slug === t.slug);
    if (!t.assigned && t.score < 0.05 && !rules.length) continue;
    out.push(`${t.slug.padEnd(20)} model ${t.score.toFixed(3)} (needs ${t.threshold.toFixed(3)}) ${t.assigned ? 'ASSIGNED' : 'not assigned'}`);
    out.push(`  bias ${f(t.bias)}; raised by: ${t.raised.map((c) => `${c.feature} ${f(c.weight)}`).join(', ') || '—'}`);
    out.push(`  lowered by: ${t.lowered.map((c) => `${c.feature} ${f(c.weight)}`).join(', ') || '—'}`);
    for (const m of rules) out.push(`  ${ruleLine(m)}`);
  }
  for (const m of matches.filter((x) => !explained.some((t) => t.slug === x.slug))) {
    out.push(`${m.slug.padEnd(20)} ${ruleLine(m)}`);
  }
  if (final) out.push(`topics: ${final.map((t) => `${t.slug} ${t.score} (${t.origin})`).join(', ') || 'none'}`);
  return `${out.join('\n')}\n`;
}

export async function classifyCommand(opts: ClassifyOptions): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`wirefeed classify: ${message}\n`);
    return 1;
  };
  let model: TopicModel;
  try {
    model = loadModelFile(opts.model ?? DEFAULT_MODEL_PATH);
  } catch (err) {
    return fail(`cannot load model ${opts.model ?? DEFAULT_MODEL_PATH}: ${(err as Error).message}`);
  }
  let pipeline: Pipeline | null = null;
  if (!opts.modelOnly) {
    try {
      pipeline = loadPipeline(opts, model);
    } catch (err) {
      if (err instanceof ConfigError) return fail(`${opts.config}: invalid configuration:\n  ${err.problems.join('\n  ')}`);
      throw err;
    }
  }
  const topicsOf = (rec: Record<string, unknown>): TopicAssignment[] =>
    pipeline
      ? assignTopics(recordArticle(rec), NO_SOURCE, pipeline.topicContext)
      : classifyText(model, rec).map((t) => ({ ...t, origin: 'model' as const }));
  const slugOf = new Map(model.topics.flatMap((t) => [[t.slug, t.slug], [t.code, t.slug], [`medtop:${t.code}`, t.slug]] as const));
  const input = opts.eval ? createReadStream(opts.eval) : process.stdin;
  const lines = createInterface({ input, crlfDelay: Infinity });
  const gold: string[][] = [];
  const predicted: string[][] = [];
  let bad = 0;
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const rec = parseLine(line);
      if (opts.eval) {
        if (!rec || !Array.isArray(rec.labels)) {
          bad++;
          continue;
        }
        gold.push([...new Set(rec.labels.map((l) => slugOf.get(String(l)) ?? String(l)))]);
        predicted.push(topicsOf(rec).map((t) => t.slug));
        continue;
      }
      if (!rec) {
        process.stdout.write(opts.explain ? '# (not a JSON object)\n\n' : `${JSON.stringify({ id: null, topics: [], error: 'not a JSON object' })}\n`);
        continue;
      }
      if (opts.explain) process.stdout.write(`${explainText(rec.id, model, pipeline, rec)}\n`);
      else process.stdout.write(`${JSON.stringify({ id: rec.id ?? null, topics: topicsOf(rec) })}\n`);
    }
  } catch (err) {
    return fail((err as Error).message);
  }
  if (opts.eval) {
    const slugs = [...new Set(gold.flat())].filter((s) => model.topics.some((t) => t.slug === s)).sort();
    process.stdout.write(`${formatMetrics(topicMetrics(gold, predicted, slugs))}\n`);
    process.stdout.write(`records: ${gold.length}${bad ? `, skipped (no labels or not JSON): ${bad}` : ''}\n`);
  }
  return 0;
}
