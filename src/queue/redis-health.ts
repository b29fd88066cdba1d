/**
 * Redis connection health, per connection group ("http", "workers"), and the one place that
 * listens to Redis errors. Every ioredis client, BullMQ Queue and Worker of the service is watched
 * here, so no error event goes unheard (an unheard one is a raw stack trace on stderr), and an
 * outage is logged as state changes, not one line per retry:
 *
 *   redis down (workers): connection lost              warn, state "down", cause
 *   redis still down (workers), reconnecting: …        info, state "reconnecting", cause
 *   redis back up (workers) after 5.2 s                info, state "up", downMs, errors
 *
 * Errors that are not about the connection (a script error, a lost job lock) are logged as they
 * come, the same message from the same source at most once a minute.
 */
import type { Logger } from '../log/logger.ts';

export type RedisState = 'up' | 'down' | 'reconnecting';

/** What is watched of an ioredis client: its status and connection events. */
export interface WatchedClient {
  readonly status: string;
  on(event: 'ready' | 'close' | 'error', listener: (arg?: unknown) => void): unknown;
}

/** A BullMQ Queue or Worker: it re-emits its connections' errors and its own. */
export interface ErrorSource {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ENOENT', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH',
  'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_SOCKET_CLOSED',
]);
const CONNECTION_MESSAGE = /Connection is closed|Stream isn't writeable|Command timed out|max retries per request|Socket closed|connect E[A-Z]+|^LOADING /i;

/** True for errors that say Redis cannot be reached, as opposed to errors of a command. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code && CONNECTION_CODES.has(code)) return true;
  if (err.name === 'MaxRetriesPerRequestError' || err.name === 'ConnectionClosedError') return true;
  return CONNECTION_MESSAGE.test(err.message);
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The same non-connection error from the same source is logged at most once in this long. */
export const REPEAT_WINDOW_MS = 60_000;

export class RedisGroup {
  readonly name: string;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #silenced: () => boolean;
  readonly #clients = new Set<WatchedClient>();
  #state: RedisState = 'up';
  #cause: string | null = null;
  #downSince: number | null = null;
  /** Connection errors heard during the current outage (not logged one by one). */
  #errors = 0;
  readonly #repeats = new Map<string, { at: number; count: number }>();

  constructor(name: string, log: Logger, now: () => number, silenced: () => boolean) {
    this.name = name;
    this.#log = log;
    this.#now = now;
    this.#silenced = silenced;
  }

  get state(): RedisState {
    return this.#state;
  }

  get up(): boolean {
    return this.#state === 'up';
  }

  /** Why the group is down (the last connection error), null while up. */
  get cause(): string | null {
    return this.#cause;
  }

  /** When the current outage began (epoch ms), null while up. */
  get downSince(): number | null {
    return this.#downSince;
  }

  /** An ioredis client of this group: its connection events drive the group's state. */
  watchClient(client: WatchedClient, label: string): void {
    this.#clients.add(client);
    client.on('error', (err) => this.#onError(err, label, true));
    client.on('close', () => this.#down('connection lost', label));
    client.on('ready', () => this.#maybeUp());
  }

  /**
   * A BullMQ Queue or Worker of this group. Its connection errors count towards the group's
   * outage; its other errors are logged (repeats held back).
   */
  watchErrors(source: ErrorSource, label: string): void {
    source.on('error', (err) => this.#onError(err, label, false));
  }

  #onError(err: unknown, label: string, fromClient: boolean): void {
    if (!isConnectionError(err)) {
      this.#logOther(err, label);
      return;
    }
    this.#errors++;
    if (this.#state === 'up') {
      // A BullMQ connection of its own may lag behind the group's clients (a late error after
      // they are back): that is no new outage. BullMQ reconnects it by itself.
      if (!fromClient && this.#allReady()) return;
      this.#down(message(err), label);
    } else {
      this.#cause = message(err);
      if (this.#state === 'down') {
        this.#state = 'reconnecting';
        if (!this.#silenced()) {
          this.#log.info(
            { group: this.name, state: 'reconnecting', source: label, cause: this.#cause },
            `redis still down (${this.name}), reconnecting: ${this.#cause}`,
          );
        }
      }
    }
  }

  #down(cause: string, label: string): void {
    if (this.#state !== 'up') return;
    this.#state = 'down';
    this.#cause = cause;
    this.#downSince = this.#now();
    if (!this.#silenced()) {
      this.#log.warn({ group: this.name, state: 'down', source: label, cause }, `redis down (${this.name}): ${cause} (${label})`);
    }
  }

  #allReady(): boolean {
    for (const c of this.#clients) if (c.status !== 'ready') return false;
    return true;
  }

  #maybeUp(): void {
    if (this.#state === 'up' || !this.#allReady()) return;
    const downMs = this.#now() - (this.#downSince ?? this.#now());
    const errors = this.#errors;
    this.#state = 'up';
    this.#cause = null;
    this.#downSince = null;
    this.#errors = 0;
    if (!this.#silenced()) {
      this.#log.info(
        { group: this.name, state: 'up', downMs, errors },
        `redis back up (${this.name}) after ${(downMs / 1000).toFixed(1)} s`,
      );
    }
  }

  #logOther(err: unknown, label: string): void {
    const text = message(err);
    const key = `${label}\u0000${text}`;
    const now = this.#now();
    const seen = this.#repeats.get(key);
    if (seen && now - seen.at < REPEAT_WINDOW_MS) {
      seen.count++;
      return;
    }
    this.#repeats.set(key, { at: now, count: 0 });
    if (this.#repeats.size > 200) this.#repeats.delete(this.#repeats.keys().next().value!);
    if (this.#silenced()) return;
    const repeated = seen?.count ?? 0;
    this.#log.error({ group: this.name, source: label, err: text, ...(repeated ? { repeated } : {}) }, `${label}: ${text}`);
  }
}

export class RedisHealth {
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #signal: AbortSignal | undefined;
  readonly #groups = new Map<string, RedisGroup>();

  /**
   * `signal`: once aborted (the service is shutting down) connections closing are expected and
   * nothing more is logged.
   */
  constructor(logger: Logger, opts: { signal?: AbortSignal; now?: () => number } = {}) {
    this.#log = logger.child({ component: 'redis-health' });
    this.#now = opts.now ?? Date.now;
    this.#signal = opts.signal;
  }

  group(name: string): RedisGroup {
    let g = this.#groups.get(name);
    if (!g) {
      g = new RedisGroup(name, this.#log, this.#now, () => this.#signal?.aborted === true);
      this.#groups.set(name, g);
    }
    return g;
  }

  groups(): RedisGroup[] {
    return [...this.#groups.values()];
  }
}
