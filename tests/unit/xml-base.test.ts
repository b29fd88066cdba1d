import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFeedXml } from '../../src/formats/rss-atom.ts';
import { baseInScope, resolveMarkup, resolveUrl } from '../../src/formats/xml-base.ts';

describe('xml:base: the base in scope', () => {
  const table: [string, (string | undefined)[], string | undefined][] = [
    ['no base anywhere', [undefined, undefined], undefined],
    ['the root base', ['https://a.example/x/', undefined], 'https://a.example/x/'],
    ['an inner relative base resolves against the outer one', ['https://a.example/x/', 'y/', '../z/'], 'https://a.example/x/z/'],
    ['an inner absolute base overrides', ['https://a.example/x/', 'https://b.example/'], 'https://b.example/'],
    ['a relative base with nothing absolute above resolves nothing', ['y/', undefined], undefined],
    ['…until an absolute one comes', ['y/', 'https://c.example/d/', 'e/'], 'https://c.example/d/e/'],
  ];
  for (const [name, bases, expected] of table) it(name, () => assert.equal(baseInScope(...bases), expected));
});

describe('xml:base: resolving URLs', () => {
  const table: [string, string, string | undefined, string][] = [
    ['relative path', 'b.html', 'https://a.example/x/', 'https://a.example/x/b.html'],
    ['root-relative', '/b', 'https://a.example/x/', 'https://a.example/b'],
    ['fragment', '#top', 'https://a.example/x/p', 'https://a.example/x/p#top'],
    ['absolute stays as written (not re-serialised)', 'HTTP://A.example', 'https://a.example/x/', 'HTTP://A.example'],
    ['no base: unchanged', 'b.html', undefined, 'b.html'],
    ['non-ASCII stays as written (an IRI)', 'À/é.html', 'http://any.test/', 'http://any.test/À/é.html'],
    ['escapes written in the URL stay escapes', '%C3%80.html', 'http://any.test/', 'http://any.test/%C3%80.html'],
  ];
  for (const [name, url, base, expected] of table) it(name, () => assert.equal(resolveUrl(url, base), expected));
});

describe('xml:base: resolving markup', () => {
  it('resolves href and src, honours xml:base inside xhtml, leaves absolute URLs', () => {
    assert.equal(
      resolveMarkup('<p><a href="a.html">a</a><img src="i.png"><span xml:base="/s/"><a href="b">b</a></span><a href="mailto:x@y.example">m</a></p>', 'https://h.example/d/'),
      '<p><a href="https://h.example/d/a.html">a</a><img src="https://h.example/d/i.png"><span xml:base="/s/"><a href="https://h.example/s/b">b</a></span><a href="mailto:x@y.example">m</a></p>',
    );
  });

  it('returns the same string, not re-serialised, when nothing changes or there is no base', () => {
    const html = '<p>a<br/>b &amp; <a href="https://x.example/">x</a></p>';
    assert.equal(resolveMarkup(html, 'https://h.example/'), html);
    assert.equal(resolveMarkup('<a href="rel.html">r</a><br/>', undefined), '<a href="rel.html">r</a><br/>');
  });
});

describe('xml:base: hostile markup', () => {
  it('20,000 nested elements: returned as written within 5 s, no stack overflow (dom-serializer recursed and threw)', () => {
    const deep = '<b>'.repeat(20_000) + '<a href="x.html">x</a>' + '</b>'.repeat(20_000);
    const started = Date.now();
    assert.equal(resolveMarkup(deep, 'https://a.example/'), deep);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('a feed with xml:base and deeply nested escaped HTML is still read', async () => {
    const deep = '<b>'.repeat(20_000) + '<a href="x.html">x</a>' + '</b>'.repeat(20_000);
    const escaped = deep.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const doc = await parseFeedXml(`<rss version="2.0" xml:base="https://a.example/"><channel><item><title>t</title><description>${escaped}</description></item></channel></rss>`, 'rss');
    assert.equal(doc.items[0]?.summary, deep);
  });
});
