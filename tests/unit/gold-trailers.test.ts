/**
 * Regression test on the hand-labelled trailer gold set (tests/fixtures/gold/trailers.tsv): the
 * credits and "read also" titles an editor would lift out of the last paragraphs of a story, and
 * sentences that only mention a photo or reading, which must stay.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTrailerGold, scoreTrailers } from '../../bench/normalize-gold.ts';

test('every case of the trailer gold set', () => {
  const cases = loadTrailerGold();
  assert.ok(cases.length >= 30);
  const { mismatches } = scoreTrailers(cases);
  assert.deepEqual(mismatches, []);
});
