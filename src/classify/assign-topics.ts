/**
 * First topic assignment: the source's default topics, its categories mapped in sources.yaml,
 * then keyword rules. When several origins name one topic, the more authoritative origin is kept
 * (source > source-map > rule) with the highest score.
 */
import type { SourceConfig } from '../config/schema.ts';
import type { ArticleRecord, TopicAssignment, TopicOrigin } from '../model/article-record.ts';
import { foldForMatching } from '../normalize/fold-text.ts';
import { matchRules, type CompiledRules } from './keyword-rules.ts';

const PRECEDENCE: Record<TopicOrigin, number> = { source: 0, provider: 1, 'source-map': 2, model: 3, rule: 4 };

export interface TopicContext {
  rules: CompiledRules;
  /** Code of every known topic by slug. */
  codes: ReadonlyMap<string, string>;
}

/** Folded category → topic slugs, built once per source. */
export function categoryTable(source: Pick<SourceConfig, 'categories'>): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const [category, target] of Object.entries(source.categories)) {
    table.set(foldForMatching(category), Array.isArray(target) ? target : [target]);
  }
  return table;
}

/** Returns the topics of `article` from its source's config and the keyword rules. */
export function assignTopics(
  article: Pick<ArticleRecord, 'headline' | 'summary' | 'bodyText' | 'language' | 'keywords'>,
  source: Pick<SourceConfig, 'topics' | 'categories'>,
  ctx: TopicContext,
  categories: Map<string, string[]> = categoryTable(source),
): TopicAssignment[] {
  const found = new Map<string, TopicAssignment>();
  const add = (t: TopicAssignment) => {
    const prev = found.get(t.slug);
    if (!prev || PRECEDENCE[t.origin] < PRECEDENCE[prev.origin]) found.set(t.slug, t);
    else if (PRECEDENCE[t.origin] === PRECEDENCE[prev.origin] && t.score > prev.score) found.set(t.slug, t);
  };
  const code = (slug: string) => ctx.codes.get(slug) ?? '';

  for (const slug of source.topics) add({ slug, code: code(slug), score: 1, origin: 'source' });
  for (const keyword of article.keywords) {
    for (const slug of categories.get(foldForMatching(keyword)) ?? []) {
      add({ slug, code: code(slug), score: 1, origin: 'source-map' });
    }
  }
  const text = `${article.headline}\n${article.summary}\n${article.bodyText}`;
  for (const t of matchRules(ctx.rules, text, article.language)) add(t);

  return [...found.values()].sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
}
