/**
 * What the ingest stage needs from the configuration, compiled once at start: sources by id,
 * their category tables, the compiled keyword rules, topic codes and the Media Topics tree.
 */
import type { TopicDefinition, WirefeedConfig } from '../config/load-config.ts';
import type { SourceConfig } from '../config/schema.ts';
import { categoryTable, type TopicContext } from '../classify/assign-topics.ts';
import { modelHook, sharedModel } from '../classify/classifier.ts';
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
  /**
   * The classifier hook (see TopicContext.model); null for none. Default: per `settings.classifier`
   * when the configuration has settings (the shipped model unless another is named or it is
   * disabled), none otherwise.
   */
  model?: TopicContext['model'] | null;
}

export function createPipeline(
  config: Pick<WirefeedConfig, 'sources' | 'topics'> & { settings?: Pick<WirefeedConfig['settings'], 'classifier'> },
  options: PipelineOptions = {},
): Pipeline {
  if (options.model === undefined && config.settings?.classifier.enabled) {
    options = { ...options, model: modelHook(sharedModel(config.settings.classifier.model), config.settings.classifier.minScore) };
  }
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
