/**
 * What the ingest stage needs from the configuration, compiled once at start: sources by id,
 * their category tables, the compiled keyword rules, topic codes and the Media Topics tree.
 */
import type { TopicDefinition, WirefeedConfig } from '../config/load-config.ts';
import type { SourceConfig } from '../config/schema.ts';
import { categoryTable, type TopicContext } from '../classify/assign-topics.ts';
import { compileRules } from '../classify/keyword-rules.ts';
import { loadTaxonomy, type Taxonomy } from '../classify/taxonomy.ts';

export interface Pipeline {
  sources: ReadonlyMap<string, SourceConfig>;
  categories: ReadonlyMap<string, Map<string, string[]>>;
  topics: readonly TopicDefinition[];
  topicContext: TopicContext;
}

export interface PipelineOptions {
  /** Default: the shipped assets/taxonomy/mediatopics.tsv, read once per process. */
  taxonomy?: Taxonomy;
  /** The trained classifier (see TopicContext.model); none by default. */
  model?: TopicContext['model'];
}

export function createPipeline(config: Pick<WirefeedConfig, 'sources' | 'topics'>, options: PipelineOptions = {}): Pipeline {
  const topicContext: TopicContext = {
    rules: compileRules(config.topics),
    codes: new Map(config.topics.map((t) => [t.slug, t.code])),
    taxonomy: options.taxonomy ?? loadTaxonomy(),
  };
  if (options.model) topicContext.model = options.model;
  return {
    sources: new Map(config.sources.map((s) => [s.id, s])),
    categories: new Map(config.sources.map((s) => [s.id, categoryTable(s)])),
    topics: config.topics,
    topicContext,
  };
}
