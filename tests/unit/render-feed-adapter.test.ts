/**
 * The defects of the `feed` library (v6) that src/render/feed-adapter.ts works around. Each test
 * shows the library's own output going wrong on the input, then ours on the same input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Feed } from 'feed';
import type { FeedOptions, Item } from 'feed';
import Parser from 'rss-parser';

import { renderAtom } from '../../src/render/atom.ts';
import { renderWithFeed } from '../../src/render/feed-adapter.ts';
import { renderJsonFeed } from '../../src/render/json-feed.ts';
import { renderRss } from '../../src/render/rss.ts';
import { ENGLISH, FRENCH_WIRE, HOSTILE, feedMeta } from '../fixtures/render/articles.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

const OPTIONS: FeedOptions = {
  id: 'https://feeds.example.org/feeds/all.atom',
  title: 'All',
  description: 'Every article',
  link: 'https://feeds.example.org/',
  updated: new Date('2020-04-10T12:30:00.000Z'),
  feedLinks: { rss: 'https://feeds.example.org/feeds/all.rss', atom: 'https://feeds.example.org/feeds/all.atom' },
};

function libraryItem(overrides: Partial<Item> = {}): Item {
  return {
    title: 'Oil prices rise',
    id: 'https://wire.example.com/markets/oil-prices',
    link: 'https://wire.example.com/markets/oil-prices',
    date: new Date('2020-04-10T09:15:00.000Z'),
    ...overrides,
  };
}

function library(items: Item[], options: Partial<FeedOptions> = {}): Feed {
  const feed = new Feed({ ...OPTIONS, ...options });
  for (const item of items) feed.addItem(item);
  return feed;
}

function entryOf(atom: string, index = 0): string {
  const entries = atom.split('<entry').slice(1);
  assert.ok(entries[index], `entry ${index} exists`);
  return '<entry' + entries[index]!.split('</entry>')[0];
}

const parser = new Parser();

describe('feed library defects and their workarounds', () => {
  it('passes XML-forbidden control characters through; we drop them', async () => {
    const raw = library([libraryItem({ title: 'AT&T\u0001 done' })]).rss2();
    assert.ok(raw.includes('\u0001'));
    assert.deepEqual(xmlProblems(raw), ['character U+0001 is not allowed in XML (offset ' + raw.indexOf('\u0001') + ')']);

    const ours = renderRss(feedMeta(), [HOSTILE]);
    assert.deepEqual(xmlProblems(ours), []);
    const parsed = await parser.parseString(ours);
    assert.equal(parsed.items[0]!.title, '<script>alert("x")</script> AT&T ]]> Q&amp;A done');
  });

  it('escapes only the first `]]>` of a CDATA section; we split the section at every one', async () => {
    const body = '<p>first ]]> second ]]> third</p>';
    const raw = library([libraryItem({ content: body })]).rss2();
    assert.ok(xmlProblems(raw).includes('`]]>` in character data'));

    const ours = renderRss(feedMeta(), [{ ...ENGLISH, bodyHtml: body }]);
    assert.deepEqual(xmlProblems(ours), []);
    const parsed = await parser.parseString(ours);
    assert.equal(parsed.items[0]!['content:encoded'], body);
  });

  it('turns the text `&amp;` into `&` in text nodes; we keep the text as it is', async () => {
    const raw = library([], { title: 'Q&amp;A desk' }).rss2();
    assert.equal((await parser.parseString(raw)).title, 'Q&A desk');

    const ours = renderRss(feedMeta({ title: 'Q&amp;A desk' }), []);
    assert.equal((await parser.parseString(ours)).title, 'Q&amp;A desk');
  });

  it('leaves `<` unescaped in attribute values; we escape it', () => {
    const raw = library([libraryItem({ category: [{ term: 'a<b' }] })]).atom1();
    assert.deepEqual(xmlProblems(raw), ['`<` in attribute term of <category term="a<b"/>']);

    const ours = renderAtom(feedMeta(), [{ ...ENGLISH, keywords: ['a<b'] }]);
    assert.deepEqual(xmlProblems(ours), []);
    assert.ok(entryOf(ours).includes('<category scheme="urn:wirefeed:source:agency-en" term="a&lt;b"/>'));
  });

  it('throws on an Atom id that is not a URL, losing the whole feed; we mint a UUID URN', () => {
    assert.throws(() => library([libraryItem({ id: '12345' })]).atom1(), { code: 'ERR_INVALID_URL' });

    const ours = renderAtom(feedMeta(), [ENGLISH, FRENCH_WIRE]);
    assert.deepEqual(xmlProblems(ours), []);
    assert.match(entryOf(ours, 1), /<id>urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/id>/);
  });

  it('writes an empty <link/> for an Atom entry without a link; we write none', () => {
    const raw = library([libraryItem({ id: 'urn:x:1', link: undefined as unknown as string })]).atom1();
    assert.ok(entryOf(raw).includes('<link/>'));

    // renderAtom links every entry (to its article page at least), so the adapter is called bare.
    const ours = entryOf(
      renderWithFeed({
        format: 'atom',
        characterReferences: 'named',
        options: OPTIONS,
        items: [{ title: 'Oil prices rise', id: 'urn:x:1', date: new Date('2020-04-10T09:15:00.000Z') }],
      }),
    );
    assert.ok(!ours.includes('<link'), ours);
  });

  it('ignores the language in Atom; we write xml:lang on the feed and on entries that differ', () => {
    const raw = library([libraryItem()], { language: 'ar' }).atom1();
    assert.ok(!raw.includes('xml:lang'));

    const ours = renderAtom(feedMeta({ language: 'ar' }), [ENGLISH]);
    assert.ok(ours.includes('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">'));
    assert.ok(entryOf(ours).startsWith('<entry xml:lang="en">'));
  });

  it('declares plain-text Atom titles as HTML; we declare them as text', () => {
    const raw = library([libraryItem({ title: '<script>alert(1)</script> AT&T' })]).atom1();
    assert.ok(entryOf(raw).includes('<title type="html"><![CDATA[<script>alert(1)</script> AT&T]]></title>'));

    const ours = entryOf(renderAtom(feedMeta(), [HOSTILE]));
    assert.ok(ours.includes('<title type="text"><![CDATA[<script>alert("x")</script> AT&T ]]]]><![CDATA[> Q&amp;A done]]></title>'));
  });

  it('guesses image types from the file extension; we write registered types or none', () => {
    const raw = library([
      libraryItem({ image: 'https://img.example.net/kremlin.jpg' }),
      libraryItem({ image: 'https://img.example.net/photo.php?id=7' }),
    ]).atom1();
    assert.ok(entryOf(raw, 0).includes('type="image/jpg"'));
    assert.ok(entryOf(raw, 1).includes('type="image/php"'));

    const image = (url: string) => ({ ...ENGLISH, images: [{ url, caption: null, credit: null }] });
    const ours = renderAtom(feedMeta(), [image('https://img.example.net/kremlin.jpg'), image('https://img.example.net/photo.php?id=7')]);
    assert.ok(entryOf(ours, 0).includes('<link rel="enclosure" href="https://img.example.net/kremlin.jpg" type="image/jpeg"/>'));
    assert.ok(entryOf(ours, 1).includes('<link rel="enclosure" href="https://img.example.net/photo.php?id=7"/>'));
  });

  it('never marks an RSS guid as a permalink; we do when the guid is the story URL', async () => {
    const url = 'https://news.example.net/ar/2020/04/10/kremlin';
    const raw = library([libraryItem({ id: url, guid: url, link: url })]).rss2();
    assert.ok(raw.includes(`<guid isPermaLink="false">${url}</guid>`));

    const ours = renderRss(feedMeta(), [{ ...ENGLISH, url, guid: url }]);
    assert.ok(ours.includes(`<guid isPermaLink="true">${url}</guid>`));
  });

  it('writes author names into RSS <author>, which must be an e-mail address; we use dc:creator', () => {
    const raw = library([libraryItem({ author: [{ name: 'Jane Doe' }] })]).rss2();
    assert.ok(raw.includes('<author>Jane Doe</author>'));

    const ours = renderRss(feedMeta(), [ENGLISH]);
    assert.ok(!ours.includes('<author>'));
    assert.ok(ours.includes('<dc:creator>Jane Doe</dc:creator>'));
    assert.ok(ours.includes('<dc:creator>John Roe</dc:creator>'));
  });

  it('writes "Invalid Date" or throws on a bad date; we fall back to a real one', () => {
    const bad = new Date('not a date');
    assert.ok(library([libraryItem({ date: bad })]).rss2().includes('<pubDate>Invalid Date</pubDate>'));
    assert.throws(() => library([libraryItem({ date: bad })]).atom1(), RangeError);

    const article = { ...ENGLISH, published: 'not a date', updated: 'neither' };
    assert.ok(renderRss(feedMeta(), [article]).includes('<pubDate>Fri, 10 Apr 2020 12:30:00 GMT</pubDate>'));
    assert.ok(entryOf(renderAtom(feedMeta(), [article])).includes('<updated>2020-04-10T12:30:00.000Z</updated>'));
  });

  it('writes JSON Feed 1.0 only (single author, no language); we write 1.1', () => {
    const raw = JSON.parse(
      library([libraryItem({ author: [{ name: 'Jane Doe' }, { name: 'John Roe' }] })], { language: 'en' }).json1(),
    );
    assert.equal(raw.version, 'https://jsonfeed.org/version/1');
    assert.deepEqual(raw.items[0].author, { name: 'Jane Doe' });
    assert.equal(raw.language, undefined);

    const ours = JSON.parse(renderJsonFeed(feedMeta({ language: 'en' }), [ENGLISH]));
    assert.equal(ours.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(ours.language, 'en');
    assert.deepEqual(ours.items[0].authors, [{ name: 'Jane Doe' }, { name: 'John Roe' }]);
    assert.equal(ours.items[0].language, 'en');
  });

  it('keeps Arabic as UTF-8 characters, not numeric references (not a defect, pinned)', () => {
    const raw = library([libraryItem({ title: 'الكرملين' })], { title: 'وكالة' }).rss2();
    assert.ok(raw.includes('<title>وكالة</title>'));
    assert.ok(raw.includes('الكرملين'));
    assert.ok(!raw.includes('&#'));
  });
});
