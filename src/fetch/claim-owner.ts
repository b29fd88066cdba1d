/**
 * Who owns a directory claim. Every process that claims files has an owner id — host, pid and
 * start time — and claims into `.processing/<ownerId>/`. While it runs it holds a short-TTL
 * heartbeat key in Redis. Another process judges an owner dead when its heartbeat is gone, or at
 * once when the owner ran on this host (same hostname and pid namespace) and its pid is gone.
 * So a restart after kill -9 takes its predecessor's claims back at start, and a host that died
 * is noticed within the TTL.
 */
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { keys, type Keys } from '../store/keys.ts';
import { processAlive } from '../queue/process-alive.ts';

export interface OwnerIdentity {
  /** Hostname, plus `@<pid namespace>` where /proc tells it (containers may share a hostname). */
  host: string;
  pid: number;
  /** Epoch ms the process started claiming. */
  startedAt: number;
}

/** Heartbeat TTL: how long a dead owner on another host keeps its claims. */
export const OWNER_TTL_MS = 15_000;

const OWNER_ID = /^([A-Za-z0-9.-]+(?:@\d+)?)~(\d+)~(\d+)$/;

/** This machine as an owner id writes it. */
export function localHost(): string {
  const name = hostname().replace(/[^A-Za-z0-9.-]/g, '-') || 'localhost';
  let ns = '';
  try {
    ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '';
  } catch {
    // No /proc (macOS): the hostname alone says "same host".
  }
  return ns ? `${name}@${ns}` : name;
}

export function formatOwnerId(o: OwnerIdentity): string {
  return `${o.host}~${o.pid}~${o.startedAt}`;
}

export function parseOwnerId(id: string): OwnerIdentity | null {
  const m = OWNER_ID.exec(id);
  return m ? { host: m[1]!, pid: Number(m[2]), startedAt: Number(m[3]) } : null;
}

export class ClaimOwner {
  readonly id: string;
  readonly #identity: OwnerIdentity;
  readonly #redis: Redis;
  readonly #keys: Keys;
  readonly #ttlMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(redis: Redis, prefix: string, opts: { ttlMs?: number; identity?: OwnerIdentity } = {}) {
    this.#redis = redis;
    this.#keys = keys(prefix);
    this.#ttlMs = opts.ttlMs ?? OWNER_TTL_MS;
    this.#identity = opts.identity ?? { host: localHost(), pid: process.pid, startedAt: Date.now() };
    this.id = formatOwnerId(this.#identity);
  }

  /** Writes the heartbeat and keeps it fresh (every third of the TTL) until stop(). */
  async start(): Promise<void> {
    await this.#beat();
    this.#timer ??= setInterval(() => void this.#beat().catch(() => undefined), Math.max(100, Math.floor(this.#ttlMs / 3)));
    this.#timer.unref();
  }

  /** Stops the heartbeat and removes it: this owner's claims are then anyone's to recover. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#redis.del(this.#keys.owner(this.id));
  }

  async #beat(): Promise<void> {
    await this.#redis.set(this.#keys.owner(this.id), String(this.#identity.startedAt), 'PX', this.#ttlMs);
  }

  /**
   * Whether the owner of `.processing/<ownerId>/` may still be working on its claims. A name
   * that is no owner id is never judged dead (nothing of ours, not ours to move).
   */
  async isAlive(ownerId: string): Promise<boolean> {
    if (ownerId === this.id) return true;
    const other = parseOwnerId(ownerId);
    if (!other) return true;
    // Same host: a pid that is gone, or that is now this very process (pid 1 in a container
    // restarted in place), is a dead owner; no need to wait out its heartbeat.
    if (other.host === this.#identity.host && (other.pid === process.pid || !processAlive(other.pid))) return false;
    return (await this.#redis.exists(this.#keys.owner(ownerId))) === 1;
  }
}
