/**
 * Loads and validates the configuration directory (settings.yaml, sources.yaml, topics.yaml) and
 * the environment, reporting every problem at once — each naming the file, the field path (and
 * line) and what is wrong — then freezes the result. Bad config fails the start, never a job.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { sharedModel } from '../classify/classifier.ts';
import { concept, loadTaxonomy, parseCode, type Taxonomy } from '../classify/taxonomy.ts';
import { TOP_LEVEL_TOPICS, type TopicTitles } from '../classify/top-level-topics.ts';
import {
  settingsSchema,
  sourcesFileSchema,
  topicsFileSchema,
  type Settings,
  type SourceConfig,
  type TopicDefinition,
} from './schema.ts';

export type { TopicDefinition };

export interface ResolvedSettings extends Settings {
  publicUrl: string;
  fetch: Settings['fetch'] & { userAgent: string };
}

export interface WirefeedConfig {
  configDir: string;
  settings: ResolvedSettings;
  sources: readonly SourceConfig[];
  topics: readonly TopicDefinition[];
  /** Bearer token of each push source, read from the environment variable it names. */
  pushTokens: ReadonlyMap<string, string>;
}

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Environment variables and the settings field each one sets. */
const ENV_SETTINGS: Record<string, string[]> = {
  REDIS_URL: ['redisUrl'],
  REDIS_PREFIX: ['redisPrefix'],
  HOST: ['host'],
  PORT: ['port'],
  PUBLIC_URL: ['publicUrl'],
  LOG_LEVEL: ['logLevel'],
  DATA_DIR: ['dataDir'],
  FEED_SIZE: ['feedSize'],
  FEED_LANGUAGES: ['feedLanguages'],
  PUBLISH_WINDOW: ['publishWindow'],
  WEBSUB_HUB: ['websubHub'],
  RETENTION: ['retention'],
  FETCH_TIMEOUT: ['fetch', 'timeout'],
  FETCH_MAX_BYTES: ['fetch', 'maxBytes'],
  FETCH_CONCURRENCY: ['fetch', 'concurrency'],
  USER_AGENT: ['fetch', 'userAgent'],
  FETCH_CONTACT: ['fetch', 'contact'],
  FETCH_HOST_CONCURRENCY: ['fetch', 'hostConcurrency'],
  FETCH_HOST_RATE: ['fetch', 'hostRate'],
  INGEST_CONCURRENCY: ['ingest', 'concurrency'],
  DEAD_LETTER_MAX_BYTES: ['deadLetters', 'maxBytes'],
  DEAD_LETTERS_PER_SOURCE: ['deadLetters', 'perSource'],
  DEAD_LETTERS_TOTAL: ['deadLetters', 'total'],
  DEAD_LETTER_MAX_AGE: ['deadLetters', 'maxAge'],
  CLASSIFIER: ['classifier', 'enabled'],
  CLASSIFIER_MODEL: ['classifier', 'model'],
  CLASSIFIER_MIN_SCORE: ['classifier', 'minScore'],
};

export const VERSION = '0.1.0';

interface YamlFile {
  name: string;
  doc?: Document;
  lines?: LineCounter;
  value: unknown;
}

function readYaml(dir: string, file: string, required: boolean, problems: string[]): YamlFile {
  const path = join(dir, file);
  const name = join(dir, file);
  if (!existsSync(path)) {
    if (required) problems.push(`${name}: file not found`);
    return { name, value: {} };
  }
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      problems.push(`${name}:${pos.line}:${pos.col}: YAML syntax: ${e.message.split('\n')[0]}`);
    }
    return { name, value: undefined };
  }
  return { name, doc, lines, value: doc.toJS() ?? {} };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

function lineOf(file: YamlFile, path: readonly PropertyKey[]): string {
  if (!file.doc || !file.lines) return '';
  // The deepest node that exists on the path gives the line to look at.
  for (let n = path.length; n >= 0; n--) {
    const node = file.doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return `:${file.lines.linePos(node.range[0]).line}`;
  }
  return '';
}

function collectIssues(file: YamlFile, error: z.ZodError, problems: string[]): void {
  for (const issue of error.issues) {
    problems.push(`${file.name}${lineOf(file, issue.path)}: ${formatPath(issue.path)}: ${issue.message}`);
  }
}

/** Builds a nested object from the environment variables that set settings. */
function settingsFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(ENV_SETTINGS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let target = out;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]!] = value;
  }
  return out;
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? mergeDeep(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** A Media Topic code in any accepted spelling as 8 digits; any other code as written. */
function normalizeCode(code: string): string {
  const parsed = parseCode(code);
  return parsed?.scheme === 'medtop' ? parsed.code : code;
}

const quoted = (taxonomy: Taxonomy, code: string) => {
  const c = taxonomy.concepts.get(code);
  return c ? `${c.qcode} "${c.labels.en}"` : `medtop:${code}`;
};

/**
 * Checks an operator topic's code: a Media Topic must exist in the shipped taxonomy and be active;
 * a legacy subject code is refused with the Media Topic to write instead. Returns the problem, or
 * null when the code is usable (an operator's own code always is).
 */
function codeProblem(code: string, taxonomy: () => Taxonomy): string | null {
  const parsed = parseCode(code);
  if (!parsed) return null;
  const tax = taxonomy();
  if (parsed.scheme === 'subj') {
    const medtop = concept(tax, code);
    return `"${code}" is a legacy IPTC Subject Code; write a Media Topic code${medtop ? ` (it corresponds to ${quoted(tax, medtop.code)})` : ''}`;
  }
  const c = tax.concepts.get(parsed.code);
  if (!c) {
    return `medtop:${parsed.code} is not an IPTC Media Topic in the shipped taxonomy (assets/taxonomy/mediatopics.tsv, IPTC release ${tax.release || 'unknown'}; newer codes need a refreshed file: scripts/derive-taxonomy.ts)`;
  }
  if (!c.retired) return null;
  const retired = `${quoted(tax, c.code)} was retired by IPTC on ${c.retired}`;
  if (c.replacedBy) return `${retired}; use ${quoted(tax, c.replacedBy)} instead`;
  let parent = c.broader ? tax.concepts.get(c.broader) : undefined;
  while (parent?.retired) parent = parent.broader ? tax.concepts.get(parent.broader) : undefined;
  return `${retired} and IPTC names no replacement; use ${parent ? `its broader concept ${quoted(tax, parent.code)} or ` : ''}an active concept`;
}

/** IPTC's labels as feed titles (first letter capitalized: IPTC's English labels are lowercase). */
function titlesOf(taxonomy: Taxonomy, code: string): Partial<TopicTitles> {
  const c = taxonomy.concepts.get(code);
  if (!c) return {};
  const cap = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);
  const out: Partial<TopicTitles> = { en: cap(c.labels.en) };
  if (c.labels.ar) out.ar = c.labels.ar;
  if (c.labels.fr) out.fr = cap(c.labels.fr);
  return out;
}

/**
 * Reads and validates the configuration in `configDir` with `env` overriding settings.yaml.
 * @throws ConfigError listing every problem found.
 */
export function loadConfig(configDir: string, env: NodeJS.ProcessEnv = process.env): WirefeedConfig {
  const dir = resolve(configDir);
  const problems: string[] = [];
  if (!existsSync(dir)) throw new ConfigError([`${configDir}: configuration directory not found`]);

  const settingsFile = readYaml(dir, 'settings.yaml', false, problems);
  const sourcesFile = readYaml(dir, 'sources.yaml', true, problems);
  const topicsFile = readYaml(dir, 'topics.yaml', false, problems);

  // Settings: the file first, the environment over it; an env problem names the variable.
  const fromEnv = settingsFromEnv(env);
  const fileSettings = (settingsFile.value ?? {}) as Record<string, unknown>;
  let settings: Settings | undefined;
  const settingsResult = settingsSchema.safeParse(
    typeof fileSettings === 'object' && !Array.isArray(fileSettings) ? mergeDeep(fileSettings, fromEnv) : fileSettings,
  );
  if (settingsResult.success) settings = settingsResult.data;
  else {
    for (const issue of settingsResult.error.issues) {
      const envName = Object.entries(ENV_SETTINGS).find(
        ([name, path]) => env[name] && path.join('.') === issue.path.join('.'),
      )?.[0];
      const where = envName ? `environment ${envName}` : `${settingsFile.name}${lineOf(settingsFile, issue.path)}`;
      problems.push(`${where}: ${formatPath(issue.path)}: ${issue.message}`);
    }
  }

  let sources: SourceConfig[] = [];
  if (sourcesFile.value !== undefined) {
    const r = sourcesFileSchema.safeParse(sourcesFile.value);
    if (r.success) sources = r.data.sources;
    else collectIssues(sourcesFile, r.error, problems);
  }

  const topics: TopicDefinition[] = TOP_LEVEL_TOPICS.map((t) => ({
    slug: t.slug,
    code: t.code,
    title: { ...t.title },
    rules: {},
    builtin: true,
  }));
  // The taxonomy is read only when a topic names a Media Topic (once per process: see loadTaxonomy).
  let taxonomy: Taxonomy | undefined;
  const getTaxonomy = () => (taxonomy ??= loadTaxonomy());
  if (topicsFile.value !== undefined) {
    const r = topicsFileSchema.safeParse(topicsFile.value);
    if (!r.success) collectIssues(topicsFile, r.error, problems);
    else {
      const seen = new Set<string>();
      r.data.topics.forEach((entry, i) => {
        if (seen.has(entry.slug)) {
          problems.push(`${topicsFile.name}${lineOf(topicsFile, ['topics', i, 'slug'])}: topics[${i}].slug: "${entry.slug}" is declared twice`);
          return;
        }
        seen.add(entry.slug);
        const existing = topics.find((t) => t.slug === entry.slug);
        if (existing) {
          existing.rules = entry.rules;
          if (entry.title) existing.title = { ...existing.title, ...entry.title };
          if (entry.code && normalizeCode(entry.code) !== existing.code) {
            problems.push(
              `${topicsFile.name}${lineOf(topicsFile, ['topics', i, 'code'])}: topics[${i}].code: built-in topic "${entry.slug}" has code ${existing.code}; its code cannot be changed`,
            );
          }
          return;
        }
        if (entry.slug === 'all' || entry.slug === 'source') {
          problems.push(`${topicsFile.name}${lineOf(topicsFile, ['topics', i, 'slug'])}: topics[${i}].slug: "${entry.slug}" is reserved`);
          return;
        }
        let code = entry.code ? normalizeCode(entry.code) : '';
        let iptcTitles: Partial<TopicTitles> = {};
        if (entry.code) {
          let problem: string | null;
          try {
            problem = codeProblem(entry.code, getTaxonomy);
          } catch (err) {
            problem = `cannot read the IPTC taxonomy (${err instanceof Error ? err.message : String(err)})`;
          }
          if (problem) {
            problems.push(`${topicsFile.name}${lineOf(topicsFile, ['topics', i, 'code'])}: topics[${i}].code: ${problem}`);
            code = '';
          } else if (!entry.title && parseCode(code)?.scheme === 'medtop') {
            // No titles of its own: IPTC's labels, rather than the slug, name the feed.
            iptcTitles = titlesOf(getTaxonomy(), code);
          }
        }
        topics.push({
          slug: entry.slug,
          code,
          title: { ...iptcTitles, en: entry.title?.en ?? iptcTitles.en ?? entry.slug, ...entry.title } as TopicTitles,
          rules: entry.rules,
          builtin: false,
        });
      });
    }
  }

  // Cross-file checks: ids unique, every topic named by a source exists.
  const slugs = new Set(topics.map((t) => t.slug));
  const ids = new Set<string>();
  const pushTokens = new Map<string, string>();
  sources.forEach((s, i) => {
    const at = (...p: PropertyKey[]) => `${sourcesFile.name}${lineOf(sourcesFile, ['sources', i, ...p])}: ${formatPath(['sources', i, ...p])}`;
    if (ids.has(s.id)) problems.push(`${at('id')}: source id "${s.id}" is used twice`);
    ids.add(s.id);
    s.topics.forEach((t, j) => {
      if (!slugs.has(t)) problems.push(`${at('topics', j)}: unknown topic "${t}" (declare it in topics.yaml)`);
    });
    if (s.type === 'push') {
      const token = env[s.tokenEnv];
      if (!token) problems.push(`${at('tokenEnv')}: environment variable ${s.tokenEnv} is not set (it holds the bearer token of push source "${s.id}")`);
      else if (token.length < 16) problems.push(`${at('tokenEnv')}: the token in ${s.tokenEnv} is shorter than 16 characters`);
      else pushTokens.set(s.id, token);
    }
    for (const [category, target] of Object.entries(s.categories)) {
      for (const t of Array.isArray(target) ? target : [target]) {
        if (!slugs.has(t)) problems.push(`${at('categories', category)}: unknown topic "${t}" (declare it in topics.yaml)`);
      }
    }
  });

  // The classifier's model file must load now, not at the first item.
  if (settings?.classifier.enabled && settings.classifier.model) {
    const path = resolve(dir, settings.classifier.model);
    const where = env.CLASSIFIER_MODEL ? 'environment CLASSIFIER_MODEL' : `${settingsFile.name}${lineOf(settingsFile, ['classifier', 'model'])}`;
    try {
      sharedModel(path);
      settings = { ...settings, classifier: { ...settings.classifier, model: path } };
    } catch (err) {
      problems.push(`${where}: classifier.model: ${path}: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  if (problems.length > 0 || !settings) throw new ConfigError(problems);

  const publicUrl = (settings.publicUrl ?? `http://localhost:${settings.port}`).replace(/\/+$/, '');
  const resolved: ResolvedSettings = {
    ...settings,
    publicUrl,
    fetch: { ...settings.fetch, userAgent: settings.fetch.userAgent ?? `Wirefeed/${VERSION} (+${settings.fetch.contact ?? `${publicUrl}/`})` },
  };
  return { ...deepFreeze({ configDir: dir, settings: resolved, sources, topics }), pushTokens };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
