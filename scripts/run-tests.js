#!/usr/bin/env node
// Runs every tests/**/*.test.ts with node's own test runner (Node 20 has no glob for --test).
// Usage: node scripts/run-tests.js [unit|integration|e2e|path…]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const roots = args.length ? args.map((a) => (a.includes('/') ? a : join('tests', a))) : ['tests'];
const files = roots.flatMap((r) => (r.endsWith('.ts') ? [r] : walk(r)));
if (files.length === 0) {
  console.error('no test files found under', roots.join(', '));
  process.exit(1);
}
// A test file that leaves a connection open after a failure would keep the run alive forever: the
// whole run has a deadline (TEST_DEADLINE_MIN, 30 by default; the suite takes about 8).
const deadlineMin = Number(process.env.TEST_DEADLINE_MIN ?? 30);
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit', timeout: deadlineMin * 60_000, killSignal: 'SIGKILL' },
);
if (res.error?.code === 'ETIMEDOUT' || res.signal === 'SIGKILL') {
  console.error(`run-tests: the tests did not finish within ${deadlineMin} minutes (a test file hung?); stopped`);
  process.exit(1);
}
process.exit(res.status ?? 1);
