import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { htmlToText, looksLikeHtml, sanitizeArticleHtml } from '../../src/normalize/sanitize-html.ts';

const BASE = 'https://news.example.com/world/story.html';

describe('sanitizeArticleHtml', () => {
  it('removes scripts and styles with their content', () => {
    assert.equal(sanitizeArticleHtml('<p>Hello<script>alert(1)</script></p><style>p{}</style>'), '<p>Hello</p>');
  });

  it('removes event handlers', () => {
    const out = sanitizeArticleHtml('<p onclick="steal()">Text <img src="/a.jpg" onerror="alert(1)" alt="A"></p>', BASE);
    assert.equal(out, '<p>Text <img src="https://news.example.com/a.jpg" alt="A" /></p>');
  });

  it('drops javascript: links but keeps their text', () => {
    for (const href of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java&#x09;script:alert(1)', 'vbscript:x']) {
      assert.equal(sanitizeArticleHtml(`<p><a href="${href}">click</a></p>`, BASE), '<p>click</p>', href);
    }
  });

  it('drops data: images and images without src', () => {
    assert.equal(sanitizeArticleHtml('<p>a<img src="data:image/png;base64,AAAA" alt="x">b<img alt="y">c</p>'), '<p>abc</p>');
  });

  it('removes iframes, forms and embeds with their content', () => {
    const out = sanitizeArticleHtml(
      '<p>Before</p><iframe src="https://evil.example/">fallback</iframe><form><button>Share</button></form><object>obj</object><p>After</p>',
    );
    assert.equal(out, '<p>Before</p><p>After</p>');
  });

  it('makes relative links absolute and keeps web and mailto links', () => {
    const out = sanitizeArticleHtml(
      '<p><a href="../sport/x.html">a</a> <a href="//cdn.example.com/y">b</a> <a href="mailto:desk@example.com">c</a> <a href="#note">d</a></p>',
      BASE,
    );
    assert.equal(
      out,
      '<p><a href="https://news.example.com/sport/x.html">a</a> <a href="https://cdn.example.com/y">b</a> <a href="mailto:desk@example.com">c</a> <a href="#note">d</a></p>',
    );
  });

  it('keeps structure, turns h1 into h2, keeps a valid dir and drops classes and styles', () => {
    const out = sanitizeArticleHtml(
      '<h1 class="x">Title</h1><p dir="RTL" style="color:red">نص</p><p dir="evil">x</p><blockquote><p>q</p></blockquote><ul><li>i</li></ul>',
    );
    assert.equal(out, '<h2>Title</h2><p dir="rtl">نص</p><p>x</p><blockquote><p>q</p></blockquote><ul><li>i</li></ul>');
  });

  it('keeps Arabic text as UTF-8', () => {
    assert.equal(sanitizeArticleHtml('<p>أعلن الكرملين &amp; “أوبك+”</p>'), '<p>أعلن الكرملين &amp; “أوبك+”</p>');
  });
});

describe('htmlToText', () => {
  it('keeps paragraph breaks as blank lines and <br> as line breaks', () => {
    assert.equal(
      htmlToText('<p>One &amp; two</p>\n  <p>Three<br>four</p><ul><li>a</li><li>b</li></ul><h2>Head</h2>'),
      'One & two\n\nThree\nfour\n\na\nb\n\nHead',
    );
  });

  it('collapses whitespace and drops script content', () => {
    assert.equal(htmlToText('<div>  lots   of\n\n space <script>var x = 1;</script></div>'), 'lots of space');
  });

  it('handles text without any element', () => {
    assert.equal(htmlToText('AT&amp;T profits &lt;rise&gt;'), 'AT&T profits <rise>');
  });
});

describe('looksLikeHtml', () => {
  it('tells HTML from plain text', () => {
    assert.equal(looksLikeHtml('<p>x</p>'), true);
    assert.equal(looksLikeHtml('a<br/>b'), true);
    assert.equal(looksLikeHtml('Oil &amp; gas'), true);
    assert.equal(looksLikeHtml('5 < 6 and 7 > 3'), false);
    assert.equal(looksLikeHtml('AT&T and R&D'), false);
    assert.equal(looksLikeHtml('نص عربي عادي'), false);
  });
});

it('markup nested 100,000 deep is sanitized in linear time, its text kept (htmlparser2 alone is quadratic in depth: seconds)', () => {
  for (const [html, text] of [
    ['<b>'.repeat(100_000) + 'deep text' + '</b>'.repeat(100_000), 'deep text'],
    ['<div>'.repeat(100_000) + 'unclosed', 'unclosed'],
    ['<p>para</p>'.repeat(20_000) + '<i>'.repeat(50_000) + 'end', 'end'],
  ] as const) {
    const started = performance.now();
    const out = sanitizeArticleHtml(html);
    assert.ok(performance.now() - started < 2_000, `sanitized in ${(performance.now() - started).toFixed(0)} ms, not seconds`);
    assert.ok(out.includes(text));
    assert.ok((out.match(/<(b|div|i)>/g) ?? []).length <= 64, 'no deeper than sanitize-html keeps');
  }
  // Paragraphs and void elements add no depth: a long sloppy article keeps its markup.
  const sloppy = '<p>one<br>two<img src="https://img.example/a.jpg">'.repeat(2_000);
  assert.equal((sanitizeArticleHtml(sloppy).match(/<img /g) ?? []).length, 2_000);
});
