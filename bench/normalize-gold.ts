/**
 * The trailer gold set (tests/fixtures/gold/trailers.tsv) and how a run is scored against it;
 * shared by the regression test and bench/normalize.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { extractTrailers } from '../src/normalize/trailers.ts';

export interface TrailerCase {
  name: string;
  paragraphs: string[];
  credits: string[];
  related: string[];
}

const GOLD = resolve(import.meta.dirname, '../tests/fixtures/gold/trailers.tsv');

export function loadTrailerGold(): TrailerCase[] {
  const split = (s: string | undefined, sep: string) => (s ? s.split(sep).map((x) => x.trim()).filter(Boolean) : []);
  return readFileSync(GOLD, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((line) => {
      const [name, paragraphs, credits, related] = line.split('\t');
      return { name: name!, paragraphs: split(paragraphs, '¶'), credits: split(credits, ';'), related: split(related, ';') };
    });
}

/** Runs extractTrailers on every case; a case is right when credits and related titles both match. */
export function scoreTrailers(cases: TrailerCase[]): { correct: number; total: number; mismatches: string[] } {
  const mismatches: string[] = [];
  for (const c of cases) {
    const r = extractTrailers(c.paragraphs.map((text) => ({ text })));
    const credits = r.images.map((i) => i.credit ?? '');
    const related = r.related.map((x) => x.title);
    if (JSON.stringify(credits) !== JSON.stringify(c.credits) || JSON.stringify(related) !== JSON.stringify(c.related)) {
      mismatches.push(`${c.name}: credits ${JSON.stringify(credits)} related ${JSON.stringify(related)}`);
    }
  }
  return { correct: cases.length - mismatches.length, total: cases.length, mismatches };
}
