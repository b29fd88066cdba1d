/**
 * The error catalogue (src/model/wire-error.ts), checked as fastify checks its errors: every code
 * is thrown somewhere, documented in the README, and has an advice; messages come from one helper.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ERROR_CODES, WireError, errorText, isWireError } from '../../src/model/wire-error.ts';
import { ROOT } from '../helpers/service.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('wire-error.ts') ? [p] : [];
  });
}

const code = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'workers'))].map((p) => readFileSync(p, 'utf8')).join('\n');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const documented = new Set([...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));

for (const c of ERROR_CODES) {
  test(`${c}: thrown in src/ or workers/, documented in the README, with an advice`, () => {
    assert.match(code, new RegExp(`new WireError\\(\\s*'${c}'`), `no "new WireError('${c}'" anywhere: remove the code or throw it`);
    assert.ok(documented.has(c), `${c} is missing from the README's error table`);
    assert.ok(['retry', 'delay', 'give-up'].includes(new WireError(c, 'x').advice));
  });
}

test('the README documents no code the catalogue lacks', () => {
  assert.deepEqual([...documented].filter((c) => !(ERROR_CODES as string[]).includes(c)), []);
});

test('errorText: CODE: message for a WireError, the message of any other error', () => {
  const cases: Array<[unknown, string]> = [
    [new WireError('PARSE_ERROR', 'source wire: unclosed <item>'), 'PARSE_ERROR: source wire: unclosed <item>'],
    [new Error('connection lost'), 'connection lost'],
    ['plain string', 'plain string'],
    [42, '42'],
  ];
  for (const [err, text] of cases) assert.equal(errorText(err), text);
});

test('a WireError keeps its cause and delay, and is told apart from other errors', () => {
  const cause = new Error('ECONNRESET');
  const err = new WireError('HTTP_429', 'rate limited', { cause, delayMs: 120_000 });
  assert.equal(err.cause, cause);
  assert.equal(err.delayMs, 120_000);
  assert.equal(err.advice, 'delay');
  assert.ok(isWireError(err));
  assert.ok(!isWireError(new Error('x')));
});
