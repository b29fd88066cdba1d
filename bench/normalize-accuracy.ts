/**
 * bench/normalize-accuracy — how the date and dateline readers of src/normalize score on the
 * hand-labelled gold sets in tests/fixtures/gold (see its INDEX.md).
 *
 *   node --import tsx bench/normalize-accuracy.ts      (prints the figures and every mismatch)
 *
 * `accuracy()` is what the lead's bench/normalize prints; tests/unit/gold-*.test.ts assert on the
 * per-line results. A figure, not a test: nothing here asserts.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseAnyDateline } from '../src/normalize/dateline.ts';
import { resolveDatePhrase } from '../src/normalize/dates.ts';

const GOLD = new URL('../tests/fixtures/gold/', import.meta.url);

/** One scored gold line. */
export interface GoldResult {
  /** 1-based line of the TSV, header included (what an editor shows). */
  line: number;
  input: string;
  expected: string;
  got: string;
  ok: boolean;
  /** Why the line is out of reach (from the TSV's `reason` column), or `null`. */
  outOfReach: string | null;
}

/** Correct lines over all lines; `outOfReach` lines count in `total` too. */
export interface Score {
  correct: number;
  total: number;
  outOfReach: number;
}

function readTsv(name: string): Array<{ line: number; cells: Record<string, string> }> {
  const [header, ...rows] = readFileSync(new URL(name, GOLD), 'utf8').split('\n');
  const columns = (header ?? '').split('\t');
  return rows
    .map((row, i) => ({ row, line: i + 2 }))
    .filter(({ row }) => row.trim() !== '')
    .map(({ row, line }) => {
      const values = row.split('\t');
      return { line, cells: Object.fromEntries(columns.map((c, k) => [c, values[k] ?? ''])) };
    });
}

/** `dates-ar.tsv`: each phrase resolved against its document's date (`-` when not a date). */
export function scoreDates(): GoldResult[] {
  return readTsv('dates-ar.tsv').map(({ line, cells }) => {
    const reference = new Date(`${cells.reference}T00:00:00Z`);
    const r = resolveDatePhrase(cells.phrase ?? '', reference);
    const iso = r?.date.toISOString() ?? null;
    const got = r === null || iso === null ? '-' : r.precision === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
    const expected = cells.expected ?? '';
    return { line, input: `${cells.phrase} @${cells.reference}`, expected, got, ok: got === expected, outOfReach: cells.reason || null };
  });
}

/** `datelines.tsv`: city / agency codes / outlet, compared as `city ¦ codes ¦ outlet`. */
export function scoreDatelines(): GoldResult[] {
  return readTsv('datelines.tsv').map(({ line, cells }) => {
    const d = parseAnyDateline(cells.text ?? '')?.dateline ?? null;
    const codes = d === null || d.agencies.length === 0 ? '-' : d.agencies.map((a) => a.code).join('|');
    const got = `${d?.city ?? '-'} ¦ ${codes} ¦ ${d?.outlet ?? '-'}`;
    const expected = `${cells.city} ¦ ${cells.agencies} ¦ ${cells.outlet}`;
    return { line, input: cells.text ?? '', expected, got, ok: got === expected, outOfReach: cells.reason || null };
  });
}

function score(results: GoldResult[]): Score {
  return {
    correct: results.filter((r) => r.ok).length,
    total: results.length,
    outOfReach: results.filter((r) => r.outOfReach !== null).length,
  };
}

/** Accuracy of the date and dateline readers on the gold sets. */
export function accuracy(): { dates: Score; datelines: Score } {
  return { dates: score(scoreDates()), datelines: score(scoreDatelines()) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { dates, datelines } = accuracy();
  const pct = (s: Score): string => `${s.correct}/${s.total} (${((100 * s.correct) / s.total).toFixed(1)}%, ${s.outOfReach} marked out of reach)`;
  console.log(`dates      ${pct(dates)}`);
  console.log(`datelines  ${pct(datelines)}`);
  for (const [name, results] of [['dates-ar.tsv', scoreDates()], ['datelines.tsv', scoreDatelines()]] as const) {
    for (const r of results.filter((x) => !x.ok)) {
      console.log(`${name}:${r.line}  ${r.input}  expected ${r.expected}  got ${r.got}${r.outOfReach ? '  [out of reach]' : ''}`);
    }
  }
}
