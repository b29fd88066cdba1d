import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import Parser from 'rss-parser';

import { renderAtom } from '../../src/render/atom.ts';
import { ARABIC, ARABIC_FEED, ENGLISH, FRENCH_WIRE, HOSTILE, feedMeta } from '../fixtures/render/articles.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

const parser = new Parser();
const MIXED = [ARABIC, ENGLISH, FRENCH_WIRE, HOSTILE];

/** The raw XML of the n-th entry, start tag included. */
function entryXml(xml: string, index: number): string {
  const entry = xml.split('<entry')[index + 1];
  assert.ok(entry, `entry ${index} exists`);
  return '<entry' + entry.split('</entry>')[0]!;
}

describe('renderAtom', () => {
  it('writes a strictly well-formed Atom document with an XML declaration', () => {
    const xml = renderAtom(feedMeta(), MIXED);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'));
    assert.deepEqual(xmlProblems(xml), []);
  });

  it('describes the feed', async () => {
    const xml = renderAtom(feedMeta({ hubUrl: 'https://hub.example.org/' }), MIXED);
    const feed = await parser.parseString(xml);
    assert.equal(feed.title, 'Wirefeed · all articles');
    assert.equal(feed.link, 'https://feeds.example.org/');
    assert.equal(feed.feedUrl, 'https://feeds.example.org/feeds/all.atom');
    assert.equal(feed.lastBuildDate, '2020-04-10T12:30:00.000Z');
    assert.ok(xml.includes('<id>https://feeds.example.org/feeds/all.atom</id>'));
    assert.ok(xml.includes('<subtitle>Every article from every source, newest first.</subtitle>'));
    assert.ok(xml.includes('<generator>Wirefeed 0.1.0</generator>'));
    assert.ok(xml.includes('<link rel="alternate" href="https://feeds.example.org/" type="text/html"/>'));
    assert.ok(xml.includes('<link rel="self" href="https://feeds.example.org/feeds/all.atom" type="application/atom+xml"/>'));
    assert.ok(xml.includes('<link rel="hub" href="https://hub.example.org/"/>'));
    // The feed is no one's writing: no feed author (each entry has its own, see below).
    assert.ok(!xml.split('<entry')[0]!.includes('<author>'));
    // A mixed feed declares no language of its own.
    assert.ok(!xml.split('<entry')[0]!.includes('xml:lang'));
  });

  it('keeps the entries in the order given', async () => {
    const feed = await parser.parseString(renderAtom(feedMeta(), MIXED));
    assert.deepEqual(
      feed.items.map((item) => item.title),
      [
        'الكرملين: “لا خطط” لتمديد العزل في موسكو',
        'Oil prices rise as OPEC+ agrees to cut output',
        'Grève à la SNCF : « trafic très perturbé » jeudi',
        '<script>alert("x")</script> AT&T ]]> Q&amp;A done',
      ],
    );
  });

  it('labels each entry of a mixed feed with its language', () => {
    const xml = renderAtom(feedMeta(), MIXED);
    assert.ok(entryXml(xml, 0).startsWith('<entry xml:lang="ar">'));
    assert.ok(entryXml(xml, 1).startsWith('<entry xml:lang="en">'));
    assert.ok(entryXml(xml, 2).startsWith('<entry xml:lang="fr">'));
  });

  it('writes an Arabic story right to left with its id, link, dates, author, topics and image', async () => {
    const xml = renderAtom(feedMeta(), MIXED);
    const raw = entryXml(xml, 0);
    assert.ok(raw.includes('<title type="text"><![CDATA[الكرملين: “لا خطط” لتمديد العزل في موسكو]]></title>'));
    assert.ok(raw.includes('<id>https://news.example.net/ar/2020/04/10/kremlin</id>'));
    assert.ok(raw.includes('<link href="https://news.example.net/ar/2020/04/10/kremlin" rel="alternate" type="text/html"/>'));
    assert.ok(raw.includes('<link rel="enclosure" href="https://img.example.net/2020/04/kremlin.jpg" type="image/jpeg"/>'));
    assert.ok(raw.includes('<published>2020-04-10T12:00:00.000Z</published>'));
    assert.ok(raw.includes('<updated>2020-04-10T12:30:00.000Z</updated>'));
    assert.ok(raw.includes('<category label="سياسة" scheme="http://cv.iptc.org/newscodes/mediatopic/" term="11000000"/>'));
    assert.ok(raw.includes('<category label="صحة" scheme="http://cv.iptc.org/newscodes/mediatopic/" term="07000000"/>'));
    assert.ok(raw.includes('<category scheme="urn:wirefeed:source:agency-ar" term="موسكو"/>'));

    const entry = (await parser.parseString(xml)).items[0]!;
    assert.equal(entry.link, 'https://news.example.net/ar/2020/04/10/kremlin');
    assert.equal(entry.id, 'https://news.example.net/ar/2020/04/10/kremlin');
    assert.equal(entry.isoDate, '2020-04-10T12:00:00.000Z');
    assert.equal(entry.author, 'سارة أحمد');
    assert.equal(entry.summary, '<div dir="rtl" lang="ar">قال المتحدث باسم الكرملين إن السلطات لا تخطط لتمديد العزل.</div>');
    assert.equal(
      entry.content,
      '<div dir="rtl" lang="ar">' +
        '<figure><img src="https://img.example.net/2020/04/kremlin.jpg" alt="مبنى الكرملين">' +
        '<figcaption>مبنى الكرملين — رويترز</figcaption></figure>' +
        '<p><span class="dateline">أخبار الآن | موسكو – روسيا (وكالات)</span> — ' +
        'قال المتحدث باسم الكرملين إن السلطات لا تخطط لتمديد العزل.</p><p>وأضاف أن القرار يعود إلى رئيس البلدية.</p>' +
        // The image without a URL, as a credit line.
        '<p class="credit">مصدر الصورة: بلا رابط</p>' +
        '</div>',
    );
  });

  it('writes a single-language feed with xml:lang and labels only the entries that differ', () => {
    const unknown = { ...ENGLISH, id: 'agency-en:und', guid: 'urn:x:und', language: 'und' };
    const xml = renderAtom(ARABIC_FEED, [ARABIC, ENGLISH, unknown]);
    assert.deepEqual(xmlProblems(xml), []);
    assert.ok(xml.includes('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">'));
    assert.ok(entryXml(xml, 0).startsWith('<entry>'));
    assert.ok(entryXml(xml, 1).startsWith('<entry xml:lang="en">'));
    // An unknown language must not inherit the feed's Arabic.
    assert.ok(entryXml(xml, 2).startsWith('<entry xml:lang="">'));
    assert.ok(xml.includes('<title>Wirefeed · وكالة</title>'));
  });

  it('links a wire item without a URL to its article page, with a UUID URN id', async () => {
    const xml = renderAtom(feedMeta(), MIXED);
    const raw = entryXml(xml, 2);
    assert.ok(raw.includes('<link href="https://feeds.example.org/articles/wire-fr%3A12345" rel="alternate" type="text/html"/>'), raw);
    // uuid5(79f06d53-…, "wire-fr:12345"), computed with Python's uuid module: unchanged by the link.
    assert.ok(raw.includes('<id>urn:uuid:030939bd-539b-509f-bd80-9fd7ed66318f</id>'));
    const entry = (await parser.parseString(xml)).items[2]!;
    assert.equal(entry.link, 'https://feeds.example.org/articles/wire-fr%3A12345');
    assert.equal(entry.content, '<p>Le trafic sera très perturbé jeudi.</p>');
  });

  it('gives every entry an author: its people, else whom the copy credits (RFC 4287 §4.1.2)', () => {
    const xml = renderAtom(feedMeta(), [ENGLISH, ARABIC, { ...FRENCH_WIRE, provider: 'AFP' }, FRENCH_WIRE]);
    assert.deepEqual(xmlProblems(xml), []);
    const names = (index: number) => [...entryXml(xml, index).matchAll(/<author>\s*<name>([^<]*)<\/name>/g)].map((m) => m[1]);
    assert.deepEqual(names(0), ['Jane Doe', 'John Roe']);
    assert.deepEqual(names(1), ['سارة أحمد']);
    assert.deepEqual(names(2), ['AFP']);
    assert.deepEqual(names(3), ['wire-fr']);
    // The agencies of the dateline when no person is named.
    const agencies = renderAtom(feedMeta(), [{ ...ARABIC, authors: [] }]);
    assert.deepEqual([...entryXml(agencies, 0).matchAll(/<name>([^<]*)<\/name>/g)].map((m) => m[1]), ['وكالات']);
  });

  it('writes topics with IPTC term, scheme and a label in the feed language, the source’s categories apart', () => {
    const raw = entryXml(renderAtom(feedMeta({ language: 'en' }), [ARABIC]), 0);
    assert.ok(raw.includes('<category label="Politics" scheme="http://cv.iptc.org/newscodes/mediatopic/" term="11000000"/>'), raw);
    assert.ok(raw.includes('<category label="Health" scheme="http://cv.iptc.org/newscodes/mediatopic/" term="07000000"/>'), raw);
    assert.ok(raw.includes('<category scheme="urn:wirefeed:source:agency-ar" term="موسكو"/>'), raw);
  });

  it('writes the lead image as an enclosure link with its type and no length (unknown)', () => {
    const raw = entryXml(renderAtom(feedMeta(), [ARABIC]), 0);
    assert.ok(raw.includes('<link rel="enclosure" href="https://img.example.net/2020/04/kremlin.jpg" type="image/jpeg"/>'), raw);
    assert.ok(!raw.includes('length='));
  });

  it('gives an entry with no body and no URL its summary and an alternate link to its page (RFC 4287 §4.1.2)', async () => {
    const article = { ...FRENCH_WIRE, bodyHtml: '', bodyText: '' };
    const xml = renderAtom(feedMeta(), [article]);
    assert.deepEqual(xmlProblems(xml), []);
    assert.ok(entryXml(xml, 0).includes('rel="alternate"'));
    const entry = (await parser.parseString(xml)).items[0]!;
    assert.equal(entry.summary, 'Le trafic sera très perturbé jeudi, prévient la SNCF.');
    assert.equal(entry.link, 'https://feeds.example.org/articles/wire-fr%3A12345');
  });

  it('escapes markup, ampersands, `]]>` and drops control characters', async () => {
    const xml = renderAtom(feedMeta(), [HOSTILE]);
    assert.deepEqual(xmlProblems(xml), []);
    const entry = (await parser.parseString(xml)).items[0]!;
    assert.equal(entry.title, '<script>alert("x")</script> AT&T ]]> Q&amp;A done');
    assert.equal(entry.link, 'https://wire.example.com/a?b=1&c=2');
    assert.equal(entry.id, 'tag:wire.example.com,2020:hostile');
    assert.equal(entry.author, 'Smith & Wesson <press>');
    assert.equal(entry.summary, 'Profits &amp; losses: 1 &lt; 2 ]]&gt; end');
    assert.equal(entry.content, '<p>first ]]> second ]]> third</p><p>Fish &amp; chips</p>');
    assert.ok(entryXml(xml, 0).includes('<name>Smith &amp; Wesson &lt;press&gt;</name>'));
  });

  it('writes a valid empty feed', async () => {
    const xml = renderAtom(feedMeta({ updated: new Date('2021-01-02T03:04:05.000Z') }), []);
    assert.deepEqual(xmlProblems(xml), []);
    assert.ok(!xml.includes('<entry'));
    const feed = await parser.parseString(xml);
    assert.deepEqual(feed.items, []);
    assert.equal(feed.lastBuildDate, '2021-01-02T03:04:05.000Z');
  });
});
