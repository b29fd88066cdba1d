import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestJobId, pollSchedulerId, publishJob } from '../../src/queue/registry.ts';

test('every change to a feed inside one window maps to the same publish job, delayed to its end', () => {
  const window = 2000;
  const t0 = 1_700_000_000_000; // a multiple of 2000: the start of a window
  const a = publishJob('economy', t0 + 1, window);
  const b = publishJob('economy', t0 + 1999, window);
  assert.equal(a.jobId, b.jobId);
  assert.equal(a.delay, 1999);
  assert.equal(b.delay, 1);
  const next = publishJob('economy', t0 + 2000, window);
  assert.notEqual(next.jobId, a.jobId);
  assert.equal(next.delay, 2000);
  assert.notEqual(publishJob('health', t0 + 1, window).jobId, a.jobId);
});

test('job ids never contain ":" (BullMQ refuses them) and are deterministic', () => {
  const id = publishJob('source:agency-inbox', 0, 1000).jobId;
  assert.equal(id, 'pub-source~agency-inbox-0');
  assert.equal(pollSchedulerId('demo-wire'), 'poll-demo-wire');
  assert.equal(ingestJobId('demo', 'same bytes'), ingestJobId('demo', 'same bytes'));
  assert.notEqual(ingestJobId('demo', 'same bytes'), ingestJobId('demo', 'other bytes'));
  assert.notEqual(ingestJobId('demo', 'same bytes'), ingestJobId('other', 'same bytes'));
  assert.ok(!ingestJobId('a:b', 'x').includes(':'));
});
