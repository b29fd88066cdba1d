/**
 * `wirefeed sources`: every configured source as the fetchers see it in Redis — type, URL
 * (configured, and the one polled instead after a permanent redirect), health, the last poll and
 * its status, the next poll and why then (floor, publishing-rate, ttl, syndication, max-age,
 * expires, retry-after, backoff, unhealthy).
 */
import { ConfigError, loadConfig } from '../config/load-config.ts';
import type { SourceConfig } from '../config/schema.ts';
import { effectiveUrl } from '../fetch/poll-source.ts';
import { createRedis, waitReady } from '../queue/connection.ts';
import { privateRedisUrl } from '../queue/private-redis.ts';
import { SourceStateStore, type SourceState } from '../store/source-state.ts';

export interface SourcesOptions {
  config: string;
  json?: boolean;
}

export interface SourceRow {
  id: string;
  type: SourceConfig['type'];
  enabled: boolean;
  /** The URL in sources.yaml (a directory source: its folder; push: none). */
  url: string | null;
  /** The URL polled, when a permanent redirect moved the source; else null. */
  effectiveUrl: string | null;
  /** A permanent redirect seen but not adopted yet: its target and how many polls in a row saw it. */
  redirect: { to: string; polls: number } | null;
  /** healthy | failing | unhealthy | never polled | not polled (push, disabled). */
  state: string;
  failures: number;
  lastPollAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
  nextPollAt: string | null;
  /** Why the next poll is then. */
  why: string | null;
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

/** One row per source from its configuration and its state (pure). */
export function sourceRow(source: SourceConfig, state: SourceState): SourceRow {
  const polled = source.type !== 'push' && source.enabled;
  const url = source.type === 'feed' ? source.url : source.type === 'directory' ? source.path : null;
  const effective = source.type === 'feed' ? effectiveUrl(source, state) : null;
  return {
    id: source.id,
    type: source.type,
    enabled: source.enabled,
    url,
    effectiveUrl: source.type === 'feed' && state.effectiveUrl && effective === state.effectiveUrl ? effective : null,
    redirect: state.redirectTarget ? { to: state.redirectTarget, polls: state.redirectSeen ?? 0 } : null,
    state: !polled ? 'not polled' : source.type === 'directory' ? (state.lastPollAt ? 'healthy' : 'never polled') : (state.health ?? 'never polled'),
    failures: state.failures,
    lastPollAt: iso(state.lastPollAt),
    lastStatus: state.lastStatus ?? null,
    lastError: state.lastError ?? null,
    nextPollAt: polled && source.type === 'feed' ? (iso(state.nextPollAt) ?? (state.lastPollEnd ? iso(state.lastPollEnd + source.every) : 'at the next fire')) : null,
    why: polled && source.type === 'feed' ? (state.nextReason ?? 'floor') : null,
  };
}

/** The rows as text: one block per source, aligned labels. */
export function formatRows(rows: readonly SourceRow[]): string {
  return rows
    .map((r) => {
      const lines = [`${r.id}  ${r.type}  ${r.state}${r.failures ? ` (${r.failures} failure(s) in a row)` : ''}`];
      if (r.url) lines.push(`  url        ${r.url}`);
      if (r.effectiveUrl) lines.push(`  polled     ${r.effectiveUrl}  (permanent redirect)`);
      if (r.redirect) lines.push(`  redirect   ${r.redirect.to}  (seen by ${r.redirect.polls} poll(s) in a row; adopted at 3)`);
      lines.push(`  last poll  ${r.lastPollAt ?? 'never'}${r.lastStatus ? `  ${r.lastStatus}` : ''}`);
      if (r.lastError) lines.push(`  error      ${r.lastError}`);
      if (r.nextPollAt) lines.push(`  next poll  ${r.nextPollAt}  (${r.why})`);
      return lines.join('\n');
    })
    .join('\n\n')
    .concat(rows.length ? '\n' : '');
}

export async function sourcesCommand(opts: SourcesOptions, env: NodeJS.ProcessEnv = process.env, out: (s: string) => void = (s) => void process.stdout.write(s)): Promise<number> {
  let config;
  try {
    config = loadConfig(opts.config, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`wirefeed sources: ${err.problems.length} problem(s) in the configuration:\n${err.problems.map((p) => `  ${p}\n`).join('')}`);
    return 1;
  }
  const url = config.settings.redisUrl ?? privateRedisUrl(config.settings.dataDir);
  const redis = createRedis(url, 'client');
  redis.on('error', () => undefined);
  try {
    await waitReady(redis, url, 5_000);
    const states = await new SourceStateStore(redis, config.settings.redisPrefix).getMany(config.sources.map((s) => s.id));
    const rows = config.sources.map((s, i) => sourceRow(s, states[i]!));
    out(opts.json ? rows.map((r) => `${JSON.stringify(r)}\n`).join('') : formatRows(rows));
    return 0;
  } catch (err) {
    process.stderr.write(`wirefeed sources: cannot read the sources' state from Redis: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
