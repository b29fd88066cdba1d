/**
 * Directory sources: wire files dropped into a folder. A scan claims each settled file by renaming
 * it into `.processing/` (atomic, so two scanners never take the same file), and the ingest
 * outcome settles it into `done/` or `failed/` (with `<name>.error.txt` saying why).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
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

/**
 * Claims the files of `dir` that have not been modified for `settleMs` (a file still being
 * written is left for the next scan), at most `max` per scan, oldest first.
 */
export async function claimFiles(dir: string, opts: { nowMs: number; settleMs?: number; max?: number }): Promise<ClaimedFile[]> {
  await ensureLayout(dir);
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
  const claimed: ClaimedFile[] = [];
  for (const { name } of candidates.slice(0, opts.max ?? 100)) {
    const claimedPath = join(dir, PROCESSING, `${opts.nowMs}-${randomBytes(4).toString('hex')}-${name}`);
    try {
      await rename(join(dir, name), claimedPath);
      claimed.push({ dir, name, claimedPath });
    } catch {
      // Another scanner took it first, or the writer removed it: either way not ours.
    }
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
  if (error !== null) await writeFile(`${target}.error.txt`, `${error}\n`, 'utf8');
  return target;
}

/** Gives a claimed file back to the folder untouched, for the next scan. */
export async function releaseClaim(file: ClaimedFile, nowMs: number): Promise<void> {
  await rename(file.claimedPath, await freeName(file.dir, file.name, nowMs));
}

/**
 * Puts back files claimed more than `olderThanMs` ago whose job never settled them (the process
 * died mid-way), so the next scan takes them again. Ingest is idempotent, so a repeat is harmless.
 */
export async function recoverStaleClaims(dir: string, nowMs: number, olderThanMs: number): Promise<number> {
  const processing = join(dir, PROCESSING);
  const names = await readdir(processing).catch(() => [] as string[]);
  let recovered = 0;
  for (const claimed of names) {
    const m = /^(\d+)-[0-9a-f]{8}-(.+)$/.exec(claimed);
    if (!m || nowMs - Number(m[1]) < olderThanMs) continue;
    const target = await freeName(dir, basename(m[2]!), nowMs);
    await rename(join(processing, claimed), target).then(() => recovered++, () => undefined);
  }
  return recovered;
}
