/**
 * bench/conformance — the parsing path against the Universal Feed Parser's test documents
 * (../shared/corpora/feedparser): what tests/helpers/feedparser-conformance.ts measures, printed.
 * A figure; tests/unit/conformance.test.ts holds the run to its targets.
 *
 *   npm run conformance            pass rates per tier and folder, the date vectors, no-crash
 *   npm run conformance -- -v      and every failing check
 *
 * Exits 0 after printing, or 0 with a message when ../shared is absent.
 */
import { CORPUS, corpusSkip, runConformance, type Tally } from '../tests/helpers/feedparser-conformance.ts';

const verbose = process.argv.includes('-v');

function pct(pass: number, total: number): string {
  return total === 0 ? '   –  ' : `${((100 * pass) / total).toFixed(1).padStart(5)} %`;
}

function table(title: string, rows: Map<string, Tally>): void {
  console.log(`\n${title}`);
  console.log(`  ${'group'.padEnd(44)} ${'pass'.padStart(5)} ${'of'.padStart(5)}   rate    n/a  on purpose  rate without them`);
  for (const [name, t] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    const total = t.pass + t.fail;
    console.log(
      `  ${name.padEnd(44)} ${String(t.pass).padStart(5)} ${String(total).padStart(5)}  ${pct(t.pass, total)} ${String(t.na).padStart(5)}  ${String(t.purpose).padStart(10)}  ${pct(t.pass, total - t.purpose)}`,
    );
  }
}

async function main(): Promise<void> {
  if (corpusSkip) {
    console.log(`conformance: skipped, ${corpusSkip}`);
    return;
  }
  const r = await runConformance();
  console.log(`conformance: the parsing path over ${CORPUS}${r.source ? ` (${r.source})` : ''}`);
  table('cases.json by tier (a case passes when all its applicable checks do; n/a: no check on a field Wirefeed keeps)', r.byTier);
  table('cases.json by folder', r.byFolder);
  const { answered, failures: dateFailures, toReject, rejected } = r.dates;
  console.log(`\ndates.json: ${answered - dateFailures.length} of ${answered} vectors with a UTC answer parsed to it (${pct(answered - dateFailures.length, answered).trim()}); ${rejected} of ${toReject} without one rejected`);
  const n = r.noCrash;
  console.log(
    `no crash: ${n.files - n.crashes.length} of ${n.files} files of illformed/ and encoding/ gave a document (${n.documents}, ${n.repaired} of them repaired) or a WireError (${n.wireErrors}); ${n.crashes.length} crashed`,
  );
  const failures = r.failures.map((f) => `${f.tier} ${f.path}: ${f.problems}${f.onPurpose ? ` [on purpose: ${f.onPurpose}]` : ''}`);
  const all = [...failures, ...dateFailures, ...n.crashes];
  if (verbose) {
    for (const line of all) console.log(`  ✗ ${line}`);
  } else if (all.length > 0) {
    console.log(`\n(${all.length} failures; -v lists them)`);
  }
}

await main();
