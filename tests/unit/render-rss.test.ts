import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import Parser from 'rss-parser';

import { renderRss } from '../../src/render/rss.ts';
import { ARABIC, ARABIC_FEED, ENGLISH, FRENCH_WIRE, HOSTILE, feedMeta } from '../fixtures/render/articles.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

interface MediaItem {
  'content:encoded': string;
  'media:content': { $: Record<string, string>; 'media:description'?: { _: string }[]; 'media:credit'?: string[] };
}
const parser = new Parser<Record<string, never>, MediaItem>({
  customFields: { item: [['media:content', 'media:content']] },
});

const MIXED = [ARABIC, ENGLISH, FRENCH_WIRE, HOSTILE];

/** rss-parser's categories as [label, domain] pairs (it gives `{_, $: {domain}}` for a category with a domain). */
function labels(categories: unknown): (string | [string, string])[] {
  return (categories as ({ _: string; $: { domain: string } } | string)[]).map((c) => (typeof c === 'string' ? c : [c._, c.$.domain]));
}

/** The raw XML of the n-th item. */
function itemXml(xml: string, index: number): string {
  const item = xml.split('<item>')[index + 1];
  assert.ok(item, `item ${index} exists`);
  return item.split('</item>')[0]!;
}

describe('renderRss', () => {
  it('writes a strictly well-formed RSS 2.0 document with an XML declaration', () => {
    const xml = renderRss(feedMeta(), MIXED);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '));
    assert.deepEqual(xmlProblems(xml), []);
  });

  it('describes the channel', async () => {
    const xml = renderRss(feedMeta({ hubUrl: 'https://hub.example.org/' }), MIXED);
    const feed = await parser.parseString(xml);
    assert.equal(feed.title, 'Wirefeed · all articles');
    assert.equal(feed.link, 'https://feeds.example.org/');
    assert.equal(feed.description, 'Every article from every source, newest first.');
    assert.equal(feed.feedUrl, 'https://feeds.example.org/feeds/all.rss');
    assert.equal(feed.lastBuildDate, 'Fri, 10 Apr 2020 12:30:00 GMT');
    assert.equal(feed.generator, 'Wirefeed 0.1.0');
    // A mixed feed has no single language.
    assert.equal(feed.language, undefined);
    assert.ok(xml.includes('<atom:link href="https://feeds.example.org/feeds/all.rss" rel="self" type="application/rss+xml"/>'));
    assert.ok(xml.includes('<atom:link href="https://hub.example.org/" rel="hub"/>'));
  });

  it('writes no hub link when no hub is configured', () => {
    assert.ok(!renderRss(feedMeta(), MIXED).includes('rel="hub"'));
  });

  it('keeps the articles in the order given', async () => {
    const feed = await parser.parseString(renderRss(feedMeta(), MIXED));
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

  it('writes an Arabic story as UTF-8, right to left, with permalink guid, dates, authors, topics and image', async () => {
    const xml = renderRss(feedMeta(), MIXED);
    const item = (await parser.parseString(xml)).items[0]!;
    assert.equal(item.link, 'https://news.example.net/ar/2020/04/10/kremlin');
    assert.equal(item.guid, 'https://news.example.net/ar/2020/04/10/kremlin');
    assert.ok(itemXml(xml, 0).includes('<guid isPermaLink="true">https://news.example.net/ar/2020/04/10/kremlin</guid>'));
    assert.equal(item.pubDate, 'Fri, 10 Apr 2020 12:00:00 GMT');
    assert.equal(item.isoDate, '2020-04-10T12:00:00.000Z');
    assert.equal(item.creator, 'سارة أحمد');
    assert.deepEqual(labels(item.categories).map((c) => c[0]), ['سياسة', 'صحة', 'موسكو']);
    assert.equal(item.content, '<div dir="rtl" lang="ar">قال المتحدث باسم الكرملين إن السلطات لا تخطط لتمديد العزل.</div>');
    assert.equal(
      item['content:encoded'],
      '<div dir="rtl" lang="ar">' +
        '<figure><img src="https://img.example.net/2020/04/kremlin.jpg" alt="مبنى الكرملين">' +
        '<figcaption>مبنى الكرملين — رويترز</figcaption></figure>' +
        '<p><span class="dateline">أخبار الآن | موسكو – روسيا (وكالات)</span> — ' +
        'قال المتحدث باسم الكرملين إن السلطات لا تخطط لتمديد العزل.</p><p>وأضاف أن القرار يعود إلى رئيس البلدية.</p>' +
        // The image without a URL, as a credit line.
        '<p class="credit">مصدر الصورة: بلا رابط</p>' +
        '</div>',
    );
    assert.deepEqual({ ...item['media:content'].$ }, {
      url: 'https://img.example.net/2020/04/kremlin.jpg',
      medium: 'image',
      type: 'image/jpeg',
    });
    assert.equal(item['media:content']['media:description']![0]!._, 'مبنى الكرملين');
    assert.deepEqual(item['media:content']['media:credit'], ['رويترز']);
    // Arabic stays as characters; only markup-significant characters become references.
    assert.ok(itemXml(xml, 0).includes('<title>الكرملين: “لا خطط” لتمديد العزل في موسكو</title>'));
    assert.ok(!/&#x?[0-9a-f]*;/i.test(itemXml(xml, 0).replace(/&#x(26|3C|3E);/g, '')));
  });

  it('links a wire item without a URL to its article page, with a globally unique guid', async () => {
    const xml = renderRss(feedMeta(), MIXED);
    const raw = itemXml(xml, 2);
    assert.ok(raw.includes('<link>https://feeds.example.org/articles/wire-fr%3A12345</link>'), raw);
    // uuid5(79f06d53-…, "wire-fr:12345"), computed with Python's uuid module: unchanged by the link.
    assert.ok(raw.includes('<guid isPermaLink="false">urn:uuid:030939bd-539b-509f-bd80-9fd7ed66318f</guid>'));
    const item = (await parser.parseString(xml)).items[2]!;
    assert.equal(item.link, 'https://feeds.example.org/articles/wire-fr%3A12345');
    assert.equal(item.pubDate, 'Thu, 09 Apr 2020 18:45:00 GMT');
    assert.equal(item.content, 'Le trafic sera très perturbé jeudi, prévient la SNCF.');
    assert.equal(item['content:encoded'], '<p>Le trafic sera très perturbé jeudi.</p>');
  });

  it('keeps a non-URL guid as a non-permalink guid', async () => {
    const item = (await parser.parseString(renderRss(feedMeta(), [ENGLISH]))).items[0]!;
    assert.equal(item.guid, 'urn:newsml:wire.example.com:20200410:en-001');
    assert.ok(renderRss(feedMeta(), [ENGLISH]).includes('<guid isPermaLink="false">urn:newsml:wire.example.com:20200410:en-001</guid>'));
  });

  it('escapes markup, ampersands, `]]>` and drops control characters', async () => {
    const xml = renderRss(feedMeta(), [HOSTILE]);
    assert.deepEqual(xmlProblems(xml), []);
    // The RSS profile's hexadecimal references keep readers from taking text for markup.
    assert.ok(
      xml.includes('<title>&#x3C;script&#x3E;alert("x")&#x3C;/script&#x3E; AT&#x26;T ]]&#x3E; Q&#x26;amp;A done</title>'),
    );
    const item = (await parser.parseString(xml)).items[0]!;
    assert.equal(item.title, '<script>alert("x")</script> AT&T ]]> Q&amp;A done');
    assert.equal(item.link, 'https://wire.example.com/a?b=1&c=2');
    assert.equal(item.guid, 'tag:wire.example.com,2020:hostile');
    assert.equal(item.creator, 'Smith & Wesson <press>');
    assert.equal(item.content, 'Profits &amp; losses: 1 &lt; 2 ]]&gt; end');
    assert.equal(item['content:encoded'], '<p>first ]]> second ]]> third</p><p>Fish &amp; chips</p>');
  });

  it('moves the body to description when there is no summary', async () => {
    const xml = renderRss(feedMeta(), [{ ...ENGLISH, summary: '' }]);
    assert.ok(!xml.includes('content:encoded>'));
    const item = (await parser.parseString(xml)).items[0]!;
    assert.equal(item.content, '<p>Brent crude rose 4% on Friday.</p>');
  });

  it('builds the body from the plain text when there is no HTML body', async () => {
    const article = { ...FRENCH_WIRE, bodyHtml: '', bodyText: 'Premier paragraphe.\n\nDeuxième & dernier.' };
    const item = (await parser.parseString(renderRss(feedMeta(), [article]))).items[0]!;
    assert.equal(item['content:encoded'], '<p>Premier paragraphe.</p><p>Deuxième &amp; dernier.</p>');
  });

  it('does not repeat the lead image when the body already shows it', async () => {
    const article = { ...ARABIC, bodyHtml: '<p><img src="https://img.example.net/2020/04/kremlin.jpg"></p>' };
    const item = (await parser.parseString(renderRss(feedMeta(), [article]))).items[0]!;
    assert.equal(
      item['content:encoded'],
      '<div dir="rtl" lang="ar"><p class="dateline">أخبار الآن | موسكو – روسيا (وكالات)</p><p><img src="https://img.example.net/2020/04/kremlin.jpg"></p>' +
        '<p class="credit">مصدر الصورة: بلا رابط</p></div>',
    );
  });

  it('writes a single-language Arabic feed with its language and Arabic channel text', async () => {
    const xml = renderRss(ARABIC_FEED, [ARABIC]);
    assert.deepEqual(xmlProblems(xml), []);
    const feed = await parser.parseString(xml);
    assert.equal(feed.language, 'ar');
    assert.equal(feed.title, 'Wirefeed · وكالة');
    assert.equal(feed.description, 'مقالات الوكالة');
    assert.ok(xml.includes('<description>مقالات الوكالة</description>'));
  });

  it('writes one dc:creator per author', () => {
    const raw = itemXml(renderRss(feedMeta(), [ENGLISH]), 0);
    assert.deepEqual([...raw.matchAll(/<dc:creator>([^<]*)<\/dc:creator>/g)].map((m) => m[1]), ['Jane Doe', 'John Roe']);
    // No creator for copy that names no person.
    assert.ok(!itemXml(renderRss(feedMeta(), [FRENCH_WIRE]), 0).includes('dc:creator'));
  });

  it('writes the lead image as an enclosure with type and length 0 (unknown), beside media:content', () => {
    const raw = itemXml(renderRss(feedMeta(), [ARABIC]), 0);
    assert.ok(raw.includes('<enclosure length="0" type="image/jpeg" url="https://img.example.net/2020/04/kremlin.jpg"/>'), raw);
    assert.equal(raw.split('<enclosure').length, 2);
    // An image whose type the URL does not tell has media:content only: RSS requires the type.
    const untyped = { ...ARABIC, images: [{ url: 'https://img.example.net/image?id=7&s=1', caption: null, credit: null }] };
    const other = itemXml(renderRss(feedMeta(), [untyped]), 0);
    assert.ok(!other.includes('<enclosure'), other);
    assert.ok(other.includes('<media:content url="https://img.example.net/image?id=7&#x26;s=1" medium="image"/>'), other);
  });

  it('writes topics with their IPTC URI and a label in the feed language, the source’s categories apart', async () => {
    const frenchFeed = feedMeta({ language: 'fr' });
    const raw = itemXml(renderRss(frenchFeed, [ARABIC]), 0);
    assert.ok(raw.includes('<category domain="http://cv.iptc.org/newscodes/mediatopic/11000000">Politique</category>'), raw);
    assert.ok(raw.includes('<category domain="http://cv.iptc.org/newscodes/mediatopic/07000000">Santé</category>'), raw);
    assert.ok(raw.includes('<category domain="urn:wirefeed:source:agency-ar">موسكو</category>'), raw);
    // The configuration's titles win; a topic it does not know keeps its slug.
    const custom = { ...FRENCH_WIRE, topics: [...FRENCH_WIRE.topics, { slug: 'rail', code: 'R1', score: 1, origin: 'rule' as const }] };
    const topics = [{ slug: 'rail', code: 'R1', title: { en: 'Railways', fr: 'Chemins de fer' } }];
    const item = itemXml(renderRss(feedMeta({ language: 'fr', topics }), [custom]), 0);
    assert.ok(item.includes('<category domain="http://cv.iptc.org/newscodes/mediatopic/09000000">Social</category>'), item);
    assert.ok(item.includes('<category domain="urn:wirefeed:topic:rail">Chemins de fer</category>'), item);
    const feed = await parser.parseString(renderRss(frenchFeed, [ARABIC]));
    assert.deepEqual(labels(feed.items[0]!.categories), [
      ['Politique', 'http://cv.iptc.org/newscodes/mediatopic/11000000'],
      ['Santé', 'http://cv.iptc.org/newscodes/mediatopic/07000000'],
      ['موسكو', 'urn:wirefeed:source:agency-ar'],
    ]);
  });

  it('says an item’s language with dc:language only where it differs from the channel’s', () => {
    const mixed = renderRss(feedMeta(), MIXED);
    assert.deepEqual(
      MIXED.map((_, index) => /<dc:language>([^<]*)<\/dc:language>/.exec(itemXml(mixed, index))?.[1]),
      ['ar', 'en', 'fr', 'en'],
    );
    const arabic = renderRss(ARABIC_FEED, [ARABIC, ENGLISH, { ...ENGLISH, language: 'und' }]);
    assert.equal(itemXml(arabic, 0).includes('dc:language'), false);
    assert.ok(itemXml(arabic, 1).includes('<dc:language>en</dc:language>'));
    assert.equal(itemXml(arabic, 2).includes('dc:language'), false);
    assert.deepEqual(xmlProblems(arabic), []);
  });

  it('writes a valid empty feed', async () => {
    const xml = renderRss(feedMeta({ updated: new Date('2021-01-02T03:04:05.000Z') }), []);
    assert.deepEqual(xmlProblems(xml), []);
    assert.ok(!xml.includes('<item'));
    const feed = await parser.parseString(xml);
    assert.deepEqual(feed.items, []);
    assert.equal(feed.lastBuildDate, 'Sat, 02 Jan 2021 03:04:05 GMT');
  });

  it('declares every namespace it may use on the root element, even in an empty feed', () => {
    for (const xml of [renderRss(feedMeta(), []), renderRss(feedMeta(), MIXED)]) {
      const root = xml.split('\n')[1]!;
      assert.match(root, /^<rss version="2.0" [^>]+>$/);
      for (const declaration of [
        'xmlns:atom="http://www.w3.org/2005/Atom"',
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
        'xmlns:dc="http://purl.org/dc/elements/1.1/"',
        'xmlns:media="http://search.yahoo.com/mrss/"',
      ]) {
        assert.ok(root.includes(` ${declaration}`), `${declaration} in ${root}`);
      }
    }
  });
});
