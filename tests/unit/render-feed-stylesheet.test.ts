/**
 * The feeds' XSLT stylesheet, run by libxslt (`xsltproc`, the engine Chromium applies it with)
 * over rendered feeds: a readable page with the title, how to subscribe, each story linked;
 * right-to-left for an Arabic feed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderAtom } from '../../src/render/atom.ts';
import { renderFeedStylesheet, withStylesheet } from '../../src/render/feed-stylesheet.ts';
import { renderRss } from '../../src/render/rss.ts';
import { ARABIC, ARABIC_FEED, ENGLISH, FRENCH_WIRE, HOSTILE, feedMeta } from '../fixtures/render/articles.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

const skip = spawnSync('xsltproc', ['--version']).error ? 'xsltproc is not installed (apt-get install xsltproc)' : false;
const dir = mkdtempSync(join(tmpdir(), 'wf-xsl-'));

async function transform(xml: string): Promise<string> {
  writeFileSync(join(dir, 'feed.xsl'), renderFeedStylesheet());
  writeFileSync(join(dir, 'feed.xml'), xml);
  const r = spawnSync('xsltproc', ['--nonet', join(dir, 'feed.xsl'), join(dir, 'feed.xml')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('the feed stylesheet', { skip }, () => {
  it('is well-formed XML', () => {
    assert.deepEqual(xmlProblems(renderFeedStylesheet()), []);
  });

  const cases = [
    { name: 'RSS', render: renderRss },
    { name: 'Atom', render: renderAtom },
  ];
  for (const { name, render } of cases) {
    it(`turns an English ${name} feed into a page: title, how to subscribe with the feed's address, every story linked`, async () => {
      const html = await transform(render(feedMeta(), [ENGLISH, FRENCH_WIRE]));
      // The `all` feed mixes languages: it declares none, and reads left to right.
      assert.match(html, /<html lang="" dir="ltr">/);
      assert.match(html, /<title>Wirefeed · all articles<\/title>/);
      assert.match(html, /To subscribe, copy its address into your feed reader: <code dir="ltr">https:\/\/feeds\.example\.org\/feeds\/all\.(rss|atom)<\/code>/);
      assert.equal((html.match(/<article/g) ?? []).length, 2);
      assert.ok(html.includes(ENGLISH.headline), 'the English headline');
    });

    it(`lays an Arabic ${name} feed out right to left, with the Arabic subscribe text`, async () => {
      const html = await transform(render(ARABIC_FEED, [ARABIC]));
      assert.match(html, /<html lang="ar" dir="rtl">/);
      assert.match(html, /للاشتراك، انسخ عنوانها في قارئ الخلاصات لديك/);
      assert.ok(html.includes(ARABIC.headline));
      assert.ok(!html.includes('&lt;div'), 'the summary is markup, not escaped tags shown as text');
    });

    it(`keeps hostile copy inert in a ${name} feed's page`, async () => {
      const html = await transform(render(feedMeta(), [HOSTILE]));
      assert.doesNotMatch(html, /<script|javascript:|onerror=/i);
    });
  }
});

describe('withStylesheet', () => {
  const cases: Array<[string, string]> = [
    ['<?xml version="1.0" encoding="utf-8"?>\n<rss/>', '<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet type="text/xsl" href="/feeds/feed.xsl"?>\n<rss/>'],
    ['<?xml version="1.0"?><feed/>', '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="/feeds/feed.xsl"?>\n<feed/>'],
    ['<rss/>', '<?xml-stylesheet type="text/xsl" href="/feeds/feed.xsl"?>\n<rss/>'],
  ];
  for (const [xml, expected] of cases) it(`names the stylesheet after the declaration: ${JSON.stringify(xml.slice(0, 24))}`, () => assert.equal(withStylesheet(xml), expected));

  it('keeps a rendered feed well-formed', () => {
    assert.deepEqual(xmlProblems(withStylesheet(renderRss(feedMeta(), [ENGLISH]))), []);
    assert.deepEqual(xmlProblems(withStylesheet(renderAtom(ARABIC_FEED, [ARABIC]))), []);
  });
});
