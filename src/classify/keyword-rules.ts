/**
 * Keyword rules per topic and language (topics.yaml), compiled once into one regular expression
 * per language so an article is scanned once per language, not once per term.
 *
 * Matching is on folded text (foldForMatching): hamza forms, taa marbuta, alef maqsura,
 * diacritics, tatweel and Latin case/accents are already folded on both sides. An Arabic term may
 * be preceded by the clitics written attached to a word (و ف ب ك ل ال لل …) and followed by any
 * suffix (ال+نفط+ية); a Latin term must match a whole word unless it ends with `*`.
 */
import type { TopicDefinition } from '../config/load-config.ts';
import type { TopicAssignment } from '../model/article-record.ts';
import { foldForMatching } from '../normalize/fold-text.ts';

const ARABIC = /[\u0600-\u06FF]/;
// Clitics attached before an Arabic word: conjunction, preposition, article (already folded).
const ARABIC_PREFIX = '(?:[وف]?(?:[بكل]|لل)?(?:ال)?)';
const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}])';

interface TermSlot {
  topic: number;
  kind: 'include' | 'require';
}

interface LanguageRules {
  /** One alternation of every term of every topic for this language; group i+1 ↔ slots[i]. */
  regex: RegExp | null;
  slots: TermSlot[];
  /** Exclude phrases per topic index. */
  excludes: Map<number, RegExp>;
  minMatches: Map<number, number>;
  hasRequire: Set<number>;
}

export interface CompiledRules {
  topics: readonly { slug: string; code: string }[];
  /** By language primary subtag; `any` applies to every article. */
  byLanguage: ReadonlyMap<string, LanguageRules>;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function termPattern(term: string): string | null {
  const wildcard = term.endsWith('*');
  const folded = foldForMatching(wildcard ? term.slice(0, -1) : term);
  if (!folded) return null;
  const body = folded.split(' ').map(escapeRegex).join('\\s+');
  if (ARABIC.test(folded)) return `${NOT_WORD_BEFORE}${ARABIC_PREFIX}${body}`;
  return `${NOT_WORD_BEFORE}${body}${wildcard ? '' : NOT_WORD_AFTER}`;
}

function alternation(patterns: string[]): RegExp | null {
  return patterns.length ? new RegExp(patterns.join('|'), 'gu') : null;
}

/** Compiles the rules of every topic; called once at start. */
export function compileRules(topics: readonly TopicDefinition[]): CompiledRules {
  const byLanguage = new Map<string, LanguageRules & { patterns: string[] }>();
  topics.forEach((topic, index) => {
    for (const [lang, rule] of Object.entries(topic.rules)) {
      const key = lang.toLowerCase();
      let lr = byLanguage.get(key);
      if (!lr) {
        lr = { regex: null, slots: [], excludes: new Map(), minMatches: new Map(), hasRequire: new Set(), patterns: [] };
        byLanguage.set(key, lr);
      }
      for (const [kind, terms] of [['include', rule.include], ['require', rule.require]] as const) {
        for (const term of terms) {
          const p = termPattern(term);
          if (!p) continue;
          lr.patterns.push(`(${p})`);
          lr.slots.push({ topic: index, kind });
        }
      }
      if (rule.require.length) lr.hasRequire.add(index);
      const excl = alternation(rule.exclude.map(termPattern).filter((p): p is string => p !== null));
      if (excl) lr.excludes.set(index, excl);
      lr.minMatches.set(index, rule.minMatches);
    }
  });
  const compiled = new Map<string, LanguageRules>();
  for (const [lang, lr] of byLanguage) {
    compiled.set(lang, { ...lr, regex: alternation(lr.patterns) });
  }
  return { topics: topics.map((t) => ({ slug: t.slug, code: t.code })), byLanguage: compiled };
}

function spans(regex: RegExp, text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(regex)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/**
 * Applies the rules for `language` (and `any`) to `text`. A topic is assigned when at least
 * `minMatches` distinct include terms match outside its exclude phrases (and one require term,
 * when it has some). Score grows with the number of distinct terms: minMatches → 0.5, twice
 * that or more → 1.
 */
export function matchRules(rules: CompiledRules, text: string, language: string): TopicAssignment[] {
  const primary = language.toLowerCase().split('-')[0] ?? 'und';
  const folded = foldForMatching(text);
  const languages = primary === 'und' ? [...rules.byLanguage.keys()] : [primary, 'any'];
  const hits = new Map<number, { include: Set<string>; require: boolean }>();
  const minMatches = new Map<number, number>();
  const needsRequire = new Set<number>();

  for (const lang of languages) {
    const lr = rules.byLanguage.get(lang);
    if (!lr?.regex) continue;
    for (const [t, n] of lr.minMatches) minMatches.set(t, Math.max(minMatches.get(t) ?? 0, n));
    for (const t of lr.hasRequire) needsRequire.add(t);
    const excluded = new Map<number, Array<[number, number]>>();
    for (const [t, re] of lr.excludes) excluded.set(t, spans(re, folded));
    for (const m of folded.matchAll(lr.regex)) {
      const group = m.findIndex((g, i) => i > 0 && g !== undefined);
      const slot = lr.slots[group - 1];
      if (!slot) continue;
      const start = m.index;
      if (excluded.get(slot.topic)?.some(([a, b]) => start >= a && start < b)) continue;
      let h = hits.get(slot.topic);
      if (!h) hits.set(slot.topic, (h = { include: new Set(), require: false }));
      if (slot.kind === 'include') h.include.add(`${lang}:${group}`);
      else h.require = true;
    }
  }

  const out: TopicAssignment[] = [];
  for (const [t, h] of hits) {
    const min = minMatches.get(t) ?? 2;
    if (h.include.size < min) continue;
    if (needsRequire.has(t) && !h.require) continue;
    const topic = rules.topics[t]!;
    const score = Math.min(1, 0.5 * (h.include.size / min));
    out.push({ slug: topic.slug, code: topic.code, score: Math.round(score * 1000) / 1000, origin: 'rule' });
  }
  return out.sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
}
