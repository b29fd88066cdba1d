/**
 * Keyword rules per topic and language (topics.yaml), compiled once into a word index so an
 * article is read once, word by word, whatever the number of topics and terms.
 *
 * Matching is on folded text (foldForMatching): hamza forms, taa marbuta, alef maqsura,
 * diacritics, tatweel and Latin case/accents are already folded on both sides. An Arabic term may
 * be preceded by the clitics written attached to a word (و ف ب ك ل ال لل …) and followed by any
 * suffix (ال+نفط+ية); a Latin term must match a whole word unless it ends with `*`. A term of
 * several words matches consecutive words, each under the same rule.
 *
 * Besides the include/require/exclude vote, a `force` term assigns its topic on its own (score 1)
 * and a `veto` term takes its topic away; assignTopics applies vetoes to every origin but `source`.
 */
import type { TopicDefinition } from '../config/schema.ts';
import type { TopicAssignment } from '../model/article-record.ts';
import { foldParagraphs } from '../normalize/fold-scan.ts';
import { foldForMatching } from '../normalize/fold-text.ts';

const ARABIC = /[\u0600-\u06FF]/;

/** Attached clitics an Arabic word may start with (folded), longest first. */
const ARABIC_PREFIXES: readonly string[] = (() => {
  const out = new Set<string>();
  for (const conj of ['', 'و', 'ف']) {
    for (const prep of ['', 'ب', 'ك', 'ل']) {
      for (const art of ['', 'ال']) out.add(conj + prep + art);
    }
    out.add(`${conj}لل`); // ل + ال: the alef of the article drops
  }
  out.delete('');
  return [...out].sort((a, b) => b.length - a.length);
})();

export type TermKind = 'include' | 'require' | 'exclude' | 'force' | 'veto';

interface TermEntry {
  topic: number;
  kind: TermKind;
  /** Index of the term within its topic and language: distinct matches are counted by it. */
  term: number;
  /** Folded words after the first. */
  rest: readonly string[];
  /** Whether a text word may continue past the term word (Arabic, or a trailing `*`). */
  open: boolean;
  /** The term as topics.yaml writes it (for explanations). */
  raw: string;
}

interface LanguageIndex {
  /** First folded word of a term → its entries. */
  byFirstWord: Map<string, TermEntry[]>;
  /** Lengths of the first words of open terms, to try only prefixes that can match. */
  openLengths: number[];
  minMatches: Map<number, number>;
  hasRequire: Set<number>;
}

export interface CompiledRules {
  topics: readonly { slug: string; code: string }[];
  /** By language primary subtag; `any` applies to every article. */
  byLanguage: ReadonlyMap<string, LanguageIndex>;
}

/** Compiles the rules of every topic; called once at start. */
export function compileRules(topics: readonly TopicDefinition[]): CompiledRules {
  const byLanguage = new Map<string, LanguageIndex>();
  topics.forEach((topic, index) => {
    for (const [lang, rule] of Object.entries(topic.rules)) {
      const key = lang.toLowerCase();
      let li = byLanguage.get(key);
      if (!li) byLanguage.set(key, (li = { byFirstWord: new Map(), openLengths: [], minMatches: new Map(), hasRequire: new Set() }));
      let termIndex = 0;
      const kinds = [
        ['include', rule.include],
        ['require', rule.require],
        ['exclude', rule.exclude],
        ['force', rule.force ?? []],
        ['veto', rule.veto ?? []],
      ] as const;
      for (const [kind, terms] of kinds) {
        for (const raw of terms) {
          const wildcard = raw.endsWith('*');
          const words = foldForMatching(wildcard ? raw.slice(0, -1) : raw).split(' ').filter(Boolean);
          if (words.length === 0) continue;
          const open = wildcard || ARABIC.test(words[0]!);
          const entry: TermEntry = { topic: index, kind, term: termIndex++, rest: words.slice(1), open, raw };
          const list = li.byFirstWord.get(words[0]!) ?? [];
          list.push(entry);
          li.byFirstWord.set(words[0]!, list);
          if (open && !li.openLengths.includes(words[0]!.length)) li.openLengths.push(words[0]!.length);
        }
      }
      if (rule.require.length) li.hasRequire.add(index);
      li.minMatches.set(index, rule.minMatches);
    }
  });
  return { topics: topics.map((t) => ({ slug: t.slug, code: t.code })), byLanguage };
}

/** The forms of a text word a term may start: itself and, for Arabic, without leading clitics. */
function stems(word: string): string[] {
  if (!ARABIC.test(word[0] ?? '')) return [word];
  const out = [word];
  for (const p of ARABIC_PREFIXES) {
    if (word.length - p.length >= 2 && word.startsWith(p)) out.push(word.slice(p.length));
  }
  return out;
}

/** Does text word `word` carry term word `termWord` (whole, or as its start when open)? */
function wordMatches(word: string, termWord: string, open: boolean): boolean {
  if (open) return stems(word).some((s) => s.startsWith(termWord));
  return word === termWord;
}

interface Hit {
  entry: TermEntry;
  /** Word positions covered. */
  from: number;
  to: number;
}

function findHits(li: LanguageIndex, words: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  for (let i = 0; i < words.length; i++) {
    const seen = new Set<TermEntry>();
    for (const stem of stems(words[i]!)) {
      const keys = [stem, ...li.openLengths.filter((n) => n < stem.length).map((n) => stem.slice(0, n))];
      for (const key of keys) {
        for (const entry of li.byFirstWord.get(key) ?? []) {
          if (seen.has(entry) || (key !== stem && !entry.open)) continue;
          if (entry.rest.length && !entry.rest.every((w, k) => i + 1 + k < words.length && wordMatches(words[i + 1 + k]!, w, entry.open))) continue;
          seen.add(entry);
          hits.push({ entry, from: i, to: i + entry.rest.length });
        }
      }
    }
  }
  return hits;
}

/** A term of topics.yaml found in a text (what `wirefeed classify --explain` lists). */
export interface RuleMatch {
  slug: string;
  kind: TermKind;
  /** The term as topics.yaml writes it. */
  term: string;
  /** The rule's language key (`ar`, `en`, `any`, …). */
  language: string;
  /** An include/require/force/veto term under one of its topic's exclude phrases: it counted for nothing. */
  excluded?: boolean;
}

/** What the rules say about one text. */
export interface RuleOutcome {
  /** Topics the rules assign (origin `rule`), vetoed ones left out. */
  topics: TopicAssignment[];
  /** Slugs of the topics a veto term matched: they leave the article whatever else assigned them. */
  vetoed: ReadonlySet<string>;
}

/**
 * Applies the rules for `language` (and `any`) to `text`. A topic is assigned when at least
 * `minMatches` distinct include terms match outside its exclude phrases (and one require term,
 * when it has some); score grows with the number of distinct terms: minMatches → 0.5, twice that
 * or more → 1. A force term assigns its topic alone with score 1; a veto term takes it away.
 * Exclude phrases hide the text under them from every term of their topic, force and veto too.
 * `explain`, when given, receives every term found (an operator's view; the pipeline passes none).
 */
export function applyRules(rules: CompiledRules, text: string, language: string, explain?: RuleMatch[]): RuleOutcome {
  const primary = language.toLowerCase().split('-')[0] ?? 'und';
  const words = foldParagraphs(text).flat();
  const languages = primary === 'und' ? [...rules.byLanguage.keys()] : [primary, 'any'];
  const included = new Map<number, Set<string>>();
  const required = new Set<number>();
  const forced = new Set<number>();
  const vetoed = new Set<number>();
  const minMatches = new Map<number, number>();
  const needsRequire = new Set<number>();

  for (const lang of languages) {
    const li = rules.byLanguage.get(lang);
    if (!li) continue;
    for (const [t, n] of li.minMatches) minMatches.set(t, Math.max(minMatches.get(t) ?? 0, n));
    for (const t of li.hasRequire) needsRequire.add(t);
    const hits = findHits(li, words);
    const excluded = hits.filter((h) => h.entry.kind === 'exclude');
    for (const { entry, from } of hits) {
      const hidden = entry.kind !== 'exclude' && excluded.some((x) => x.entry.topic === entry.topic && from >= x.from && from <= x.to);
      explain?.push({ slug: rules.topics[entry.topic]!.slug, kind: entry.kind, term: entry.raw, language: lang, ...(hidden ? { excluded: true } : {}) });
      if (entry.kind === 'exclude' || hidden) continue;
      if (entry.kind === 'require') required.add(entry.topic);
      else if (entry.kind === 'force') forced.add(entry.topic);
      else if (entry.kind === 'veto') vetoed.add(entry.topic);
      else {
        let set = included.get(entry.topic);
        if (!set) included.set(entry.topic, (set = new Set()));
        set.add(`${lang}:${entry.term}`);
      }
    }
  }

  const out: TopicAssignment[] = [];
  const assign = (t: number, score: number) => {
    const topic = rules.topics[t]!;
    out.push({ slug: topic.slug, code: topic.code, score: Math.round(score * 1000) / 1000, origin: 'rule' });
  };
  for (const t of forced) if (!vetoed.has(t)) assign(t, 1);
  for (const [t, terms] of included) {
    if (forced.has(t) || vetoed.has(t)) continue;
    const min = minMatches.get(t) ?? 2;
    if (terms.size < min) continue;
    if (needsRequire.has(t) && !required.has(t)) continue;
    assign(t, Math.min(1, 0.5 * (terms.size / min)));
  }
  return {
    topics: out.sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug)),
    vetoed: new Set([...vetoed].map((t) => rules.topics[t]!.slug)),
  };
}

/** The topics the rules assign to `text` (see applyRules). */
export function matchRules(rules: CompiledRules, text: string, language: string): TopicAssignment[] {
  return applyRules(rules, text, language).topics;
}
