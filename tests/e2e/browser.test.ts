/**
 * What readers see, in a real browser: Debian's Chromium (headless, driven by playwright-core; no
 * browser is downloaded) opens the index page, an Arabic feed in RSS and Atom (turned into a page
 * by the feeds' XSLT stylesheet) and the seed's article page, served by the running service after
 * the Arabic seed and an English wire story were dropped in its folder. Full-page screenshots go to
 * test-output/screenshots/ (gitignored); their paths are printed.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { useTestRedis } from '../helpers/redis-server.ts';
import { ROOT, startTestService, waitFor, type TestService } from '../helpers/service.ts';
import { freePort } from '../helpers/free-port.ts';

const CHROMIUM = '/usr/bin/chromium';
const { skip: noRedis, redis } = useTestRedis();
const skip = noRedis || (existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install --no-install-recommends chromium): the browser test does not run`);
const SHOTS = join(ROOT, 'test-output/screenshots');

/* The functions given to page.evaluate run in the browser. The project's types are Node's, not the
   DOM's: the little of the DOM those functions use is declared here, for this file only. */
interface DomRect {
  left: number;
  right: number;
  width: number;
}
interface DomElement {
  href: string;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): DomElement | null;
  getBoundingClientRect(): DomRect;
  append(child: DomElement): void;
}
declare const document: {
  contentType: string;
  documentElement: DomElement;
  head: DomElement;
  body: DomElement;
  createElement(tag: string): DomElement;
  createRange(): { selectNodeContents(node: DomElement): void; getBoundingClientRect(): DomRect };
  addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string }) => void): void;
};
declare function getComputedStyle(element: DomElement): { direction: string };

interface JsonFeed {
  title: string;
  items: { id: string; url?: string; title: string; language?: string; content_html?: string }[];
}

/** Opens `url` in a fresh page, collecting console errors and page errors. */
async function open(browser: Browser, url: string, prepare?: (page: Page) => Promise<unknown>): Promise<{ page: Page; errors: string[]; status: number | undefined }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await prepare?.(page);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const res = await page.goto(url, { waitUntil: 'load', timeout: 10_000 });
  return { page, errors, status: res?.status() };
}

/** A GET's status, its body read: a response left unread holds its connection, and the service's stop waits for it. */
async function status(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  await res.arrayBuffer();
  return res.status;
}

async function shoot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

test('in Chromium: the index page, an Arabic feed as a page (RSS and Atom), the seed\'s article page', { skip, timeout: 45_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'wf-browser-'));
  const inbox = join(work, 'inbox');
  mkdirSync(inbox);
  const past = new Date(Date.now() - 60_000);
  for (const [fixture, name] of [
    ['seed-ar-kremlin.txt', 'seed.txt'],
    ['en-ap-senate.txt', 'senate.txt'],
  ] as const) {
    copyFileSync(join(ROOT, 'tests/fixtures/wire', fixture), join(inbox, name));
    utimesSync(join(inbox, name), past, past);
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Cleanup as hooks: they run when a step fails or the test times out, so nothing is left running.
  let svc: TestService | undefined;
  let browser: Browser | undefined;
  t.after(
    async () => {
      await browser?.close().catch(() => undefined);
      await svc?.service.stop();
    },
    { timeout: 20_000 },
  );
  svc = await startTestService(redis, `sources:\n  - id: wire\n    type: directory\n    path: ${inbox}\n    every: 500ms\n`, {
    roles: { http: true, queues: ['fetch', 'ingest', 'publish'], scheduler: true },
    env: { PORT: String(port), PUBLIC_URL: base, LOG_LEVEL: 'info' },
    dir: work,
  });
  const all = await waitFor(
    'the seed and the English story in all.json',
    async () => {
      const res = await fetch(`${base}/feeds/all.json`, { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) return void (await res.arrayBuffer());
      const feed = (await res.json()) as JsonFeed;
      return feed.items.some((i) => i.language === 'ar') && feed.items.some((i) => i.language === 'en') ? feed : undefined;
    },
    20_000,
  );
  const seed = all.items.find((i) => i.language === 'ar')!;
  // The home page is published after the topic feeds it lists the newest stories of.
  await waitFor(
    'the seed among the newest stories on the home page',
    async () => ((await (await fetch(`${base}/`, { signal: AbortSignal.timeout(5_000) })).text()).includes(`<li lang="ar" dir="rtl"><a href="${base}/articles/`) ? true : undefined),
    20_000,
  );
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });

  await t.test('the index page: every link resolves (the newest stories\' pages too); the Arabic section and stories are laid out right to left', async () => {
    const { page, errors } = await open(browser!, `${base}/`);
    const hrefs = await page.$$eval('a[href], link[rel=alternate]', (els) => els.map((e) => (e as unknown as DomElement).href));
    assert.ok(hrefs.length > 20, `the index links its feeds (${hrefs.length} links)`);
    for (const href of hrefs) assert.ok(href.startsWith(`${base}/`), `${href} is on the service's public URL`);
    // Every feed is published once at start; its language variants take a moment: wait for them.
    const unique = [...new Set(hrefs)];
    let broken: string[] = unique;
    await waitFor(
      'every link on the index page to answer 200',
      async () => {
        const statuses = await Promise.all(broken.map(async (h) => [h, await status(h)] as const));
        broken = statuses.filter(([, s]) => s !== 200).map(([h]) => h);
        return broken.length === 0 ? true : undefined;
      },
      10_000,
    ).catch(() => undefined);
    assert.deepEqual(broken, [], 'links on the index page that do not answer 200');
    assert.ok(hrefs.some((h) => h.startsWith(`${base}/articles/`)), 'the newest stories link to their pages');

    const story = page.locator('ol.newest li[lang=ar]').first();
    assert.equal(await story.evaluate((el: DomElement) => getComputedStyle(el).direction), 'rtl');
    assert.match(await story.locator('time').innerText(), /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC$/);

    const section = page.locator('section[lang=ar]');
    assert.equal(await section.count(), 1);
    assert.equal(await section.evaluate((el: DomElement) => getComputedStyle(el).direction), 'rtl');
    // The heading's text (not its block box, which spans the section) sits against the right edge.
    const box = await section.evaluate((el: DomElement) => {
      const h = el.querySelector('h2')!;
      const range = document.createRange();
      range.selectNodeContents(h);
      const text = range.getBoundingClientRect();
      const s = el.getBoundingClientRect();
      return { text: { left: text.left, right: text.right, width: text.width }, section: { left: s.left, right: s.right } };
    });
    assert.ok(box.text.width > 0, 'the Arabic heading has text');
    assert.ok(Math.abs(box.section.right - box.text.right) < 2, `heading text ends at the section's right edge: ${JSON.stringify(box)}`);
    assert.ok(box.text.left - box.section.left > (box.section.right - box.section.left) / 2, `heading text is right-aligned: ${JSON.stringify(box)}`);
    assert.deepEqual(errors, []);
    await shoot(page, 'index');
    await page.close();
  });

  for (const format of ['rss', 'atom'] as const) {
    await t.test(`the Arabic feed in ${format === 'rss' ? 'RSS' : 'Atom'} opened in the browser reads as a right-to-left page`, async () => {
      const url = `${base}/feeds/all.ar.${format}`;
      // Chromium shows application/rss+xml and application/atom+xml as plain text; the server
      // types a feed application/xml for a request that asks for HTML, as a browser's does.
      const reader = await fetch(url, { headers: { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8' }, signal: AbortSignal.timeout(5_000) });
      await reader.arrayBuffer();
      assert.equal(reader.headers.get('content-type'), `application/${format}+xml; charset=utf-8`, 'a feed reader gets the feed type');
      const { page, errors, status } = await open(browser!, url);
      assert.equal(status, 200);
      assert.equal(await page.evaluate(() => document.contentType), 'text/html', 'the stylesheet made an HTML page of the feed');
      await shoot(page, `feed-all-ar-${format}`);
      const h1 = page.locator('h1');
      assert.equal(await h1.count(), 1, `the stylesheet turned ${url} into a page with an h1`);
      const feedTitle = ((await (await fetch(`${base}/feeds/all.ar.json`, { signal: AbortSignal.timeout(5_000) })).json()) as { title: string }).title;
      assert.equal((await h1.textContent())?.trim(), feedTitle);
      assert.equal(await page.title(), feedTitle);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
      const about = (await page.locator('.about').textContent()) ?? '';
      assert.match(about, /للاشتراك/, 'the subscribe text, in Arabic');
      assert.ok(about.includes(url), `the subscribe text gives the feed's address: ${about}`);
      const headline = page.locator('article h2 a', { hasText: seed.title });
      assert.equal(await headline.count(), 1, `the seed's headline is a link: ${seed.title}`);
      assert.equal(await headline.getAttribute('href'), seed.url);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  await t.test('the seed\'s article page: Arabic, right to left, dateline, credit, JSON-LD; no script runs', async () => {
    assert.ok(seed.url, 'the seed has a URL');
    assert.match(seed.url!, new RegExp(`^${base}/articles/[0-9a-f]{8,64}$`), 'the seed links its own page');
    const { page, errors, status } = await open(browser!, seed.url!);
    assert.equal(status, 200);
    await shoot(page, 'article-seed');
    const html = page.locator('html');
    assert.equal(await html.getAttribute('lang'), 'ar');
    assert.equal(await html.getAttribute('dir'), 'rtl');
    assert.equal(((await page.locator('.dateline').first().textContent()) ?? '').trim(), 'أخبار الآن | موسكو – روسيا (وكالات)');
    assert.match((await page.locator('.credit').first().textContent()) ?? '', /REUTERS/);
    const ld = await page.$$eval('script[type="application/ld+json"]', (els) => els.map((e) => e.textContent ?? ''));
    assert.equal(ld.length, 1);
    const data = JSON.parse(ld[0]!) as { '@type'?: string; headline?: string; inLanguage?: string };
    assert.equal(data.headline, seed.title);
    assert.equal(await page.locator('script:not([type="application/ld+json"])').count(), 0, 'no executable script on the page');
    assert.deepEqual(errors, [], 'no console errors');
    // The server's Content-Security-Policy holds in the browser: a script put into the page does not run.
    const ran = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const s = document.createElement('script');
      s.textContent = 'document.documentElement.dataset.ran = "yes"';
      document.head.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return { ran: document.documentElement.dataset.ran ?? null, violations };
    });
    assert.deepEqual(ran, { ran: null, violations: ['script-src-elem'] });
    await page.close();
  });
});
