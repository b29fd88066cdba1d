/** The fetching policy as pure functions: next poll after a success or a failure, health, the source's own asks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BACKOFF_CAP_MS,
  MAX_INTERVAL_MS,
  UNHEALTHY_AFTER,
  bodyHints,
  expiresIn,
  failureKind,
  jitter,
  maxAgeOf,
  nextAfterFailure,
  nextAfterSuccess,
  publishingInterval,
} from '../../src/fetch/poll-schedule.ts';
import { WireError, type ErrorCode } from '../../src/model/wire-error.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** A fixed epoch: nothing depends on today's date. */
const T0 = Date.UTC(2030, 0, 1);
const MID = 0.5; // the jitter's middle: exactly the nominal delay

test('jitter stays within ±10 %', () => {
  assert.equal(jitter(1000, 0), 900);
  assert.equal(jitter(1000, MID), 1000);
  assert.equal(jitter(1000, 0.999999), 1100);
});

test('failure kinds: 429 and a 503 with Retry-After wait; 5xx and timeouts are transient; 4xx, HTML, a bomb need the operator', () => {
  const cases: [ErrorCode, number | undefined, string][] = [
    ['HTTP_429', undefined, 'wait'],
    ['HTTP_429', 120_000, 'wait'],
    ['HTTP_5XX', 30_000, 'wait'],
    ['HTTP_5XX', undefined, 'transient'],
    ['FETCH_TIMEOUT', undefined, 'transient'],
    ['FETCH_NETWORK', undefined, 'transient'],
    ['HTTP_4XX', undefined, 'permanent'],
    ['NOT_A_FEED', undefined, 'permanent'],
    ['BODY_TOO_LARGE', undefined, 'permanent'],
  ];
  for (const [code, delayMs, kind] of cases) assert.equal(failureKind(new WireError(code, 'x', { delayMs })), kind, `${code} ${delayMs}`);
});

test('a wait takes exactly what Retry-After asked and leaves the health alone', () => {
  const err = new WireError('HTTP_429', 'slow down', { delayMs: 120_000 });
  assert.deepEqual(nextAfterFailure({ err, failures: 0, everyMs: MIN, endMs: T0, health: 'healthy', rand: 0 }), { at: T0 + 120_000, reason: 'retry-after', health: 'healthy' });
  assert.equal(nextAfterFailure({ err: new WireError('HTTP_429', 'no header'), failures: 0, everyMs: MIN, endMs: T0, health: 'failing', rand: 0 }).at, T0 + 10 * MIN);
});

test('transient failures back off exponentially from the floor with jitter, capped, and never give up', () => {
  const err = new WireError('HTTP_5XX', 'HTTP 500');
  const delay = (failures: number, rand = MID) => nextAfterFailure({ err, failures, everyMs: 5 * MIN, endMs: T0, health: 'healthy', rand }).at - T0;
  assert.deepEqual([1, 2, 3, 4].map((n) => delay(n)), [5 * MIN, 10 * MIN, 20 * MIN, 40 * MIN]);
  assert.equal(delay(3, 0), 18 * MIN);
  assert.equal(delay(3, 0.999999), 22 * MIN);
  assert.equal(delay(50), BACKOFF_CAP_MS);
  assert.equal(delay(10_000), BACKOFF_CAP_MS, 'still a finite next poll after any number of failures');
});

test('health: failing after a transient failure, unhealthy after several or at once on a 4xx / not a feed', () => {
  const t = new WireError('FETCH_TIMEOUT', 't');
  const at = (err: WireError, failures: number, health: 'healthy' | 'failing' | 'unhealthy') => nextAfterFailure({ err, failures, everyMs: MIN, endMs: T0, health, rand: MID });
  assert.equal(at(t, 1, 'healthy').health, 'failing');
  assert.equal(at(t, UNHEALTHY_AFTER - 1, 'failing').health, 'failing');
  assert.equal(at(t, UNHEALTHY_AFTER, 'failing').health, 'unhealthy');
  for (const code of ['HTTP_4XX', 'NOT_A_FEED'] as const) {
    const s = at(new WireError(code, 'x'), 1, 'healthy');
    assert.deepEqual(s, { at: T0 + BACKOFF_CAP_MS, reason: 'unhealthy', health: 'unhealthy' }, `${code}: slowed to the cap`);
  }
  assert.equal(at(t, 1, 'unhealthy').health, 'unhealthy', 'a timeout does not make an unhealthy source merely failing');
});

test('publishing interval: the mean gap of the last week\'s item dates; unknown with fewer than two', () => {
  const times = [T0 - 3 * HOUR, T0 - 2 * HOUR, T0 - HOUR, T0];
  assert.equal(publishingInterval(times, T0), HOUR);
  assert.equal(publishingInterval([...times, T0 - 30 * 24 * HOUR], T0), HOUR, 'items older than a week do not count');
  assert.equal(publishingInterval([T0 - 2 * 24 * HOUR, T0 - 1 * 24 * HOUR, T0 - 1 * 24 * HOUR], T0), 24 * HOUR, 'one date twice counts once');
  assert.equal(publishingInterval([T0 - HOUR], T0), undefined, 'a feed keeping only its latest item');
  assert.equal(publishingInterval([T0 - 30 * 24 * HOUR, T0 - 31 * 24 * HOUR], T0), undefined, 'nothing this week');
  assert.equal(publishingInterval([], T0), undefined);
  assert.equal(publishingInterval([T0 - HOUR, T0 + 5 * HOUR], T0), HOUR, 'a date in the future counts as now');
});

test('next poll after a success: floor, publishing rate, the source\'s longest ask, 24 h at most', () => {
  const cases: [string, Parameters<typeof nextAfterSuccess>[0], number, string][] = [
    ['no rate, no ask', { everyMs: 5 * MIN, endMs: T0, hints: {}, rand: MID }, 5 * MIN, 'floor'],
    ['publishing faster than the floor', { everyMs: 5 * MIN, endMs: T0, rateMs: MIN, hints: {}, rand: MID }, 5 * MIN, 'floor'],
    ['publishing hourly', { everyMs: 5 * MIN, endMs: T0, rateMs: HOUR, hints: {}, rand: MID }, HOUR, 'publishing-rate'],
    ['publishing hourly, jitter low', { everyMs: 5 * MIN, endMs: T0, rateMs: HOUR, hints: {}, rand: 0 }, 54 * MIN, 'publishing-rate'],
    ['a rate of a week is 24 h', { everyMs: 5 * MIN, endMs: T0, rateMs: 7 * 24 * HOUR, hints: {}, rand: MID }, MAX_INTERVAL_MS, 'publishing-rate'],
    ['ttl above the rate', { everyMs: 5 * MIN, endMs: T0, rateMs: 10 * MIN, hints: { ttlMs: 60 * MIN }, rand: MID }, 60 * MIN, 'ttl'],
    ['max-age above ttl', { everyMs: 5 * MIN, endMs: T0, hints: { ttlMs: 10 * MIN, maxAgeMs: 20 * MIN }, rand: MID }, 20 * MIN, 'max-age'],
    ['sy:update hourly', { everyMs: 5 * MIN, endMs: T0, hints: { syndicationMs: HOUR }, rand: MID }, HOUR, 'syndication'],
    ['Expires', { everyMs: 5 * MIN, endMs: T0, hints: { expiresMs: 30 * MIN }, rand: MID }, 30 * MIN, 'expires'],
    ['an ask below the floor', { everyMs: 5 * MIN, endMs: T0, hints: { maxAgeMs: MIN }, rand: MID }, 5 * MIN, 'floor'],
    ['an ask above a day is a day', { everyMs: 5 * MIN, endMs: T0, hints: { ttlMs: 72 * HOUR }, rand: MID }, MAX_INTERVAL_MS, 'ttl'],
    ['jitter never brings a poll before an ask', { everyMs: 5 * MIN, endMs: T0, rateMs: HOUR, hints: { maxAgeMs: HOUR }, rand: 0 }, HOUR, 'max-age'],
  ];
  for (const [name, opts, delay, reason] of cases) assert.deepEqual(nextAfterSuccess(opts), { at: T0 + delay, reason }, name);
});

test('caching headers as asks: max-age, s-maxage, Expires against the response Date', () => {
  assert.equal(maxAgeOf('public, max-age=600'), 600_000);
  assert.equal(maxAgeOf('max-age=60, s-maxage=300'), 300_000);
  assert.equal(maxAgeOf('no-cache'), undefined);
  assert.equal(maxAgeOf(null), undefined);
  assert.equal(expiresIn('Tue, 01 Jan 2030 01:00:00 GMT', 'Tue, 01 Jan 2030 00:30:00 GMT', 0), 30 * MIN);
  assert.equal(expiresIn('Tue, 01 Jan 2030 01:00:00 GMT', null, T0), HOUR);
  assert.equal(expiresIn('0', null, T0), undefined);
  assert.equal(expiresIn('Tue, 01 Jan 2030 00:00:00 GMT', null, T0 + 1), undefined);
});

test('body hints: RSS ttl, sy:updatePeriod/Frequency, one date per item (not the channel\'s), Atom, JSON Feed', () => {
  const rss = `<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><ttl>30</ttl>
    <sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>
    <pubDate>Mon, 31 Dec 2029 00:00:00 GMT</pubDate><lastBuildDate>Mon, 31 Dec 2029 00:00:00 GMT</lastBuildDate>
    <item><title>a</title><pubDate>Tue, 01 Jan 2030 10:00:00 GMT</pubDate></item>
    <item><title>b</title><pubDate>Tue, 01 Jan 2030 08:00:00 +0000</pubDate><dc:date>2030-01-01T07:00:00Z</dc:date></item></channel></rss>`;
  assert.deepEqual(bodyHints(rss), { ttlMs: 30 * MIN, syndicationMs: 30 * MIN, itemTimes: [Date.UTC(2030, 0, 1, 10), Date.UTC(2030, 0, 1, 8)] });
  const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><updated>2030-01-02T00:00:00Z</updated>
    <entry><published>2030-01-01T12:00:00Z</published><updated>2030-01-01T13:00:00Z</updated></entry>
    <entry><updated><![CDATA[2030-01-01T06:00:00Z]]></updated></entry></feed>`;
  assert.deepEqual(bodyHints(atom).itemTimes, [Date.UTC(2030, 0, 1, 12), Date.UTC(2030, 0, 1, 6)]);
  const json = '{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","date_published":"2030-01-01T05:00:00Z"}]}';
  assert.deepEqual(bodyHints(json).itemTimes, [Date.UTC(2030, 0, 1, 5)]);
  assert.deepEqual(bodyHints('<sy:updatePeriod>daily</sy:updatePeriod>'), { syndicationMs: 24 * HOUR, itemTimes: [] });
});
