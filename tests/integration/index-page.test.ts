/**
 * The home page through the running service on a real redis-server: rendered at start without
 * stories, then published like a feed whenever a topic feed changes, listing each topic's newest
 * stories with their time and a link to their page that opens.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { useTestRedis } from '../helpers/redis-server.ts';
import { startTestService, waitFor, type TestService } from '../helpers/service.ts';

const { skip, redis } = useTestRedis();
const TOKEN = 'index-token-0123456789abcdef';
const STORY = [
  '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Desk</title><link>https://desk.example/</link><description>d</description>',
  '<item><title>Oil prices jump as OPEC+ agrees deeper output cuts</title><guid>desk-oil-1</guid><pubDate>Fri, 20 Nov 2026 10:05:00 GMT</pubDate>',
  '<description>Brent crude futures rose 4% after OPEC+ producers agreed to cut oil output again, lifting energy stocks and the markets.</description></item>',
  '</channel></rss>',
].join('');

describe('the home page through the running service', { skip }, () => {
  let svc: TestService;
  let base: string;
  before(async () => {
    svc = await startTestService(redis, ['sources:', '  - id: desk', '    type: push', '    tokenEnv: DESK_TOKEN', ''].join('\n'), {
      roles: { http: true, queues: ['ingest', 'publish'], scheduler: false },
      env: { DESK_TOKEN: TOKEN },
    });
    base = svc.service.url!;
  });
  after(async () => {
    await svc?.service.stop();
  });

  test('lists a topic\'s newest story with its time once the topic feed is published, and its link opens', { timeout: 60_000 }, async () => {
    const first = await fetch(`${base}/`);
    assert.equal(first.status, 200);
    assert.doesNotMatch(await first.text(), /<ol class="newest">/, 'no stories before any publish');

    const res = await fetch(`${base}/ingest/desk`, { method: 'POST', body: STORY, headers: { 'content-type': 'application/rss+xml', authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 202);
    const html = await waitFor('the story on the home page', async () => {
      const page = await (await fetch(`${base}/`)).text();
      return page.includes('Oil prices jump') ? page : undefined;
    });
    const row = html.slice(html.indexOf('/feeds/economy.ar.atom"'), html.indexOf('</ol>', html.indexOf('/feeds/economy.ar.atom"')));
    const item = /<li lang="en" dir="ltr"><a href="([^"]+)">Oil prices jump as OPEC\+ agrees deeper output cuts<\/a> <time datetime="2026-11-20T10:05:00.000Z" dir="ltr">20 Nov 2026, 10:05 UTC<\/time><\/li>/.exec(row);
    assert.ok(item, `the story under economy, with its time: ${row}`);
    const link = new URL(item[1]!);
    assert.equal(link.origin, new URL(svc.config.settings.publicUrl).origin);
    const page = await fetch(`${base}${link.pathname}`);
    assert.equal(page.status, 200, `${link.pathname} opens`);
    assert.match(await page.text(), /Oil prices jump/);

    // Served like a feed: compressed at publish, revalidated with its ETag.
    const gz = await fetch(`${base}/`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gz.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.ok((await gz.text()).includes('Oil prices jump'), 'fetch undoes the gzip');
    const again = await fetch(`${base}/`, { headers: { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });
});
