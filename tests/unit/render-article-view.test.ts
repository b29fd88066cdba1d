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
      { ...ENGLISH, headline: '  Oil\n prices\t rise ', authors: ['Jane Doe', ' Jane  Doe '], keywords: ['Economy', 'oil'] },
      FALLBACK,
    );
    assert.equal(view.headline, 'Oil prices rise');
    assert.deepEqual(view.authors, ['Jane Doe']);
    assert.deepEqual(view.categories, ['economy', 'oil']);
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
