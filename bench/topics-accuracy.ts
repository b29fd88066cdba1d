/**
 * bench/topics-accuracy — the whole topic assignment (provider codes + model + keyword rules of
 * the sample config/topics.yaml, vetoes, parents) on the hand-labelled multi-topic sets of
 * tests/fixtures/classify (see LABELLING.md there): per-topic precision and recall, and every
 * miss with the story's id.
 *
 *   node --import tsx bench/topics-accuracy.ts [dev|test|fixtures …] [--misses] [--no-rules]
 *
 * `dev` is the set the keyword rules were reviewed against; `test` was written apart and only
 * measured; `fixtures` are the project's own documents (demo feed, wire and format fixtures),
 * read through the real ingest path. tests/unit/topic-sets.test.ts pins these figures.
 * A figure, not a test: nothing here asserts.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { assignTopics } from '../src/classify/assign-topics.ts';
import { formatMetrics, scoreStory, topicMetrics, type TopicMetrics } from '../src/classify/model.ts';
import { sharedModel } from '../src/classify/classifier.ts';
import { calibrationError, reliability, SLUGS } from '../scripts/train-classifier.ts';
import { recordArticle } from '../src/cli/classify-command.ts';
import { loadConfig } from '../src/config/load-config.ts';
import type { SourceConfig } from '../src/config/schema.ts';
import { decodeBody } from '../src/fetch/decode-body.ts';
import { ingestDocument } from '../src/ingest/ingest-document.ts';
import { createPipeline, type Pipeline } from '../src/ingest/pipeline.ts';

const ROOT = new URL('../', import.meta.url);
const SETS = { dev: 'multi-topic-dev.jsonl', test: 'multi-topic-test.jsonl', fixtures: 'multi-topic-fixtures.jsonl' } as const;
export type SetName = keyof typeof SETS;
const NOW = new Date('2026-11-20T12:00:00Z');

export interface Scored {
  id: string;
  language: string;
  gold: string[];
  got: string[];
  mentions: string[];
}

function records(name: SetName): Record<string, unknown>[] {
  return readFileSync(new URL(`tests/fixtures/classify/${SETS[name]}`, ROOT), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The sample configuration's pipeline (its topics.yaml rules, the shipped model); `rules: false` for the model and provider codes alone. */
export function samplePipeline(rules = true): Pipeline {
  const config = loadConfig(new URL('config', ROOT).pathname, {});
  return createPipeline(rules ? config : { ...config, topics: config.topics.map((t) => ({ ...t, rules: {} })) });
}

const EVAL_SOURCE: SourceConfig = { id: 'eval', type: 'directory', path: '.', every: 5000, topics: [], categories: {}, enabled: true };

/** Every record of a set with the topics the pipeline gives it. Fixture documents go through ingest. */
export async function scoreSet(name: SetName, pipeline: Pipeline = samplePipeline()): Promise<Scored[]> {
  const out: Scored[] = [];
  const documents = new Map<string, Awaited<ReturnType<typeof ingestDocument>>>();
  for (const rec of records(name)) {
    const gold = (rec.labels as string[]).slice().sort();
    const mentions = (rec.mentions as string[] | undefined) ?? [];
    let got: string[];
    let language: string;
    if (typeof rec.file === 'string') {
      let doc = documents.get(rec.file);
      if (!doc) documents.set(rec.file, (doc = await ingestDocument({ body: decodeBody(readFileSync(new URL(rec.file, ROOT)), null) }, EVAL_SOURCE, pipeline, NOW)));
      const article = doc.articles.find((a) => rec.guid && a.guid === rec.guid) ?? doc.articles[Number(rec.item)];
      if (!article) throw new Error(`${String(rec.id)}: no item ${String(rec.guid ?? rec.item)} in ${rec.file}`);
      got = article.topics.map((t) => t.slug);
      language = article.language;
    } else {
      const article = recordArticle(rec);
      got = assignTopics(article, EVAL_SOURCE, pipeline.topicContext).map((t) => t.slug);
      language = article.language;
    }
    out.push({ id: String(rec.id), language: language.split('-')[0]!, gold, got: got.filter((s) => SLUGS.includes(s)).sort(), mentions });
  }
  return out;
}

export function metrics(scored: readonly Scored[]): { rows: TopicMetrics[]; macroF1: number } {
  return topicMetrics(scored.map((s) => s.gold), scored.map((s) => s.got), SLUGS.filter((s) => scored.some((x) => x.gold.includes(s))));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = (args.filter((a) => a in SETS) as SetName[]).length ? (args.filter((a) => a in SETS) as SetName[]) : (Object.keys(SETS) as SetName[]);
  const pipeline = samplePipeline(!args.includes('--no-rules'));
  for (const name of names) {
    const scored = await scoreSet(name, pipeline);
    const exact = scored.filter((s) => s.gold.join() === s.got.join()).length;
    console.log(`\n## ${name}: ${scored.length} stories, exact topic set ${exact}/${scored.length}`);
    console.log(formatMetrics(metrics(scored)));
    for (const lang of ['ar', 'en', 'fr']) {
      const part = scored.filter((s) => s.language === lang);
      if (part.length) console.log(`${lang}: ${part.length} stories, macro-F1 ${metrics(part).macroF1.toFixed(3)}`);
    }
    const onMentions = scored.reduce((n, s) => n + s.got.filter((t) => s.mentions.includes(t)).length, 0);
    console.log(`topics given on a mention only: ${onMentions} of ${scored.reduce((n, s) => n + s.mentions.length, 0)} mentions`);
    if (name !== 'fixtures') {
      // How well the model's scores are calibrated against these labels (every story × topic).
      const model = sharedModel();
      const pairs = records(name).flatMap((rec) => {
        const scores = scoreStory(model, rec);
        return scores ? model.topics.map((t, i) => ({ p: scores[i]!, y: (rec.labels as string[]).includes(t.slug) ? 1 : 0 })) : [];
      });
      console.log(`model scores on this set: ECE ${calibrationError(pairs).toFixed(3)} over ${pairs.length} (story, topic) pairs; score band: mean score / right`);
      console.log(`  ${reliability(pairs).map((b, i) => `${(i / 10).toFixed(1)}+ ${b.n ? `${b.score.toFixed(2)}/${b.frequency.toFixed(2)} (${b.n})` : '—'}`).join(' · ')}`);
    }
    if (args.includes('--misses')) {
      for (const s of scored) {
        const extra = s.got.filter((t) => !s.gold.includes(t));
        const missed = s.gold.filter((t) => !s.got.includes(t));
        if (extra.length || missed.length) console.log(`  ${s.id}: +${extra.join(',') || '∅'} −${missed.join(',') || '∅'}`);
      }
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
