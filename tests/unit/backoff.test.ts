import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffUntil } from '../../src/fetch/backoff.ts';
import { WireError } from '../../src/model/wire-error.ts';

const MIN = 60_000;

test('transient failures back off exponentially from the poll interval, capped at 6 hours', () => {
  const err = new WireError('HTTP_5XX', 'origin answered 500');
  assert.equal(backoffUntil(err, 1, 5 * MIN, 0), 5 * MIN);
  assert.equal(backoffUntil(err, 2, 5 * MIN, 0), 10 * MIN);
  assert.equal(backoffUntil(err, 3, 5 * MIN, 0), 20 * MIN);
  assert.equal(backoffUntil(err, 20, 5 * MIN, 0), 6 * 60 * MIN);
});

test('failures that need an operator (404, HTML) back off harder, capped at a day', () => {
  const err = new WireError('NOT_A_FEED', 'looks like an HTML page');
  assert.equal(backoffUntil(err, 1, 5 * MIN, 1000), 1000 + 10 * MIN);
  assert.equal(backoffUntil(err, 30, 5 * MIN, 0), 24 * 60 * MIN);
});

test('429 waits exactly what Retry-After asked, or 10 minutes', () => {
  assert.equal(backoffUntil(new WireError('HTTP_429', 'slow down', { delayMs: 120_000 }), 1, MIN, 5), 120_005);
  assert.equal(backoffUntil(new WireError('HTTP_429', 'slow down'), 4, MIN, 0), 10 * MIN);
});
