/**
 * The one queue and job registry: queue names, job data, default options, deterministic job ids.
 */
import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';

export const QUEUE_NAMES = ['fetch', 'ingest', 'publish'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** A poll of one source (feed: conditional GET; directory: scan for dropped files). */
export interface FetchJobData {
  sourceId: string;
}

/** One document to ingest: a fetched feed body, a dropped file, a pushed item. */
export interface IngestJobData {
  sourceId: string;
  body: string;
  contentType: string | null;
  /** Where the document came from (base for relative links), when it has a URL. */
  url: string | null;
  /** ISO time the document was received: the "first seen" time of its items. */
  receivedAt: string;
  /** Set for files claimed from a directory source: moved to done/ or failed/ when settled. */
  file?: { dir: string; claimedPath: string; name: string };
}

/** Render one feed: a topic slug, `all`, or `source:<id>`. */
export interface PublishJobData {
  feed: string;
}

/** Job names. */
export const JOB = {
  poll: 'poll',
  ingest: 'ingest',
  publish: 'publish',
  prune: 'prune',
  release: 'release',
} as const;

const DAY_S = 86_400;

export const DEFAULT_JOB_OPTIONS: Record<QueueName, JobsOptions> = {
  // A poll is not retried in place: the next scheduled poll (after backoff) is the retry.
  fetch: { attempts: 1, removeOnComplete: { count: 200 }, removeOnFail: { count: 500, age: 7 * DAY_S } },
  // Transient failures (Redis hiccup) retry; bad documents fail at once (UnrecoverableError).
  ingest: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: { count: 500, age: 3600 },
    removeOnFail: { count: 500, age: 7 * DAY_S },
  },
  publish: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { count: 200 },
    removeOnFail: { count: 200, age: 7 * DAY_S },
  },
};

/**
 * Worker options of every queue. A job whose process was killed is re-run once its lock has
 * expired and a stall check has seen it: a lock of 8 s (renewed every 4 s; ingest gives the event
 * loop a turn every 50 items, so renewals are never starved) checked every 2 s puts that within
 * 10 s of the kill instead of up to a minute (30 s lock, 30 s checks). A job stalled more than
 * three times — its process killed under it again and again — fails for good and is listed by
 * `wirefeed dlq`.
 */
export const WORKER_OPTIONS = { lockDuration: 8000, stalledInterval: 2000, maxStalledCount: 3 } as const;

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: Redis, prefix: string): Queues {
  const make = (name: QueueName) =>
    new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS[name] });
  return { fetch: make('fetch'), ingest: make('ingest'), publish: make('publish') };
}

/** BullMQ job ids may not contain `:`. */
function safeId(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '~');
}

/** Scheduler id of a source's polls. */
export function pollSchedulerId(sourceId: string): string {
  return `poll-${safeId(sourceId)}`;
}

/** Same source + same bytes → same job: a document enqueued twice while waiting is ingested once. */
export function ingestJobId(sourceId: string, body: string): string {
  return `doc-${safeId(sourceId)}-${createHash('sha256').update(body).digest('hex').slice(0, 24)}`;
}

/**
 * Adds one document to the ingest queue under `jobId`. The same id while a job waits or has just
 * completed is the same document, and is not added twice; but a job that FAILED for good keeps
 * its id for days (removeOnFail), and BullMQ would answer a new add with that dead job: then the
 * dead job is removed and the document queued afresh, so a resend after a fix is never swallowed.
 */
export async function enqueueIngest(ingest: Queue, data: IngestJobData, jobId: string): Promise<{ id: string; requeued: boolean }> {
  const job = await ingest.add(JOB.ingest, data, { jobId });
  if (!(await job.isFailed())) return { id: jobId, requeued: false };
  await job.remove().catch(() => undefined); // Another sender may have removed it first.
  await ingest.add(JOB.ingest, data, { jobId });
  return { id: jobId, requeued: true };
}

/** A claimed file is a unique event: its job id follows the claim, not the bytes. */
export function fileJobId(sourceId: string, claimedPath: string): string {
  return `file-${safeId(sourceId)}-${createHash('sha256').update(claimedPath).digest('hex').slice(0, 24)}`;
}

/**
 * Publishing is coalesced into windows: every change to a feed during window `b` maps to the one
 * job `pub-<feed>-<b>`, delayed to the end of the window, so it renders after all of them.
 * A burst lasting T renders each feed at most T / window + 1 times.
 */
export function publishJob(feed: string, nowMs: number, windowMs: number): { jobId: string; delay: number } {
  const bucket = Math.floor(nowMs / windowMs);
  return { jobId: `pub-${safeId(feed)}-${bucket}`, delay: (bucket + 1) * windowMs - nowMs };
}

/** One release job per embargo time: held articles go live when it runs. */
export async function scheduleRelease(publish: Queue, times: Iterable<number>, nowMs: number): Promise<void> {
  const jobs = [...new Set(times)].map((t) => ({
    name: JOB.release,
    data: { feed: '' } satisfies PublishJobData,
    opts: { jobId: `release-${t}`, delay: Math.max(0, t - nowMs) },
  }));
  if (jobs.length) await publish.addBulk(jobs);
}

/** Enqueues one coalesced publish job per feed. */
export async function schedulePublish(publish: Queue, feeds: Iterable<string>, nowMs: number, windowMs: number): Promise<void> {
  const jobs = [...new Set(feeds)].map((feed) => {
    const { jobId, delay } = publishJob(feed, nowMs, windowMs);
    return { name: JOB.publish, data: { feed } satisfies PublishJobData, opts: { jobId, delay } };
  });
  if (jobs.length) await publish.addBulk(jobs);
}
