/**
 * `wirefeed classify`: JSON Lines `{id, headline, body, language?}` on stdin → `{id, topics:[{slug,
 * code, score}]}` per line on stdout. `--eval FILE.jsonl` (records with `labels`: slugs or codes)
 * prints per-topic precision, recall, F1 and the macro-F1 instead. A bad line gets an `error`
 * field in its output line (or is counted in eval) and never stops the run.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { classifyText, DEFAULT_MODEL_PATH, formatMetrics, loadModelFile, topicMetrics, type TopicModel } from '../classify/model.ts';

function parseLine(line: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function classifyCommand(opts: { eval?: string; model?: string }): Promise<number> {
  let model: TopicModel;
  try {
    model = loadModelFile(opts.model ?? DEFAULT_MODEL_PATH);
  } catch (err) {
    process.stderr.write(`wirefeed classify: cannot load model ${opts.model ?? DEFAULT_MODEL_PATH}: ${(err as Error).message}\n`);
    return 1;
  }
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
        predicted.push(classifyText(model, rec).map((t) => t.slug));
        continue;
      }
      if (!rec) {
        process.stdout.write(`${JSON.stringify({ id: null, topics: [], error: 'not a JSON object' })}\n`);
        continue;
      }
      process.stdout.write(`${JSON.stringify({ id: rec.id ?? null, topics: classifyText(model, rec) })}\n`);
    }
  } catch (err) {
    process.stderr.write(`wirefeed classify: ${(err as Error).message}\n`);
    return 1;
  }
  if (opts.eval) {
    const slugs = [...new Set(gold.flat())].filter((s) => model.topics.some((t) => t.slug === s)).sort();
    process.stdout.write(`${formatMetrics(topicMetrics(gold, predicted, slugs))}\n`);
    process.stdout.write(`records: ${gold.length}${bad ? `, skipped (no labels or not JSON): ${bad}` : ''}\n`);
  }
  return 0;
}
