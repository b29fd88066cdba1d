import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scoreDatelines } from '../../bench/normalize-accuracy.ts';

// tests/fixtures/gold/datelines.tsv: real author/dateline fields of the ANT corpus (AlArabiya)
// plus the seed and the inline wire forms in Arabic, English and French, hand-labelled with
// city / agency codes / outlet. Lines with a `reason` are out of reach; all others must match.
describe('gold: datelines (datelines.tsv)', () => {
  const results = scoreDatelines();

  it('has at least 60 real lines', () => {
    assert.ok(results.length >= 60, `${results.length} lines`);
  });

  it('reads every line in reach exactly (city ¦ agency codes ¦ outlet)', () => {
    const misses = results.filter((r) => r.outOfReach === null && !r.ok);
    assert.deepEqual(
      misses.map((r) => `line ${r.line}: ${r.input} expected ${r.expected} got ${r.got}`),
      [],
    );
  });
});
