/**
 * Feed entries rendered once (issue 10, point 8) on a real redis-server: the entry store keeps
 * an article's entries under their revision, and the running service's publish worker joins the
 * stored entries to each feed's head instead of rendering them again, until the article changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENTRY_CHUNK, ENTRY_TTL_S, EntryStore } from '../../src/store/entry-store.ts';
import { keys } from '../../src/store/keys.ts';
import { useTestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor, type TestService } from '../helpers/service.ts';

const { skip, redis } = useTestRedis();

describe('EntryStore', { skip }, () => {
  test('reads an entry only under the revision it was stored with; another revision replaces every slot', async () => {
    const prefix = redis.prefix();
    const store = new EntryStore(redis.client(), prefix);
    assert.deepEqual(await store.read([{ id: 'a1', rev: 'r1' }], ['rss:*', 'atom:*']), [[undefined, undefined]]);
    assert.equal(await store.write([{ id: 'a1', rev: 'r1', slot: 'rss:*', entry: '<item>1</item>' }, { id: 'a1', rev: 'r1', slot: 'atom:*', entry: '<entry>1</entry>' }]), 1);
    assert.deepEqual(await store.read([{ id: 'a1', rev: 'r1' }, { id: 'a2', rev: 'r1' }], ['rss:*', 'atom:*', 'json:*']), [
      ['<item>1</item>', '<entry>1</entry>', undefined],
      [undefined, undefined, undefined],
    ]);
    // The article changed: the old entries are not served, and the new revision drops them.
    assert.deepEqual(await store.read([{ id: 'a1', rev: 'r2' }], ['rss:*']), [[undefined]]);
    assert.equal(await store.write([{ id: 'a1', rev: 'r2', slot: 'rss:ar', entry: '<item>2</item>' }]), 1);
    const hash = await redis.client().hgetall(keys(prefix).entries('a1'));
    assert.deepEqual(hash, { rev: 'r2', 'rss:ar': '<item>2</item>' });
    const ttl = await redis.client().ttl(keys(prefix).entries('a1'));
    assert.ok(ttl > ENTRY_TTL_S - 60 && ttl <= ENTRY_TTL_S, `expires in a day (TTL ${ttl})`);
  });

  test(`writes more than ${ENTRY_CHUNK} entries in chunks`, async () => {
    const store = new EntryStore(redis.client(), redis.prefix());
    const writes = Array.from({ length: ENTRY_CHUNK * 2 + 7 }, (_, i) => ({ id: `a${i}`, rev: 'r', slot: 'json:*', entry: `{"id":${i}}` }));
    assert.equal(await store.write(writes), writes.length);
    const read = await store.read(writes.map((w) => ({ id: w.id, rev: 'r' })), ['json:*']);
    assert.deepEqual(read.map(([e]) => e), writes.map((w) => w.entry));
  });
});

const TOKEN = 'entries-token-0123456789abcdef';
const rss = (items: string) =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Desk</title><link>https://desk.example/</link><description>d</description>${items}</channel></rss>`;
const item = (n: number, body: string) =>
  `<item><title>Story ${n}</title><link>https://desk.example/${n}</link><guid>desk-${n}</guid><pubDate>Fri, 20 Nov 2026 10:0${n}:00 GMT</pubDate><description>${body}</description></item>`;

describe('publishing from stored entries, through the running service', { skip }, () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService(redis, ['sources:', '  - id: desk', '    type: push', '    tokenEnv: DESK_TOKEN', ''].join('\n'), {
      roles: { http: true, queues: ['ingest', 'publish'], scheduler: false },
      env: { DESK_TOKEN: TOKEN },
    });
  });
  after(async () => {
    await svc?.service.stop();
  });
  const push = async (body: string) => {
    const res = await fetch(`${svc.service.url}/ingest/desk`, { method: 'POST', body, headers: { 'content-type': 'application/rss+xml', authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 202);
  };
  const feed = async (path: string) => {
    const res = await fetch(`${svc.service.url}${path}`);
    return res.status === 200 ? res.text() : undefined;
  };

  test('an entry is rendered once for every mixed feed, kept, and rendered again only when its article changes', { timeout: 60_000 }, async () => {
    const client = redis.client();
    await push(rss(item(1, 'First version.')));
    await waitFor('story 1 in the source feed', async () => ((await feed('/feeds/source/desk.atom'))?.includes('First version.') ? true : undefined));
    await waitFor('story 1 in all', async () => ((await feed('/feeds/all.atom'))?.includes('First version.') ? true : undefined));
    const [id] = await client.zrange(keys(svc.prefix).index('all'), '0', '-1');
    assert.ok(id, 'story 1 is stored');
    const entryKey = keys(svc.prefix).entries(id);
    const stored = await client.hgetall(entryKey);
    // The source's feed and `all` (and any topic feed it is in) share the mixed slot of each format.
    assert.deepEqual(Object.keys(stored).sort(), ['atom:*', 'json:*', 'rev', 'rss:*']);

    // Mark the stored Atom entry: a publish that renders it again would lose the mark.
    const marked = stored['atom:*']!.replaceAll('First version.', 'Marked in the store.');
    assert.notEqual(marked, stored['atom:*']);
    await client.hset(entryKey, 'atom:*', marked);
    await push(rss(item(2, 'Another story.')));
    const withBoth = await waitFor('story 2 in the source feed', async () => {
      const doc = await feed('/feeds/source/desk.atom');
      return doc?.includes('Another story.') ? doc : undefined;
    });
    assert.ok(withBoth.includes('Marked in the store.'), 'the feed carries the stored entry of story 1');
    assert.ok(!withBoth.includes('First version.'));

    // A correction of story 1: a new revision, so its entry is rendered afresh.
    await push(rss(item(1, 'Corrected version.')));
    const corrected = await waitFor('the correction in the source feed', async () => {
      const doc = await feed('/feeds/source/desk.atom');
      return doc?.includes('Corrected version.') ? doc : undefined;
    });
    assert.ok(!corrected.includes('Marked in the store.'));
    assert.notEqual((await client.hget(entryKey, 'rev')), stored.rev);
  });
});
