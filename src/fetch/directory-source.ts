/**
 * Directory sources: wire files dropped into a folder. A scan claims each settled file by renaming
 * it into `.processing/<ownerId>/` (atomic, so two scanners never take the same file), and the
 * ingest outcome settles it into `done/` or `failed/` (with `<name>.error.txt` saying why).
 * Claims of an owner that died (see claim-owner.ts) go back to the folder unless an ingest job
 * for them is still pending: that job settles the file itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WireError } from '../model/wire-error.ts';

export const PROCESSING = '.processing';
export const DONE = 'done';
export const FAILED = 'failed';

export interface ClaimedFile {
  dir: string;
  /** Original file name. */
  name: string;
  /** Where the claimed file now is (inside `.processing/`). */
  claimedPath: string;
}

/** Names writers use while a file is still being written. */
function isIgnored(name: string): boolean {
  return name.startsWith('.') || /\.(tmp|part|partial|crdownload|swp)$/i.test(name) || name.endsWith('~') || name.endsWith('.error.txt');
}

export async function ensureLayout(dir: string): Promise<void> {
  await mkdir(join(dir, PROCESSING), { recursive: true });
  await mkdir(join(dir, DONE), { recursive: true });
  await mkdir(join(dir, FAILED), { recursive: true });
}

/** Claimed name inside an owner's folder: `<claim ms>-<8 hex>-<original name>`. */
const CLAIM_NAME = /^(\d+)-[0-9a-f]{8}-(.+)$/;

/**
 * The files of `dir` that have not been modified for `settleMs` (a file still being written is
 * left for the next scan), at most `max`, oldest first.
 */
export async function settledFiles(dir: string, opts: { nowMs: number; settleMs?: number; max?: number }): Promise<string[]> {
  const settleMs = opts.settleMs ?? 1000;
  const entries = await readdir(dir, { withFileTypes: true });
  const candidates: { name: string; mtime: number }[] = [];
  for (const e of entries) {
    if (!e.isFile() || isIgnored(e.name)) continue;
    const s = await stat(join(dir, e.name)).catch(() => null);
    if (!s || opts.nowMs - s.mtimeMs < settleMs) continue;
    candidates.push({ name: e.name, mtime: s.mtimeMs });
  }
  candidates.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));
  return candidates.slice(0, opts.max ?? 100).map((c) => c.name);
}

/**
 * Claims one file for `owner` by renaming it into `.processing/<owner>/`; null when another
 * scanner took it first or the writer removed it.
 */
export async function claimFile(dir: string, name: string, opts: { owner: string; nowMs: number }): Promise<ClaimedFile | null> {
  const ownerDir = join(dir, PROCESSING, opts.owner);
  const claimedPath = join(ownerDir, `${opts.nowMs}-${randomBytes(4).toString('hex')}-${name}`);
  // Twice: settling the owner's last claim may remove its (then empty) folder between the two steps.
  for (let attempt = 0; attempt < 2; attempt++) {
    await mkdir(ownerDir, { recursive: true });
    try {
      await rename(join(dir, name), claimedPath);
      return { dir, name, claimedPath };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return null;
    }
  }
  return null;
}

/** Removes the owner folder a claim was in once it is empty, so an idle `.processing/` is empty. */
async function tidy(file: ClaimedFile): Promise<void> {
  const folder = dirname(file.claimedPath);
  if (folder !== join(file.dir, PROCESSING)) await rmdir(folder).catch(() => undefined);
}

/** Claims every settled file of `dir` at once (see settledFiles; a scan claims one at a time). */
export async function claimFiles(dir: string, opts: { owner: string; nowMs: number; settleMs?: number; max?: number }): Promise<ClaimedFile[]> {
  await ensureLayout(dir);
  const claimed: ClaimedFile[] = [];
  for (const name of await settledFiles(dir, opts)) {
    const file = await claimFile(dir, name, opts);
    if (file) claimed.push(file);
  }
  return claimed;
}

/** Reads a claimed file, refusing one over `maxBytes` without reading it. */
export async function readClaimed(file: ClaimedFile, maxBytes: number): Promise<Buffer> {
  const s = await stat(file.claimedPath);
  if (s.size > maxBytes) {
    throw new WireError('BODY_TOO_LARGE', `file ${file.name} is ${s.size} bytes, over the cap of ${maxBytes}`);
  }
  return readFile(file.claimedPath);
}

async function freeName(dir: string, name: string, nowMs: number): Promise<string> {
  const target = join(dir, name);
  const taken = await stat(target).then(() => true, () => false);
  return taken ? join(dir, `${nowMs}-${name}`) : target;
}

/**
 * Moves a claimed file to `done/` or, with an error, to `failed/` with `<name>.error.txt` beside
 * it. A name already present gets a time prefix rather than overwriting. Returns the new path.
 */
export async function settleFile(file: ClaimedFile, error: string | null, nowMs: number): Promise<string> {
  const target = await freeName(join(file.dir, error === null ? DONE : FAILED), file.name, nowMs);
  await rename(file.claimedPath, target);
  await tidy(file);
  if (error !== null) await writeFile(`${target}.error.txt`, `${error}\n`, 'utf8');
  return target;
}

/** Gives a claimed file back to the folder untouched, for the next scan. */
export async function releaseClaim(file: ClaimedFile, nowMs: number): Promise<void> {
  await rename(file.claimedPath, await freeName(file.dir, file.name, nowMs));
  await tidy(file);
}

export interface RecoveryOptions {
  /** This process's owner id: its own claims are never touched. */
  owner: string;
  /** Whether the owner of `.processing/<ownerId>/` may still be working on its claims. */
  isAlive(ownerId: string): Promise<boolean>;
  /** Whether an ingest job for this claimed path is waiting, active or delayed (it will settle the file). */
  hasPendingJob(claimedPath: string): Promise<boolean>;
  nowMs: number;
  /** Claims made flat in `.processing/` (before owners): taken back once this old. Default 10 min. */
  legacyAfterMs?: number;
}

export interface RecoveryResult {
  /** Files put back into the folder. */
  returned: number;
  /** Files of dead owners left where they are because their ingest job is still pending. */
  pending: number;
  /** Dead owners that had claims (put back or pending). */
  owners: string[];
  /** Original names of the files put back. */
  names: string[];
}

/**
 * Puts back into the folder the claims of owners that died (kill -9, crash, lost host) and that
 * no pending ingest job will settle, so the next scan takes them again; removes a dead owner's
 * folder once it is empty. Ingest is idempotent by article id, so a file whose job had stored
 * its articles but not yet moved it is re-ingested without a duplicate.
 */
export async function recoverClaims(dir: string, opts: RecoveryOptions): Promise<RecoveryResult> {
  const processing = join(dir, PROCESSING);
  const result: RecoveryResult = { returned: 0, pending: 0, owners: [], names: [] };
  const entries = await readdir(processing, { withFileTypes: true }).catch(() => []);
  const putBack = async (claimedPath: string, name: string): Promise<boolean> => {
    if (await opts.hasPendingJob(claimedPath)) {
      result.pending++;
      return false;
    }
    const target = await freeName(dir, basename(name), opts.nowMs);
    // Another recoverer may have moved it first: then it is not ours to count.
    return rename(claimedPath, target).then(
      () => {
        result.returned++;
        result.names.push(basename(target));
        return true;
      },
      () => false,
    );
  };
  for (const e of entries) {
    if (e.isDirectory()) {
      if (e.name === opts.owner || (await opts.isAlive(e.name))) continue;
      const ownerDir = join(processing, e.name);
      let had = 0;
      for (const claimed of await readdir(ownerDir).catch(() => [] as string[])) {
        const m = CLAIM_NAME.exec(claimed);
        if (!m) continue;
        had++;
        await putBack(join(ownerDir, claimed), m[2]!);
      }
      if (had) result.owners.push(e.name);
      await rmdir(ownerDir).catch(() => undefined); // only once empty
    } else if (e.isFile()) {
      const m = CLAIM_NAME.exec(e.name);
      if (m && opts.nowMs - Number(m[1]) >= (opts.legacyAfterMs ?? 600_000)) await putBack(join(processing, e.name), m[2]!);
    }
  }
  return result;
}
