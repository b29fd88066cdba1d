/**
 * The conformance run (tests/helpers/feedparser-conformance.ts, printed by `npm run conformance`)
 * held to the targets — no crash, every answered date vector, 95 % of tier A-core — and
 * to "every difference is deliberate": a new A-core failure without a stated reason fails here.
 * Skipped with a message when ../shared is absent.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { corpusSkip, runConformance, type Conformance } from '../helpers/feedparser-conformance.ts';

describe('conformance over the feedparser corpus', { skip: corpusSkip }, () => {
  let run: Conformance;
  before(async () => {
    run = await runConformance();
  });

  it('no file of illformed/ or encoding/ crashes the parsing path: a document or a WireError each', () => {
    assert.ok(run.noCrash.files > 90, `the no-crash files are there (${run.noCrash.files})`);
    assert.deepEqual(run.noCrash.crashes, []);
  });

  it('every date vector with a UTC answer is parsed to that instant', () => {
    assert.ok(run.dates.answered > 40, `the vectors are there (${run.dates.answered})`);
    assert.deepEqual(run.dates.failures, []);
  });

  it('tier A-core: at least 95 % of the cases pass', () => {
    const core = run.byTier.get('A-core')!;
    const rate = core.pass / (core.pass + core.fail);
    assert.ok(rate >= 0.95, `A-core ${core.pass} of ${core.pass + core.fail} (${(100 * rate).toFixed(1)} %)`);
  });

  it('tier A-core: every failing case differs from feedparser on purpose, with its reason', () => {
    const core = run.byTier.get('A-core');
    assert.ok(core && core.pass > 600, `A-core cases ran (${core?.pass} passed)`);
    const unexplained = run.failures.filter((f) => f.tier === 'A-core' && !f.onPurpose).map((f) => `${f.path}: ${f.problems}`);
    assert.deepEqual(unexplained, []);
  });
});
