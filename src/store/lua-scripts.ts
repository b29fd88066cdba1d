/**
 * The Redis scripts: one `.lua` file each in src/store/scripts/, with a header saying its KEYS and
 * ARGV. A line `-- @include <name>` is replaced by that file (shared helpers). Scripts are defined
 * on a connection once, as ioredis commands (EVALSHA, falling back to EVAL after a Redis restart).
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const DIR = new URL('./scripts/', import.meta.url);

export type ScriptName =
  | 'article-upsert'
  | 'article-release'
  | 'article-prune'
  | 'lsh-candidates'
  | 'lsh-index'
  | 'lease-release'
  | 'lease-take-over'
  | 'page-put'
  | 'entry-put'
  | 'archive-sequence'
  | 'archive-mark'
  | 'dead-letter-put'
  | 'dead-letter-drop'
  | 'dead-letter-trim'
  | 'host-slot';

const cache = new Map<string, string>();

/** The source of a script, its includes resolved. */
export function luaSource(name: string, including: readonly string[] = []): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  if (including.includes(name)) throw new Error(`lua script ${name} includes itself through ${including.join(' → ')}`);
  const text = readFileSync(new URL(`${name}.lua`, DIR), 'utf8').replace(/^-- @include ([a-z0-9-]+)\s*$/gm, (_, inc: string) =>
    luaSource(inc, [...including, name]),
  );
  cache.set(name, text);
  return text;
}

/** The ioredis command name of a script: `wf` + its name in camel case (`wfArticleUpsert`). */
export function commandName(name: ScriptName): string {
  return `wf${name.replace(/(^|-)([a-z])/g, (_, _d: string, c: string) => c.toUpperCase())}`;
}

/**
 * Defines the scripts on `redis` (once per connection). `keys`: the number of KEYS, or `dynamic`
 * when the caller passes it first (scripts taking one key per article).
 */
export function defineScripts(redis: Redis, scripts: Partial<Record<ScriptName, number | 'dynamic'>>): void {
  for (const [name, keys] of Object.entries(scripts) as [ScriptName, number | 'dynamic'][]) {
    const command = commandName(name);
    if (command in redis) continue;
    redis.defineCommand(command, keys === 'dynamic' ? { lua: luaSource(name) } : { numberOfKeys: keys, lua: luaSource(name) });
  }
}
