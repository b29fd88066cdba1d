import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { httpUrl, languageTag, viewArticle } from '../../src/render/article-view.ts';
import { feedUpdatedAt } from '../../src/render/feed-meta.ts';
import { cleanText } from '../../src/render/xml-text.ts';
import { ARABIC, ENGLISH, FRENCH_WIRE } from '../fixtures/render/articles.ts';

const FALLBACK = new Date('2021-06-01T00:00:00.000Z');

describe('viewArticle', () => {
  it('falls back from a bad date to the other one, then to the fallback', () => {
    const onlyUpdated = viewArticle({ ...ENGLISH, published: 'yesterday' }, FALLBACK);
    assert.equal(onlyUpdated.published.toISOString(), '2020-04-10T09:15:00.000Z');
    const neither = viewArticle({ ...ENGLISH, published: '', updated: '+275760-09-13T00:00:00.000Z' }, FALLBACK);
    assert.equal(neither.published.toISOString(), '2021-06-01T00:00:00.000Z');
    assert.equal(neither.updated.toISOString(), '2021-06-01T00:00:00.000Z');
  });

  it('never reports an update before the publication', () => {
    const view = viewArticle({ ...ENGLISH, published: '2020-04-10T10:00:00.000Z', updated: '2020-04-10T09:00:00.000Z' }, FALLBACK);
    assert.equal(view.updated.toISOString(), '2020-04-10T10:00:00.000Z');
  });

  it('keeps URL, URN and tag guids (URLs normalized) and replaces others with a UUID URN of the record id', () => {
    assert.equal(viewArticle({ ...ENGLISH, guid: 'HTTPS://Wire.Example.com/a' }, FALLBACK).id, 'https://wire.example.com/a');
    assert.equal(viewArticle(ENGLISH, FALLBACK).id, 'urn:newsml:wire.example.com:20200410:en-001');
    // uuid5(79f06d53-…, name), computed with Python's uuid module.
    assert.equal(viewArticle(FRENCH_WIRE, FALLBACK).id, 'urn:uuid:030939bd-539b-509f-bd80-9fd7ed66318f');
    assert.equal(viewArticle({ ...FRENCH_WIRE, guid: 'urn:with space' }, FALLBACK).id, 'urn:uuid:030939bd-539b-509f-bd80-9fd7ed66318f');
    assert.equal(viewArticle({ ...FRENCH_WIRE, guid: '' }, FALLBACK).id, 'urn:uuid:030939bd-539b-509f-bd80-9fd7ed66318f');
    // A scheme of the provider's own is not a global identifier.
    assert.equal(viewArticle({ ...FRENCH_WIRE, guid: 'AFP:998877' }, FALLBACK).id, 'urn:uuid:030939bd-539b-509f-bd80-9fd7ed66318f');
    assert.equal(viewArticle({ ...FRENCH_WIRE, guid: 'urn:uuid:not-a-uuid' }, FALLBACK).id, 'urn:uuid:030939bd-539b-509f-bd80-9fd7ed66318f');
    assert.equal(viewArticle({ ...FRENCH_WIRE, guid: 'URN:ISBN:0451450523' }, FALLBACK).id, 'urn:ISBN:0451450523');
    assert.equal(viewArticle({ ...FRENCH_WIRE, guid: 'tag:afp.com,2020:998877' }, FALLBACK).id, 'tag:afp.com,2020:998877');
    assert.equal(viewArticle({ ...FRENCH_WIRE, guid: 'https://wire.example.com/a b' }, FALLBACK).id, 'https://wire.example.com/a%20b');
  });

  it('marks the id as the story URL only when it is', () => {
    assert.equal(viewArticle(ARABIC, FALLBACK).idIsUrl, true);
    assert.equal(viewArticle(ENGLISH, FALLBACK).idIsUrl, false);
    assert.equal(viewArticle({ ...ARABIC, url: null }, FALLBACK).idIsUrl, false);
  });

  it('drops URLs a reader must not follow and images without one', () => {
    const view = viewArticle(
      { ...ENGLISH, url: 'javascript:alert(1)', images: [{ url: 'data:image/png;base64,AAAA', caption: null, credit: null }] },
      FALLBACK,
    );
    assert.equal(view.url, undefined);
    assert.equal(view.image, undefined);
  });

  it('collapses whitespace in plain-text fields and removes duplicate categories', () => {
    const view = viewArticle(
      { ...ENGLISH, headline: '  Oil\n prices\t rise ', authors: ['Jane Doe', ' Jane  Doe '], keywords: ['Economy', 'oil', ' economy '] },
      FALLBACK,
    );
    assert.equal(view.headline, 'Oil prices rise');
    assert.deepEqual(view.authors, ['Jane Doe']);
    // The source's own `Economy` is not the topic `economy`: they stay apart.
    assert.deepEqual(view.topics.map((topic) => topic.slug), ['economy']);
    assert.deepEqual(view.keywords, ['Economy', 'oil']);
    assert.equal(view.keywordScheme, 'urn:wirefeed:source:agency-en');
  });

  it('labels topics with their IPTC code and title in the feed language, else the story language', () => {
    const article = {
      ...ARABIC,
      topics: [
        ...ARABIC.topics,
        { slug: 'politics', code: '11000000', score: 0.5, origin: 'model' as const },
        { slug: 'local-news', code: '', score: 0.5, origin: 'rule' as const },
      ],
    };
    assert.deepEqual(viewArticle(article, FALLBACK).topics, [
      { slug: 'politics', label: 'سياسة', term: '11000000', scheme: 'http://cv.iptc.org/newscodes/mediatopic/', uri: 'http://cv.iptc.org/newscodes/mediatopic/11000000' },
      { slug: 'health', label: 'صحة', term: '07000000', scheme: 'http://cv.iptc.org/newscodes/mediatopic/', uri: 'http://cv.iptc.org/newscodes/mediatopic/07000000' },
      // Not an IPTC topic, not configured here: its slug, in Wirefeed's own scheme.
      { slug: 'local-news', label: 'local-news', term: 'local-news', scheme: 'urn:wirefeed:topic', uri: 'urn:wirefeed:topic:local-news' },
    ]);
    const french = viewArticle(article, FALLBACK, {
      feedLanguage: 'fr',
      topics: [{ slug: 'local-news', code: '', title: { en: 'Local news', fr: 'Actualité locale' } }],
    });
    assert.deepEqual(french.topics.map((topic) => topic.label), ['Politique', 'Santé', 'Actualité locale']);
  });

  it('links a story without a URL to its page on the service, and keeps its id', () => {
    const view = viewArticle(FRENCH_WIRE, FALLBACK, { publicUrl: 'https://feeds.example.org' });
    assert.equal(view.link, 'https://feeds.example.org/articles/wire-fr%3A12345');
    assert.equal(view.url, undefined);
    assert.equal(view.id, 'urn:uuid:030939bd-539b-509f-bd80-9fd7ed66318f');
    assert.equal(viewArticle(ENGLISH, FALLBACK, { publicUrl: 'https://feeds.example.org/' }).link, 'https://wire.example.com/markets/oil-prices');
  });

  it('puts the dateline at the head of the story as agencies print it', () => {
    const ap = { ...ENGLISH, dateline: { text: 'WASHINGTON (AP)', outlet: null, city: 'WASHINGTON', country: null, sources: ['AP'], agencies: [{ code: 'AP', raw: 'AP' }] } };
    const view = viewArticle(ap, FALLBACK);
    assert.equal(view.contentHtml, '<p><span class="dateline">WASHINGTON (AP)</span> — Brent crude rose 4% on Friday.</p>');
    assert.equal(view.contentText, 'WASHINGTON (AP) — Brent crude rose 4% on Friday.');
    // Its own dash is kept; a body opening with an image gets the dateline as its own paragraph.
    const paris = { ...ap, dateline: { ...ap.dateline, text: 'PARIS, 10 avril -' }, bodyHtml: '<p><img src="https://img.example.com/x.jpg"> Légende</p>' };
    assert.equal(viewArticle(paris, FALLBACK).contentHtml, '<p class="dateline">PARIS, 10 avril -</p><p><img src="https://img.example.com/x.jpg"> Légende</p>');
    // Not twice when the body still opens with it; not alone when there is no body.
    assert.equal(viewArticle({ ...ap, bodyHtml: '<p>WASHINGTON (AP) — Brent crude rose.</p>' }, FALLBACK).contentHtml, '<p>WASHINGTON (AP) — Brent crude rose.</p>');
    const afterFigure = '<figure><img src="https://img.example.com/x.jpg"><figcaption>Oil</figcaption></figure><p>WASHINGTON (AP) — Brent crude rose.</p>';
    assert.equal(viewArticle({ ...ap, bodyHtml: afterFigure }, FALLBACK).contentHtml, afterFigure);
    assert.equal(viewArticle({ ...ap, bodyHtml: '', bodyText: '' }, FALLBACK).contentHtml, '');
    // Markup in a dateline is text.
    const hostile = { ...ap, dateline: { ...ap.dateline, text: '<b>X</b> & (AP)' } };
    assert.equal(viewArticle(hostile, FALLBACK).contentHtml, '<p><span class="dateline">&lt;b&gt;X&lt;/b&gt; &amp; (AP)</span> — Brent crude rose 4% on Friday.</p>');
  });

  it('writes the Arabic dateline in the story’s direction and language', () => {
    assert.equal(
      viewArticle({ ...ARABIC, images: [] }, FALLBACK).contentHtml,
      '<div dir="rtl" lang="ar"><p><span class="dateline">أخبار الآن | موسكو – روسيا (وكالات)</span> — ' +
        'قال المتحدث باسم الكرملين إن السلطات لا تخطط لتمديد العزل.</p><p>وأضاف أن القرار يعود إلى رئيس البلدية.</p></div>',
    );
  });

  it('shows every image as a figure with caption and credit, the lead first, others after the body', () => {
    const article = {
      ...ENGLISH,
      images: [
        { url: 'https://img.example.com/a.jpg', caption: 'Senators <vote>', credit: 'AP Photo/J. Doe' },
        { url: 'https://img.example.com/a.jpg', caption: 'again', credit: null },
        { url: 'javascript:alert(1)', caption: 'never', credit: null },
        { url: 'https://img.example.com/b.png', caption: null, credit: 'REUTERS' },
      ],
    };
    assert.equal(
      viewArticle(article, FALLBACK).contentHtml,
      '<figure><img src="https://img.example.com/a.jpg" alt="Senators &lt;vote&gt;"><figcaption>Senators &lt;vote&gt; — AP Photo/J. Doe</figcaption></figure>' +
        '<p>Brent crude rose 4% on Friday.</p>' +
        '<figure><img src="https://img.example.com/b.png" alt=""><figcaption>REUTERS</figcaption></figure>' +
        // An image it cannot show keeps its caption as a credit line.
        '<p class="credit">Photo: never</p>',
    );
  });

  it('writes the credit of a photo the copy does not carry as the agencies print it, in its language', () => {
    const credits = (language: string, images: { url: string | null; caption: string | null; credit: string | null }[]) =>
      viewArticle({ ...ENGLISH, language, direction: 'ltr', dateline: null, images }, FALLBACK).contentHtml.replace('<p>Brent crude rose 4% on Friday.</p>', '');
    assert.equal(credits('en', [{ url: null, caption: null, credit: 'AP' }]), '<p class="credit">Photo: AP</p>');
    assert.equal(credits('fr', [{ url: null, caption: null, credit: 'AFP' }]), '<p class="credit">Crédit photo : AFP</p>');
    assert.equal(credits('ar', [{ url: null, caption: 'الكرملين', credit: 'REUTERS' }, { url: null, caption: 'الكرملين', credit: 'REUTERS' }]), '<p class="credit">مصدر الصورة: الكرملين — REUTERS</p>');
    assert.equal(credits('en', [{ url: null, caption: '<b>&</b>', credit: null }, { url: null, caption: ' ', credit: null }]), '<p class="credit">Photo: &lt;b&gt;&amp;&lt;/b&gt;</p>');
  });

  it('lists the read-also items as links, in the story’s language, escaped, only http(s)', () => {
    const related = [
      { title: 'Earlier: <oil> & gas', url: 'https://wire.example.com/earlier?a=1&b=2' },
      { title: 'Earlier: <oil> & gas', url: 'https://wire.example.com/earlier?a=1&b=2' },
      { title: 'Not a link', url: 'javascript:alert(1)' },
      { title: 'This story', url: 'https://wire.example.com/markets/oil-prices' },
      { title: '  ', url: 'https://wire.example.com/untitled' },
    ];
    assert.equal(
      viewArticle({ ...ENGLISH, related }, FALLBACK).contentHtml,
      '<p>Brent crude rose 4% on Friday.</p><p><strong>Read also</strong></p><ul class="related">' +
        '<li><a href="https://wire.example.com/earlier?a=1&amp;b=2">Earlier: &lt;oil&gt; &amp; gas</a></li><li>Not a link</li></ul>',
    );
    const arabic = viewArticle({ ...ARABIC, images: [], dateline: null, related: [{ title: 'الكرملين يرد', url: 'https://news.example.net/ar/reply' }] }, FALLBACK);
    assert.ok(arabic.contentHtml.endsWith('<p><strong>اقرأ أيضاً</strong></p><ul class="related"><li><a href="https://news.example.net/ar/reply">الكرملين يرد</a></li></ul></div>'));
  });

  it('credits copy without an author to its agencies, else its provider, outlet, host or source', () => {
    assert.deepEqual(viewArticle(ARABIC, FALLBACK).credits, ['وكالات']);
    assert.deepEqual(viewArticle({ ...ENGLISH, dateline: null, provider: 'Reuters' }, FALLBACK).credits, ['Reuters']);
    assert.deepEqual(viewArticle(ENGLISH, FALLBACK).credits, ['wire.example.com']);
    assert.deepEqual(viewArticle(FRENCH_WIRE, FALLBACK).credits, ['wire-fr']);
  });

  it('wraps right-to-left HTML with the article language, and only right-to-left HTML', () => {
    assert.equal(viewArticle({ ...ARABIC, images: [] }, FALLBACK).summaryHtml, '<div dir="rtl" lang="ar">قال المتحدث باسم الكرملين إن السلطات لا تخطط لتمديد العزل.</div>');
    assert.equal(viewArticle({ ...ARABIC, images: [], language: 'und' }, FALLBACK).contentHtml.slice(0, 17), '<div dir="rtl"><p');
    assert.equal(viewArticle(ENGLISH, FALLBACK).contentHtml, '<p>Brent crude rose 4% on Friday.</p>');
  });
});

describe('render helpers', () => {
  it('accepts well-formed language tags other than und', () => {
    assert.equal(languageTag('ar'), 'ar');
    assert.equal(languageTag('fr-CA'), 'fr-CA');
    assert.equal(languageTag('und'), undefined);
    assert.equal(languageTag('ar"><x'), undefined);
    assert.equal(languageTag(''), undefined);
  });

  it('normalizes http(s) URLs only', () => {
    assert.equal(httpUrl('https://مثال.example/مقال'), 'https://xn--mgbh0fb.example/%D9%85%D9%82%D8%A7%D9%84');
    assert.equal(httpUrl('ftp://example.com/x'), undefined);
    assert.equal(httpUrl('/relative'), undefined);
    assert.equal(httpUrl(null), undefined);
  });

  it('removes characters XML forbids or discourages and keeps the rest', () => {
    assert.equal(cleanText('a\u0000b\u0001c\u0008\u000B\u000C\u007F\u0085\u009F\uFFFE\uFFFF\uFDD0d'), 'abcd');
    assert.equal(cleanText('x\uD800y\uDC00z'), 'xyz');
    assert.equal(cleanText('\tسطر\r\n😀 é'), '\tسطر\r\n😀 é');
  });
});

describe('feedUpdatedAt', () => {
  it('is the latest update among the articles, whatever their order', () => {
    const corrected = { ...FRENCH_WIRE, updated: '2020-04-11T08:00:00.000Z' };
    assert.equal(feedUpdatedAt([ARABIC, ENGLISH, corrected], FALLBACK).toISOString(), '2020-04-11T08:00:00.000Z');
  });

  it('is the time of rendering for an empty feed', () => {
    assert.equal(feedUpdatedAt([], FALLBACK), FALLBACK);
  });
});
