import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { renderJsonFeed } from '../../src/render/json-feed.ts';
import { ARABIC, ARABIC_FEED, ENGLISH, FRENCH_WIRE, HOSTILE, feedMeta } from '../fixtures/render/articles.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Violations of the JSON Feed 1.1 spec's MUSTs and of the types it gives each field. */
function jsonFeed11Problems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, message: string) => ok || problems.push(message);
  need(doc.version === 'https://jsonfeed.org/version/1.1', 'version is the 1.1 URL');
  need(typeof doc.title === 'string', 'title is a string');
  need(Array.isArray(doc.items), 'items is an array');
  for (const key of ['home_page_url', 'feed_url'] as const) {
    if (key in doc) need(isAbsoluteUrl(doc[key]), `${key} is an absolute URL`);
  }
  if ('language' in doc) need(typeof doc.language === 'string', 'language is a string');
  if ('hubs' in doc) {
    need(Array.isArray(doc.hubs), 'hubs is an array');
    for (const hub of doc.hubs as Record<string, unknown>[]) {
      need(typeof hub.type === 'string' && isAbsoluteUrl(hub.url), 'hub has type and url');
    }
  }
  for (const [index, item] of ((doc.items as Record<string, unknown>[]) ?? []).entries()) {
    const at = `items[${index}]`;
    need(typeof item.id === 'string' && item.id !== '', `${at}.id is a non-empty string`);
    need(
      typeof item.content_html === 'string' || typeof item.content_text === 'string',
      `${at} has content_html or content_text`,
    );
    for (const key of ['url', 'image'] as const) {
      if (key in item) need(isAbsoluteUrl(item[key]), `${at}.${key} is an absolute URL`);
    }
    for (const key of ['date_published', 'date_modified'] as const) {
      if (key in item) need(typeof item[key] === 'string' && RFC3339.test(item[key] as string), `${at}.${key} is RFC 3339`);
    }
    for (const key of ['title', 'summary', 'content_html', 'content_text', 'language'] as const) {
      if (key in item) need(typeof item[key] === 'string', `${at}.${key} is a string`);
    }
    if ('authors' in item) {
      need(Array.isArray(item.authors), `${at}.authors is an array`);
      for (const author of item.authors as Record<string, unknown>[]) {
        need(['name', 'url', 'avatar'].some((k) => typeof author[k] === 'string'), `${at} author has name, url or avatar`);
      }
    }
    if ('tags' in item) {
      need(Array.isArray(item.tags) && (item.tags as unknown[]).every((t) => typeof t === 'string'), `${at}.tags are strings`);
    }
    // 1.0's singular author is deprecated in 1.1.
    need(!('author' in item), `${at} has no 1.0 author`);
  }
  return problems;
}

function render(...args: Parameters<typeof renderJsonFeed>): Record<string, any> {
  return JSON.parse(renderJsonFeed(...args));
}

describe('renderJsonFeed', () => {
  it('writes a JSON Feed 1.1 document that meets the spec', () => {
    const doc = render(feedMeta({ hubUrl: 'https://hub.example.org/' }), [ARABIC, ENGLISH, FRENCH_WIRE, HOSTILE]);
    assert.deepEqual(jsonFeed11Problems(doc), []);
    assert.equal(doc.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(doc.title, 'Wirefeed · all articles');
    assert.equal(doc.home_page_url, 'https://feeds.example.org/');
    assert.equal(doc.feed_url, 'https://feeds.example.org/feeds/all.json');
    assert.equal(doc.description, 'Every article from every source, newest first.');
    assert.deepEqual(doc.hubs, [{ type: 'WebSub', url: 'https://hub.example.org/' }]);
    // Mixed feed: the language is per item only.
    assert.equal('language' in doc, false);
    assert.deepEqual(
      doc.items.map((item: { language: string }) => item.language),
      ['ar', 'en', 'fr', 'en'],
    );
  });

  it('writes the Arabic story with its fields, right-to-left HTML and plain text', () => {
    const [item] = render(feedMeta(), [ARABIC]).items;
    assert.deepEqual(item, {
      id: 'https://news.example.net/ar/2020/04/10/kremlin',
      url: 'https://news.example.net/ar/2020/04/10/kremlin',
      title: 'الكرملين: “لا خطط” لتمديد العزل في موسكو',
      summary: 'قال المتحدث باسم الكرملين إن السلطات لا تخطط لتمديد العزل.',
      content_html:
        '<div dir="rtl" lang="ar">' +
        '<figure><img src="https://img.example.net/2020/04/kremlin.jpg" alt="مبنى الكرملين">' +
        '<figcaption>مبنى الكرملين — رويترز</figcaption></figure>' +
        '<p><span class="dateline">أخبار الآن | موسكو – روسيا (وكالات)</span> — ' +
        'قال المتحدث باسم الكرملين إن السلطات لا تخطط لتمديد العزل.</p><p>وأضاف أن القرار يعود إلى رئيس البلدية.</p>' +
        // The image without a URL, as a credit line.
        '<p class="credit">مصدر الصورة: بلا رابط</p>' +
        '</div>',
      content_text:
        'أخبار الآن | موسكو – روسيا (وكالات) — قال المتحدث باسم الكرملين إن السلطات لا تخطط لتمديد العزل.\n\nوأضاف أن القرار يعود إلى رئيس البلدية.',
      image: 'https://img.example.net/2020/04/kremlin.jpg',
      date_published: '2020-04-10T12:00:00.000Z',
      date_modified: '2020-04-10T12:30:00.000Z',
      authors: [{ name: 'سارة أحمد' }],
      // Topic titles in the story's language (a mixed feed), then the source's own categories.
      tags: ['سياسة', 'صحة', 'موسكو'],
      language: 'ar',
    });
  });

  it('writes Arabic as characters, not \\u escapes', () => {
    const json = renderJsonFeed(ARABIC_FEED, [ARABIC]);
    assert.ok(json.includes('"title": "الكرملين: “لا خطط” لتمديد العزل في موسكو"'));
    assert.ok(!/\\u0[6-7]/.test(json));
    assert.equal(JSON.parse(json).language, 'ar');
  });

  it('gives a wire item without a URL its article page as url, and a globally unique id', () => {
    const [item] = render(feedMeta(), [FRENCH_WIRE]).items;
    assert.equal(item.url, 'https://feeds.example.org/articles/wire-fr%3A12345');
    // uuid5(79f06d53-…, "wire-fr:12345"), computed with Python's uuid module.
    assert.equal(item.id, 'urn:uuid:030939bd-539b-509f-bd80-9fd7ed66318f');
    assert.equal('authors' in item, false);
    assert.equal('image' in item, false);
  });

  it('keeps hostile text exact, minus control characters', () => {
    const doc = render(feedMeta(), [HOSTILE]);
    assert.deepEqual(jsonFeed11Problems(doc), []);
    const [item] = doc.items;
    assert.equal(item.title, '<script>alert("x")</script> AT&T ]]> Q&amp;A done');
    assert.equal(item.summary, 'Profits & losses: 1 < 2 ]]> end');
    assert.equal(item.content_html, '<p>first ]]> second ]]> third</p><p>Fish &amp; chips</p>');
    assert.equal(item.url, 'https://wire.example.com/a?b=1&c=2');
    assert.deepEqual(item.authors, [{ name: 'Smith & Wesson <press>' }]);
  });

  it('writes every author, and tags as labels in the feed language', () => {
    const [item] = render(feedMeta({ language: 'fr' }), [{ ...ENGLISH, keywords: ['Markets', 'markets'] }]).items;
    assert.deepEqual(item.authors, [{ name: 'Jane Doe' }, { name: 'John Roe' }]);
    assert.deepEqual(item.tags, ['Economie et finances', 'Markets']);
  });

  it('always gives an item content_text, even without a body', () => {
    const [item] = render(feedMeta(), [{ ...ENGLISH, bodyHtml: '', bodyText: '' }]).items;
    assert.equal('content_html' in item, false);
    assert.equal(item.content_text, 'Brent crude rose 4% after producers agreed to cut output.');
  });

  it('writes a valid empty feed', () => {
    const doc = render(feedMeta(), []);
    assert.deepEqual(jsonFeed11Problems(doc), []);
    assert.deepEqual(doc.items, []);
  });
});
