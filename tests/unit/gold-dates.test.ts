import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { scoreDates } from '../../bench/normalize-accuracy.ts';

// tests/fixtures/gold/dates-ar.tsv: real phrases from the ANT corpus, hand-labelled against their
// document's date. Lines with a `reason` are out of reach of a phrase-level reader (the year
// stands outside the mined phrase, a political alliance named after a date, a misprint); every
// other line must match exactly.
describe('gold: Arabic date phrases (dates-ar.tsv)', () => {
  const results = scoreDates();

  it('covers every style of the mined candidates with at least 120 lines', () => {
    assert.ok(results.length >= 120, `${results.length} lines`);
    const tsv = readFileSync(new URL('../fixtures/gold/dates-ar.tsv', import.meta.url), 'utf8');
    const styles = new Set(tsv.split('\n').slice(1).filter((l) => l !== '').map((l) => l.split('\t')[0]));
    for (const style of [
      'double_slash_lev_first', 'double_slash_greg_first', 'double_paren', 'levantine_only', 'egyptian_gulf_only',
      'maghreb_dz_tn', 'maghreb_ma', 'month_year_only', 'weekday_relative', 'arabic_indic_date', 'numeric_date',
    ]) {
      assert.ok(styles.has(style), style);
    }
  });

  it('resolves every line in reach exactly', () => {
    const misses = results.filter((r) => r.outOfReach === null && !r.ok);
    assert.deepEqual(
      misses.map((r) => `line ${r.line}: ${r.input} expected ${r.expected} got ${r.got}`),
      [],
    );
  });

  it('gives each out-of-reach line a reason and keeps it few', () => {
    const out = results.filter((r) => r.outOfReach !== null);
    assert.ok(out.every((r) => r.outOfReach!.startsWith('out of reach:')));
    assert.ok(out.length <= results.length * 0.1, `${out.length} of ${results.length} out of reach`);
  });
});
