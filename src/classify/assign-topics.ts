/**
 * Topic assignment. In order of authority (the origin a record keeps when several name one topic):
 *
 * - `source`: the source's own `topics` (sources.yaml) — the operator's explicit choice;
 * - `provider`: the provider's IPTC codes (`medtop:`, `subj:`) mapped through the Media Topics
 *   tree: a code files the article under every configured topic whose concept is the code's
 *   concept or one of its ancestors (score 1). Other schemes (stt:, efe:, anpa-category, …) are
 *   ignored;
 * - `source-map`: the source's categories mapped in sources.yaml;
 * - `model`: the trained classifier, asked only when the item carries no usable provider code;
 * - `rule`: keyword rules (topics.yaml), `force` terms included.
 *
 * Then the hierarchy: a topic whose concept is C brings every configured topic whose concept is an
 * ancestor of C, with the same origin and score (a parent's feed includes its children's
 * articles). Finally `veto` terms take their topic off the article whatever assigned it, except
 * origin `source`; a vetoed topic passes nothing up to its parents.
 */
import type { SourceConfig } from '../config/schema.ts';
import type { ArticleRecord, TopicAssignment, TopicOrigin } from '../model/article-record.ts';
import { foldForMatching } from '../normalize/fold-text.ts';
import { applyRules, type CompiledRules, type RuleMatch } from './keyword-rules.ts';
import { ancestors, parseCode, type Taxonomy } from './taxonomy.ts';

const PRECEDENCE: Record<TopicOrigin, number> = { source: 0, provider: 1, 'source-map': 2, model: 3, rule: 4 };

/** What the classifier hook sees: the article as normalized, provider codes included. */
export type ClassifiableArticle = Pick<ArticleRecord, 'headline' | 'summary' | 'bodyText' | 'language' | 'keywords' | 'subjects'>;

export interface TopicContext {
  rules: CompiledRules;
  /** Code of every known topic by slug (8 digits for Media Topics, the operator's code, or ''). */
  codes: ReadonlyMap<string, string>;
  /**
   * The Media Topics tree. Without it provider codes are not read and topics do not reach their
   * parents; createPipeline always gives it.
   */
  taxonomy?: Taxonomy;
  /**
   * The trained classifier, asked only for items that carry no provider code the taxonomy knows.
   * Its assignments get origin `model`; slugs that are not configured topics are dropped.
   */
  model?: (article: ClassifiableArticle) => TopicAssignment[];
}

/** Folded category → topic slugs, built once per source. */
export function categoryTable(source: Pick<SourceConfig, 'categories'>): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const [category, target] of Object.entries(source.categories)) {
    table.set(foldForMatching(category), Array.isArray(target) ? target : [target]);
  }
  return table;
}

/** Media Topic code → slugs of the configured topics on that concept; derived once per `codes`. */
const slugsByConceptCache = new WeakMap<ReadonlyMap<string, string>, Map<string, string[]>>();
function slugsByConcept(codes: ReadonlyMap<string, string>): Map<string, string[]> {
  let table = slugsByConceptCache.get(codes);
  if (!table) {
    table = new Map();
    for (const [slug, code] of codes) {
      const parsed = parseCode(code);
      if (parsed?.scheme !== 'medtop') continue;
      const list = table.get(parsed.code) ?? [];
      list.push(slug);
      table.set(parsed.code, list);
    }
    slugsByConceptCache.set(codes, table);
  }
  return table;
}

/**
 * Slugs of the configured topics filed under a provider code: those on its concept or an ancestor
 * of it. null when the code is not an IPTC code the taxonomy knows.
 */
export function providerTopics(code: string, ctx: Pick<TopicContext, 'codes' | 'taxonomy'>): string[] | null {
  if (!ctx.taxonomy || !parseCode(code)) return null;
  const chain = ancestors(ctx.taxonomy, code);
  if (chain.length === 0) return null;
  const table = slugsByConcept(ctx.codes);
  return chain.flatMap((c) => table.get(c.code) ?? []);
}

/** A subject's code with its scheme, when the format gave the scheme apart from a bare code. */
function subjectCode(s: { code: string; scheme?: string }): string {
  if (!s.scheme || /^[a-z][\w.-]*:/i.test(s.code) || /^https?:/i.test(s.code)) return s.code;
  return /^https?:/i.test(s.scheme) ? `${s.scheme.replace(/\/?$/, '/')}${s.code}` : `${s.scheme}:${s.code}`;
}

/**
 * Returns the topics of `article` (see the module comment for the order and the rules).
 * `explain`, when given, receives every rule term found in the article.
 */
export function assignTopics(
  article: ClassifiableArticle,
  source: Pick<SourceConfig, 'topics' | 'categories'>,
  ctx: TopicContext,
  categories: Map<string, string[]> = categoryTable(source),
  explain?: RuleMatch[],
): TopicAssignment[] {
  const found = new Map<string, TopicAssignment>();
  const add = (t: TopicAssignment) => {
    const prev = found.get(t.slug);
    if (!prev || PRECEDENCE[t.origin] < PRECEDENCE[prev.origin]) found.set(t.slug, t);
    else if (PRECEDENCE[t.origin] === PRECEDENCE[prev.origin] && t.score > prev.score) found.set(t.slug, t);
  };
  const code = (slug: string) => ctx.codes.get(slug) ?? '';

  for (const slug of source.topics) add({ slug, code: code(slug), score: 1, origin: 'source' });

  let hasProviderCode = false;
  for (const subject of article.subjects ?? []) {
    const slugs = providerTopics(subjectCode(subject), ctx);
    if (slugs === null) continue;
    hasProviderCode = true;
    for (const slug of slugs) add({ slug, code: code(slug), score: 1, origin: 'provider' });
  }

  for (const keyword of article.keywords) {
    for (const slug of categories.get(foldForMatching(keyword)) ?? []) {
      add({ slug, code: code(slug), score: 1, origin: 'source-map' });
    }
  }

  if (ctx.model && !hasProviderCode) {
    for (const t of ctx.model(article)) {
      if (ctx.codes.has(t.slug)) add({ slug: t.slug, code: code(t.slug), score: t.score, origin: 'model' });
    }
  }

  const text = `${article.headline}\n${article.summary}\n${article.bodyText}`;
  const rules = applyRules(ctx.rules, text, article.language, explain);
  for (const t of rules.topics) add(t);

  const vetoed = (t: TopicAssignment) => t.origin !== 'source' && rules.vetoed.has(t.slug);
  for (const t of [...found.values()]) if (vetoed(t)) found.delete(t.slug);

  if (ctx.taxonomy) {
    const table = slugsByConcept(ctx.codes);
    for (const t of [...found.values()]) {
      const own = parseCode(t.code);
      if (own?.scheme !== 'medtop') continue;
      for (const parent of ancestors(ctx.taxonomy, own.code).slice(1)) {
        for (const slug of table.get(parent.code) ?? []) add({ slug, code: code(slug), score: t.score, origin: t.origin });
      }
    }
    for (const t of [...found.values()]) if (vetoed(t)) found.delete(t.slug);
  }

  return [...found.values()].sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
}
