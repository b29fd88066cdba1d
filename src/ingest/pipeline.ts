/**
 * What the ingest stage needs from the configuration, compiled once at start: sources by id,
 * their category tables, the compiled keyword rules and topic codes.
 */
import type { TopicDefinition, WirefeedConfig } from '../config/load-config.ts';
import type { SourceConfig } from '../config/schema.ts';
import { categoryTable, type TopicContext } from '../classify/assign-topics.ts';
import { compileRules } from '../classify/keyword-rules.ts';

export interface Pipeline {
  sources: ReadonlyMap<string, SourceConfig>;
  categories: ReadonlyMap<string, Map<string, string[]>>;
  topics: readonly TopicDefinition[];
  topicContext: TopicContext;
}

export function createPipeline(config: Pick<WirefeedConfig, 'sources' | 'topics'>): Pipeline {
  return {
    sources: new Map(config.sources.map((s) => [s.id, s])),
    categories: new Map(config.sources.map((s) => [s.id, categoryTable(s)])),
    topics: config.topics,
    topicContext: {
      rules: compileRules(config.topics),
      codes: new Map(config.topics.map((t) => [t.slug, t.code])),
    },
  };
}
