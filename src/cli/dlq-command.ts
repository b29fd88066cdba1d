/**
 * `wirefeed dlq [list | show ID | retry ID… | drop ID…]`: the dead letters — documents that failed
 * for good and items of stored documents that could not become articles (src/store/dead-letters.ts)
 * — with their source, where they came from, size, error code and message.
 *
 * - `list` (also `wirefeed dlq` alone): one line each, newest first. Failed ingest jobs that have
 *   no letter (a job stalled out, its process killed under it again and again; a letter that
 *   could not be written) are listed too, under their job id.
 * - `show ID`: the whole record and its (capped) bytes.
 * - `retry ID…`: queued again under the same job id, so retrying twice, or while the first retry
 *   runs, ingests it once; the letter stays until the worker has ingested it (then it is dropped)
 *   or is updated if it fails again. From the failed job while BullMQ keeps it (the full bytes),
 *   otherwise from the letter's bytes (refused when they were cut at the cap).
 * - `drop ID…`: forgets the letter and its failed job.
 * The flags of before still work: `--retry [ID…]` is `retry` (every letter without ids),
 * `--remove [ID…]` is `drop` (every letter without ids).
 */
import { dirname } from 'node:path';
import { Queue, type Job } from 'bullmq';
import { ConfigError, loadConfig } from '../config/load-config.ts';
import { createRedis, waitReady } from '../queue/connection.ts';
import { privateRedisUrl } from '../queue/private-redis.ts';
import { DEFAULT_JOB_OPTIONS, enqueueIngest } from '../queue/registry.ts';
import { DeadLetterStore, ITEM_LETTER_TYPE, deadLetterLimits, capUtf8, type DeadLetter, type DeadLetterSummary, type IngestRetryData } from '../store/dead-letters.ts';
import { keys } from '../store/keys.ts';

export type DlqAction = 'list' | 'show' | 'retry' | 'drop';
export const DLQ_ACTIONS: readonly DlqAction[] = ['list', 'show', 'retry', 'drop'];

export interface DlqOptions {
  config: string;
  /** Old flags: `--retry [ids…]`, `--remove [ids…]` (true: all of them). */
  retry?: string[] | true;
  remove?: string[] | true;
  json?: boolean;
  limit: number;
}

/** A listed dead letter: from the store, or a failed ingest job that has none. */
interface Entry extends DeadLetterSummary {
  from: 'letter' | 'job';
}

const PENDING = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** `CODE: message` out of a failed job's reason (`source s, file f: CODE: message`). */
function splitReason(reason: string): { code: string; message: string } {
  const m = /(?:^|: )([A-Z][A-Z0-9_]+): ([\s\S]*)$/.exec(reason);
  return m ? { code: m[1]!, message: m[2]! } : { code: '', message: reason };
}

function jobEntry(job: Job<IngestRetryData>): Entry {
  const reason = (job.failedReason ?? '').split('\n')[0]!;
  const at = job.finishedOn ?? job.timestamp;
  return {
    from: 'job',
    id: job.id ?? '',
    kind: job.data.deadItem ? 'item' : 'document',
    sourceId: job.data.sourceId,
    jobId: job.data.deadItem?.jobId ?? job.id ?? '',
    file: job.data.file?.name ?? null,
    path: null,
    url: job.data.url,
    contentType: job.data.contentType,
    receivedAt: job.data.receivedAt,
    ...splitReason(reason),
    itemIndex: job.data.deadItem?.index ?? null,
    size: Buffer.byteLength(job.data.body ?? ''),
    truncated: false,
    attempts: job.attemptsMade,
    firstAt: at,
    lastAt: at,
  };
}

const iso = (ms: number) => (ms ? new Date(ms).toISOString() : '-');

function jsonRow(e: Entry) {
  // `source`, `bytes`, `failedAt` and `reason` as the listing of before had them.
  return { ...e, source: e.sourceId, bytes: e.size, failedAt: iso(e.lastAt), firstAt: iso(e.firstAt), lastAt: iso(e.lastAt), reason: e.code ? `${e.code}: ${e.message}` : e.message };
}

function line(e: Entry): string {
  const size = `${e.size} B${e.truncated ? ' (cut)' : ''}`;
  const where = e.file ? `file ${e.file}` : e.url ? e.url : '';
  const what = e.kind === 'item' ? `item ${e.itemIndex ?? '?'}` : 'document';
  const message = e.message.split('\n')[0]!;
  return [e.id, iso(e.lastAt), `source ${e.sourceId}`, e.code || '-', size, what, `${e.attempts} attempt(s)`, where, message.length > 120 ? `${message.slice(0, 119)}…` : message]
    .filter(Boolean)
    .join('  ');
}

export async function dlqCommand(action: string | undefined, ids: string[], opts: DlqOptions): Promise<number> {
  // The flags of before map onto the actions.
  let act: DlqAction;
  let all = false;
  if (opts.retry || opts.remove) {
    if (action !== undefined) return usage(`--retry and --remove cannot be combined with "${action}"`);
    act = opts.retry ? 'retry' : 'drop';
    const flag = (opts.retry ?? opts.remove)!;
    all = flag === true;
    ids = flag === true ? [] : flag;
  } else {
    if (action !== undefined && !(DLQ_ACTIONS as readonly string[]).includes(action)) return usage(`unknown action "${action}" (${DLQ_ACTIONS.join(', ')})`);
    act = (action as DlqAction | undefined) ?? 'list';
    if (act === 'list' && ids.length) return usage('list takes no ids');
    if (act === 'show' && ids.length !== 1) return usage('show takes one id');
    if ((act === 'retry' || act === 'drop') && ids.length === 0) return usage(`${act} needs the ids of the dead letters (from \`wirefeed dlq list\`)`);
  }

  let config;
  try {
    config = loadConfig(opts.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`wirefeed dlq: ${err.problems.length} problem(s) in the configuration:\n${err.problems.map((p) => `  ${p}\n`).join('')}`);
    return 1;
  }
  const url = config.settings.redisUrl ?? privateRedisUrl(config.settings.dataDir);
  const redis = createRedis(url, 'client');
  redis.on('error', () => undefined);
  const queue = new Queue('ingest', { connection: redis, prefix: keys(config.settings.redisPrefix).queuePrefix, defaultJobOptions: DEFAULT_JOB_OPTIONS.ingest });
  queue.on('error', () => undefined);
  const store = new DeadLetterStore(redis, config.settings.redisPrefix, deadLetterLimits(config.settings.deadLetters));
  try {
    await waitReady(redis, url, 5_000);
    const entries = async (): Promise<Entry[]> => {
      const letters: Entry[] = (await store.list(Date.now(), opts.limit)).map((l) => ({ ...l, from: 'letter' }));
      const known = new Set(letters.map((l) => l.id));
      const jobs = ((await queue.getFailed(0, opts.limit - 1)) as Job<IngestRetryData>[]).filter((j) => j.id && !known.has(j.id)).map(jobEntry);
      return [...letters, ...jobs].sort((a, b) => b.lastAt - a.lastAt).slice(0, opts.limit);
    };
    if (act === 'list') {
      const rows = await entries();
      if (opts.json) for (const r of rows) process.stdout.write(`${JSON.stringify(jsonRow(r))}\n`);
      else if (rows.length === 0) process.stdout.write('no dead letters\n');
      else {
        process.stdout.write(`${rows.length} dead letter(s), newest first:\n`);
        for (const r of rows) process.stdout.write(`${line(r)}\n`);
      }
      return 0;
    }
    if (act === 'show') return await show(store, queue, ids[0]!, opts.json === true);
    if (all) ids = (await entries()).map((e) => e.id);
    let done = 0;
    let unknown = 0;
    for (const id of ids) {
      const outcome = act === 'retry' ? await retry(store, queue, id) : await drop(store, queue, id);
      if (outcome.ok) {
        done++;
        process.stdout.write(`${id}: ${outcome.text}\n`);
      } else {
        unknown++;
        process.stderr.write(`wirefeed dlq: ${id}: ${outcome.text}\n`);
      }
    }
    process.stdout.write(`${act === 'retry' ? 'queued again' : 'dropped'}: ${done} dead letter(s)\n`);
    return unknown ? 1 : 0;
  } catch (err) {
    process.stderr.write(`wirefeed dlq: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await queue.close().catch(() => undefined);
    redis.disconnect();
  }
}

function usage(problem: string): number {
  process.stderr.write(`wirefeed dlq: ${problem}\nusage: wirefeed dlq [list | show ID | retry ID… | drop ID…] [--json] [--config DIR]\n`);
  return 2;
}

async function show(store: DeadLetterStore, queue: Queue, id: string, json: boolean): Promise<number> {
  let letter: (DeadLetter & { from: 'letter' | 'job' }) | null = null;
  const stored = await store.get(id);
  if (stored) letter = { ...stored, from: 'letter' };
  else {
    const job = (await queue.getJob(id)) as Job<IngestRetryData> | undefined;
    if (job && (await job.isFailed())) {
      const capped = capUtf8(job.data.body ?? '', store.limits.maxBytes);
      letter = { ...jobEntry(job), body: capped.text, truncated: capped.truncated };
    }
  }
  if (!letter) {
    process.stderr.write(`wirefeed dlq: no dead letter ${id}\n`);
    return 1;
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...jsonRow(letter), body: letter.body })}\n`);
    return 0;
  }
  const { body, ...fields } = letter;
  const row = jsonRow({ ...fields, from: letter.from });
  const names: [string, unknown][] = [
    ['id', row.id], ['kind', row.kind], ['source', row.source], ['job', row.jobId], ['item', row.itemIndex], ['file', row.file], ['settled as', row.path], ['url', row.url],
    ['content type', row.contentType], ['received', row.receivedAt], ['code', row.code || '-'], ['message', row.message], ['attempts', row.attempts],
    ['first failed', row.firstAt], ['last failed', row.lastAt], ['size', `${row.size} bytes`], ['kept from', row.from === 'job' ? 'the failed ingest job (no letter)' : 'the dead letter'],
  ];
  for (const [k, v] of names) if (v !== null && v !== '') process.stdout.write(`${`${k}:`.padEnd(14)}${String(v)}\n`);
  const shown = Buffer.byteLength(body);
  process.stdout.write(letter.truncated ? `\n--- the first ${shown} of ${letter.size} bytes (cut at ${store.limits.maxBytes}) ---\n` : `\n--- ${shown} bytes ---\n`);
  process.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
  return 0;
}

type Outcome = { ok: boolean; text: string };

async function retry(store: DeadLetterStore, queue: Queue, id: string): Promise<Outcome> {
  const letter = await store.get(id);
  const job = (await queue.getJob(id)) as Job<IngestRetryData> | undefined;
  if (job) {
    const state = await job.getState();
    if (state === 'failed') {
      try {
        // A dropped file was settled into failed/: the retry takes it from there (to done/ once ingested).
        const settled = letter ? settledFile(letter) : undefined;
        if (settled && job.data.file) await job.updateData({ ...job.data, file: settled });
        await job.retry('failed', { resetAttemptsMade: true });
        return { ok: true, text: 'queued again' };
      } catch {
        // Another retry moved it first: it is queued (or already done), once.
      }
    }
    const now = await job.getState();
    if (PENDING.has(now)) return { ok: true, text: `already queued (${now}), not queued twice` };
    if (now === 'completed') {
      if (letter) await store.drop(id);
      return { ok: true, text: 'already ingested' };
    }
  }
  if (!letter) return { ok: false, text: 'no dead letter of that id' };
  if (letter.truncated) {
    return { ok: false, text: `its bytes were cut at ${store.limits.maxBytes} (of ${letter.size}) and its failed job is gone: send the document again from its source` };
  }
  const data: IngestRetryData = { sourceId: letter.sourceId, body: letter.body, contentType: letter.contentType, url: letter.url, receivedAt: letter.receivedAt };
  if (letter.kind === 'item') {
    if (letter.contentType !== ITEM_LETTER_TYPE) return { ok: false, text: 'an item letter without its item' };
    data.deadItem = { index: letter.itemIndex ?? 0, jobId: letter.jobId };
  } else {
    data.file = settledFile(letter);
  }
  // Under the letter's id: a second retry, or one while this runs, finds the job and adds nothing.
  await enqueueIngest(queue, data, id);
  return { ok: true, text: 'queued again' };
}

/** Where a dropped file's document now is (`<dir>/failed/<name>`), as the job's claimed file. */
function settledFile(letter: DeadLetter): IngestRetryData['file'] {
  if (letter.kind !== 'document' || !letter.file || !letter.path) return undefined;
  return { dir: dirname(dirname(letter.path)), claimedPath: letter.path, name: letter.file };
}

async function drop(store: DeadLetterStore, queue: Queue, id: string): Promise<Outcome> {
  const had = await store.drop(id);
  const job = await queue.getJob(id);
  let removed = false;
  if (job && (await job.isFailed())) {
    await job.remove().catch(() => undefined);
    removed = true;
  }
  if (!had && !removed) return { ok: false, text: 'no dead letter of that id' };
  return { ok: true, text: 'dropped' };
}
