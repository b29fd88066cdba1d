import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeNewsmlG2, parseNewsmlG2 } from '../../src/formats/newsml-g2.ts';
import type { RawDocument, RawItem } from '../../src/model/raw-item.ts';
import { isWireError } from '../../src/model/wire-error.ts';
import { codes, corpus, corpusSkip, firstParagraph, own, paragraphs } from '../helpers/wire-fixtures.ts';


const parse = (xml: string): RawDocument => {
  const doc = parseNewsmlG2(xml);
  assert.equal(doc.format, 'newsml-g2');
  return doc;
};
const only = (xml: string): RawItem => {
  const doc = parse(xml);
  assert.equal(doc.items.length, 1);
  return doc.items[0] as RawItem;
};
const startsWith = (actual: string | undefined, expected: string) => assert.equal((actual ?? '').slice(0, expected.length), expected);
const rejects = (fn: () => unknown, code: string, message?: RegExp) =>
  assert.throws(fn, (err: unknown) => isWireError(err) && err.code === code && (message === undefined || message.test(err.message)));

test('own fixture newsml-g2-ar-cairo.xml: Arabic text item, picture item with text, video and package skipped', () => {
  const xml = own('newsml-g2-ar-cairo.xml');
  assert.equal(looksLikeNewsmlG2(xml.slice(0, 2048)), true);
  const doc = parse(xml);
  assert.equal(doc.language, 'ar');
  assert.deepEqual(
    doc.items.map((i) => i.guid),
    ['urn:newsml:example-agency.test:20240305:AR-CAIRO-TRAM', 'urn:newsml:example-agency.test:20240305:AR-CAIRO-TRAM-PIC'],
  );
  const [story, picture] = doc.items as [RawItem, RawItem];
  assert.equal(story.version, '3');
  assert.equal(story.updated, '2024-03-05T09:35:00+02:00');
  assert.equal(story.published, '2024-03-05T08:10:00+02:00');
  assert.equal(story.embargo, '2024-03-05T12:00:00+02:00');
  assert.equal(story.status, 'usable');
  assert.equal(story.provider, 'EXAMPLE');
  assert.equal(story.editorNote, 'ملاحظة للمحررين: يرفع الحظر عند الظهر بتوقيت القاهرة.');
  assert.equal(story.title, 'افتتاح خط ترام جديد يربط وسط القاهرة بضواحيها الشرقية');
  assert.equal(story.summary, 'خط الترام الجديد يختصر زمن الرحلة إلى النصف بحسب وزارة النقل.');
  assert.equal(story.slugline, 'مصر-نقل-ترام');
  assert.deepEqual(story.authors, ['سارة المنصوري']);
  assert.equal(story.urgency, 2);
  assert.equal(story.language, 'ar');
  assert.deepEqual(story.subjects, [
    { code: 'medtop:20000763', scheme: 'medtop', name: 'public transport' },
    { code: 'medtop:04000000', scheme: 'medtop', name: 'اقتصاد وأعمال ومال' },
    { code: 'subj:04015000', scheme: 'subj' },
  ]);
  assert.deepEqual(story.categories, ['Current', 'ترام', 'نقل']);
  assert.deepEqual(story.dateline, { text: 'القاهرة (رويترز) -', outlet: null, city: 'القاهرة', country: 'مصر', sources: [], agencies: [] });
  assert.equal(
    story.contentHtml,
    [
      '<p>القاهرة (رويترز) - افتتحت السلطات المصرية يوم الثلاثاء خطا جديدا للترام يربط وسط العاصمة بالضواحي الشرقية.</p>',
      '<p>وقال متحدث باسم وزارة النقل إن الخط يضم 12 محطة ويخدم نحو مئة ألف راكب يوميا.</p>',
      '<h3>مواعيد التشغيل</h3>',
      '<ul><li>من السادسة صباحا حتى منتصف الليل</li><li>كل <em>عشر دقائق</em> في ساعات الذروة</li></ul>',
      '<p>وأضاف أن تذكرة الرحلة الواحدة ستباع بسعر رمزي خلال الشهر الأول.</p>',
    ].join('\n'),
  );

  assert.equal(picture.title, 'ركاب ينتظرون الترام الجديد في القاهرة');
  assert.equal(picture.contentHtml, undefined);
  assert.deepEqual(picture.images, [
    {
      url: 'https://images.example-agency.test/tram-web.jpg',
      caption: 'ركاب ينتظرون أول رحلة على خط الترام الجديد في القاهرة يوم الثلاثاء.',
      credit: 'وكالة المثال',
    },
  ]);
});

test('a newsItem root, inlineData bodies, a headline only in the NITF head', () => {
  const item = only(
    '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1" version="2"><itemMeta><itemClass qcode="ninat:text"/>' +
      '<pubStatus qcode="http://cv.iptc.org/newscodes/pubstatusg2/withheld"/></itemMeta>' +
      '<contentSet><inlineData contenttype="text/html"><![CDATA[<P>One &amp; <B>two</B></P><P>Three</P>]]></inlineData></contentSet></newsItem>',
  );
  assert.equal(item.status, 'withheld');
  assert.equal(item.contentHtml, '<p>One &amp; <b>two</b></p>\n<p>Three</p>');

  const plain = only(
    '<newsItem guid="g2"><contentMeta><headline>Plain</headline></contentMeta><contentSet>' +
      '<inlineData contenttype="text/plain">First paragraph\nwrapped.\n\nSecond paragraph.</inlineData></contentSet></newsItem>',
  );
  assert.equal(plain.contentText, 'First paragraph\nwrapped.\n\nSecond paragraph.');

  const fromNitf = only(
    '<newsItem guid="g3"><contentSet><inlineXML><nitf><head><title>Head title</title></head>' +
      '<body><body.content><p>Body.</p></body.content></body></nitf></inlineXML></contentSet></newsItem>',
  );
  assert.equal(fromNitf.title, 'Head title');
});

test('malformed, truncated, empty and foreign documents', () => {
  const xml = own('newsml-g2-ar-cairo.xml');
  rejects(() => parseNewsmlG2(xml.slice(0, Math.floor(xml.length / 2))), 'PARSE_ERROR', /line \d+, column \d+: the document ends before/);
  rejects(() => parseNewsmlG2('<newsItem guid="x"><contentMeta><headline>x</contentMeta></newsItem>'), 'PARSE_ERROR', /line 1, column \d+/);
  rejects(() => parseNewsmlG2(''), 'EMPTY_DOCUMENT');
  rejects(() => parseNewsmlG2('   \n\t'), 'EMPTY_DOCUMENT');
  rejects(() => parseNewsmlG2('<newsMessage><itemSet/></newsMessage>'), 'EMPTY_DOCUMENT');
  rejects(() => parseNewsmlG2('<newsItem guid="x"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>'), 'EMPTY_DOCUMENT');
  rejects(() => parseNewsmlG2('<feed xmlns="http://www.w3.org/2005/Atom"/>'), 'NOT_A_FEED');
});

test('odd input does not crash: missing attributes, empty elements, unexpected nesting', () => {
  const item = only(
    '<newsItem><itemMeta><provider/><pubStatus/><embargoed></embargoed><edNote/></itemMeta><contentMeta><urgency>soon</urgency>' +
      '<subject/><subject qcode=""/><located/><headline><b>Bold</b> head</headline></contentMeta>' +
      '<contentSet><inlineXML><html><body><div><section>Loose <em>text</em><p>para</p></section></div></body></html></inlineXML></contentSet></newsItem>',
  );
  assert.equal(item.title, 'Bold head');
  assert.equal(item.guid, undefined);
  assert.equal(item.embargo, undefined);
  assert.equal(item.urgency, undefined);
  assert.equal(item.subjects, undefined);
  assert.equal(item.dateline, undefined);
  assert.equal(item.contentHtml, '<p>Loose <em>text</em></p>\n<p>para</p>');
});

test('hostile markup in an XHTML body does not crash and does not reach the markup', () => {
  const item = only(
    '<newsItem guid="h"><contentMeta><headline>h</headline></contentMeta><contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml">' +
      '<body onload="alert(1)"><p style="x" onmouseover="alert(2)">Safe <a href="JavaScript:alert(3)">x</a></p><script>alert(4)</script>' +
      '<style>p{}</style></body></html></inlineXML></contentSet></newsItem>',
  );
  assert.equal(item.contentHtml, '<p>Safe <a>x</a></p>');
});

test('looksLikeNewsmlG2 takes G2 roots and not NewsML 1 or NITF', () => {
  assert.equal(looksLikeNewsmlG2('<?xml version="1.0"?>\n<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">'), true);
  assert.equal(looksLikeNewsmlG2("<?xml version='1.0' encoding='utf8'?>\n<ns0:newsMessage xmlns:ns0=\"http://iptc.org/std/nar/2006-10-01/\">"), true);
  assert.equal(looksLikeNewsmlG2('<!-- c --><newsItem guid="x">'), true);
  assert.equal(looksLikeNewsmlG2('<NewsML Version="1.2"><NewsItem>'), false);
  assert.equal(looksLikeNewsmlG2('<nitf>'), false);
  assert.equal(looksLikeNewsmlG2('<rss version="2.0">'), false);
});

// ---------------------------------------------------------------------------------------------
// Shared corpus: golden values read off each file by hand.

const REUTERS_CANCEL = 'newsml-g2/tag_reuters.com_2016_newsml_L1N14N0FF_version_1542761538';
const REUTERS_USABLE = 'newsml-g2/tag_reuters.com_2016_newsml_L1N14N0FF_version_978556838';

test('corpus Reuters L1N14N0FF: one guid, the later versionCreated is the cancel', { skip: corpusSkip(REUTERS_CANCEL, REUTERS_USABLE) }, () => {
  const cancel = only(corpus(REUTERS_CANCEL));
  const usable = only(corpus(REUTERS_USABLE));
  assert.equal(cancel.guid, 'tag:reuters.com,0000:newsml_L1N14N0FF');
  assert.equal(usable.guid, cancel.guid);

  assert.equal(cancel.version, '1542761538');
  assert.equal(cancel.status, 'canceled');
  assert.equal(cancel.updated, '2016-01-04T16:34:45.000Z');
  assert.equal(cancel.title, 'CORRECTED-S. Illinois battles flooding as Mississippi River builds downstream');
  assert.equal(cancel.contentHtml, undefined); // its body is one empty <html:p/>

  assert.equal(usable.version, '978556838');
  assert.equal(usable.status, 'usable');
  assert.equal(usable.updated, '2016-01-04T15:43:34.000Z');
  assert.equal(usable.published, '2016-01-04T15:43:34.000Z');
  assert.equal(usable.provider, 'reuters.com');
  assert.equal(usable.urgency, 3);
  assert.equal(usable.language, 'en');
  assert.equal(usable.slugline, 'USA-WEATHER/ (UPDATE 1, PIX, CORRECTED)');
  assert.ok(codes(usable).includes('subj:03005000') && codes(usable).includes('subj:17000000'));
  assert.equal(codes(usable).length, 50); // 50 <ns0:subject> elements, all with a qcode
  assert.equal(paragraphs(usable.contentHtml), 16);
  startsWith(firstParagraph(usable.contentHtml), '(In Jan. 3 story, corrects last paragraph');

  // Versions are copied as written and compare neither way reliably: as strings the cancel's
  // sorts first, as numbers last. Ordering has to use `updated`.
  assert.ok((cancel.version ?? '') < (usable.version ?? ''));
  assert.ok((cancel.updated ?? '') > (usable.updated ?? ''));
});

test('corpus LISTING_1: embargo, edNote, provider qcode, located with broader, multi-language subject names, genre', { skip: corpusSkip('newsml-g2-iptc-examples/LISTING_1_A_NewsML-G2_News_Item.xml') }, () => {
  const item = only(corpus('newsml-g2-iptc-examples/LISTING_1_A_NewsML-G2_News_Item.xml'));
  assert.equal(item.guid, 'urn:newsml:acmenews.com:20161018:US-FINANCE-FED');
  assert.equal(item.version, '11');
  assert.equal(item.status, 'usable');
  assert.equal(item.updated, '2018-10-21T16:25:32-05:00');
  assert.equal(item.published, '2016-10-18T13:12:21-05:00');
  assert.equal(item.embargo, '2018-10-23T12:00:00Z');
  assert.equal(item.provider, 'REUTERS');
  assert.equal(item.language, 'en-GB');
  assert.equal(item.title, 'Fed to halt QE to avert "bubble"');
  assert.equal(item.slugline, 'US-Finance-Fed');
  assert.deepEqual(item.authors, ['Meredith Jameson']);
  assert.deepEqual(item.categories, ['Interview']);
  startsWith(item.editorNote, 'Note to editors: STRICTLY EMBARGOED. Not for public release until 12noon on Friday');
  // located Berlin (city) › Berlin (statprov) › Germany (country); no <dateline> element.
  assert.deepEqual(item.dateline, { text: '', outlet: null, city: 'Berlin', country: 'Germany', sources: [], agencies: [] });
  assert.deepEqual(item.subjects, [
    { code: 'medtop:04000000', scheme: 'medtop', name: 'economy, business and finance' },
    { code: 'medtop:20000523', scheme: 'medtop', name: 'labour market' },
  ]);
  assert.deepEqual(item.related, [
    { title: 'http://www.example.com/video/20081222-PNN-1517-407624/index.html', url: 'http://www.example.com/video/20081222-PNN-1517-407624/index.html' },
  ]);
  assert.equal(item.contentHtml, undefined); // the inlineXML holds only comments
});

test('corpus LISTING_2: NITF inside inlineXML', { skip: corpusSkip('newsml-g2-iptc-examples/LISTING_2_NewsML-G2_Text_Document.xml') }, () => {
  const item = only(corpus('newsml-g2-iptc-examples/LISTING_2_NewsML-G2_Text_Document.xml'));
  assert.equal(item.guid, 'urn:newsml:acmenews.com:20161121:US-FINANCE-FED');
  assert.equal(item.version, '10');
  assert.equal(item.status, 'usable');
  assert.equal(item.updated, '2017-11-21T16:25:32-05:00');
  assert.equal(item.published, '2016-11-21T15:21:06-05:00'); // contentCreated: there is no firstCreated
  assert.equal(item.provider, 'http://www.acmenews.com/about/');
  assert.equal(item.language, 'en-US');
  assert.deepEqual(codes(item), ['medtop:04000000', 'medtop:20000350', 'medtop:20000379']);
  assert.equal(item.dateline?.city, 'New York, NY');
  assert.equal(paragraphs(item.contentHtml), 2);
  startsWith(firstParagraph(item.contentHtml), '(New York, NY - October 21) Et, sent luptat luptat, commy Nim');
  assert.doesNotMatch(item.contentHtml ?? '', /hl1|byline|Staff Reporter/);
});

const LISTING_28 = 'newsml-g2-iptc-examples/LISTING_28_Illustrating_Located_Subject_and_Dateline.fragment.xml';

test('corpus LISTING_28: a contentMeta fragment without a headline is EMPTY_DOCUMENT; with one, its dateline reads', { skip: corpusSkip(LISTING_28) }, () => {
  const fragment = corpus(LISTING_28);
  rejects(() => parseNewsmlG2(fragment), 'EMPTY_DOCUMENT', /no news item with a headline or a body/);
  const item = only(fragment.replace('</contentMeta>', '<headline>Test headline</headline></contentMeta>'));
  assert.deepEqual(item.dateline, { text: 'MOSCOW, Monday (Reuters)', outlet: null, city: 'Moscow', country: 'Russia', sources: [], agencies: [] });
  assert.equal(item.published, '2016-02-09T09:17:00+03:00');
  assert.equal(item.language, 'en-US');
  assert.deepEqual(item.authors, ['Thomson Reuters']);
  assert.deepEqual(codes(item), ['city:Tskhinvali', 'city:Tblisi']);
});

test('corpus ansa-newsmlg2-text.xml: plain-text inlineData with indented paragraphs', { skip: corpusSkip('newsml-g2/ansa-newsmlg2-text.xml') }, () => {
  const item = only(corpus('newsml-g2/ansa-newsmlg2-text.xml'));
  assert.equal(item.guid, 'tag:ansa.it,2017-10-11:40e5fb1034e7e2b21942ea09718fc85a');
  assert.equal(item.version, '1');
  assert.equal(item.status, 'usable');
  assert.equal(item.updated, '2017-10-11T10:41:00+0100');
  assert.equal(item.published, '2017-10-11T10:41:00+0100');
  assert.equal(item.provider, 'ansa.it');
  assert.equal(item.urgency, 5);
  // contentMeta/language says "it"; the newsItem's xml:lang (its metadata's language) says "it-IT".
  assert.equal(item.language, 'it');
  assert.equal(item.title, 'Catalan independence declaration unacceptable - Alfano');
  assert.equal(item.summary, 'Foreign minister expresses faith in Spanish government');
  assert.deepEqual(item.dateline, { text: '', outlet: null, city: 'Rome', country: null, sources: [], agencies: [] });
  assert.equal(item.subjects, undefined); // literal-only subjects carry no code
  assert.equal(item.images, undefined); // the remoteContent href is a tag: URI
  const paras = (item.contentText ?? '').split('\n\n');
  assert.equal(paras.length, 4);
  startsWith(paras[0], '(ANSA) - Rome, October 11 - Italian Foreign');
  startsWith(paras[3], 'Catalan leader Carles Puigdemont signed');
});

test('corpus dpa.xml: medtop qcodes with their subj sameAs, dpa notepad, XHTML body without its header', { skip: corpusSkip('newsml-g2/dpa.xml') }, () => {
  const item = only(corpus('newsml-g2/dpa.xml'));
  assert.equal(item.guid, 'urn:newsml:dpa.com:20090101:221011-930-4303');
  assert.equal(item.version, '1');
  assert.equal(item.status, 'usable');
  assert.equal(item.updated, '2022-10-11T11:14:42+02:00');
  assert.equal(item.published, undefined);
  assert.equal(item.provider, 'dpa');
  assert.equal(item.language, 'de');
  assert.equal(item.urgency, 4);
  assert.equal(item.title, 'Eintracht in London: Hintereggers Tränen und Attacke auf Reporter');
  assert.ok(codes(item).includes('medtop:20001065'));
  assert.ok(codes(item).includes('subj:15054000'));
  assert.ok(!codes(item).includes('medtop:20000822')); // only a broader concept
  assert.deepEqual(item.categories, ['Extra', 'Champions League', 'Frankfurt', 'London']);
  assert.equal(item.dateline?.text, 'London (dpa) -');
  assert.equal(item.dateline?.city, 'London');
  startsWith(item.editorNote, 'dpa pre yyhe n1 deg\nZu diesem Text finden Sie folgende Bilder');
  assert.equal(item.related?.length, 5);
  assert.equal(paragraphs(item.contentHtml), 3); // the fourth <p> holds only a no-break space
  startsWith(firstParagraph(item.contentHtml), 'London (dpa) - 2019 gab es bittere Tränen');
  assert.doesNotMatch(item.contentHtml ?? '', /slugline|publicationDate|<h1/);
});

test('corpus ap.xml: a newsMessage of three items with NITF bodies', { skip: corpusSkip('newsml-g2/ap.xml') }, () => {
  const doc = parse(corpus('newsml-g2/ap.xml'));
  assert.deepEqual(
    doc.items.map((i) => i.guid),
    [
      'tag:ap.org,2011:5e565888b587889c5c8bd62b6164118c-text',
      'tag:ap.org,2011:b6d5d4eb781939b5fe8722f3fba28ee2-text',
      'tag:ap.org,2011:4db5f9c37aac8924db872ba5a7e287e6-text',
    ],
  );
  const first = doc.items[0];
  assert.equal(first?.title, 'Nutrisystem beats 4Q earnings and revenue expectations');
  assert.equal(first?.version, '2');
  assert.equal(first?.updated, '2018-02-26T21:20:34Z');
  assert.equal(first?.published, '2018-02-26T21:20:36Z');
  assert.equal(first?.editorNote, 'Eds: Adds full-year results.');
  assert.equal(first?.provider, 'Automated Insights');
  assert.equal(first?.dateline?.text, 'FORT WASHINGTON, Pa.');
  assert.equal(first?.dateline?.country, 'United States');
  assert.equal(paragraphs(first?.contentHtml), 10);
  startsWith(firstParagraph(first?.contentHtml), 'FORT WASHINGTON, Pa. (AP) _ Nutrisystem Inc.');
  assert.match(first?.contentHtml ?? '', /<a href="https:\/\/www\.zacks\.com\/ap\/NTRI">Zacks stock report on NTRI<\/a>/);
  assert.deepEqual(doc.items.map((i) => i.dateline?.text), ['FORT WASHINGTON, Pa.', 'BETHESDA, Md.', 'KNOXVILLE, Tenn.']);
});

test('corpus picture.xml: a picture item with a caption becomes an item with its image', { skip: corpusSkip('newsml-g2/picture.xml') }, () => {
  const item = only(corpus('newsml-g2/picture.xml'));
  assert.equal(item.guid, 'tag:reuters.com,0000:newsml_GM1E9341HD701');
  assert.equal(item.title, "A woman casts her ballot inside a polling station in Kenya's town of Gatundu");
  assert.deepEqual(item.authors, ['MARKO DJURICA']);
  assert.equal(item.contentHtml, undefined);
  assert.equal(item.images?.length, 1);
  assert.equal(
    item.images?.[0]?.url,
    'http://content.reuters.com/auth-server/content/tag:reuters.com,0000:newsml_GM1E9341HD701:360624134/tag:reuters.com,0000:binary_GM1E9341HD701-VIEWIMAGE',
  );
  assert.equal(item.images?.[0]?.credit, 'REUTERS');
  startsWith(item.images?.[0]?.caption ?? '', "A woman casts her ballot inside a polling station in Kenya's town of Gatundu March 4, 2013.");
});

test('corpus Reuters KBN0FL0NM: a package alone is EMPTY_DOCUMENT; KBN0FL0NN: a timestamp is no dateline', { skip: corpusSkip('newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NM_version_10', 'newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NN_version_5') }, () => {
  rejects(() => parseNewsmlG2(corpus('newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NM_version_10')), 'EMPTY_DOCUMENT', /packageItem/);
  const item = only(corpus('newsml-g2/tag_reuters.com_2014_newsml_KBN0FL0NN_version_5'));
  assert.equal(item.guid, 'tag_reuters.com_2014_newsml_KBN0FL0NN');
  assert.equal(item.version, '5');
  assert.deepEqual(item.authors, ['Marwan Makdisi']);
  assert.equal(item.editorNote, 'This is editorial note.');
  assert.deepEqual(item.dateline, { text: '', outlet: null, city: 'Bangalore', country: null, sources: [], agencies: [] });
  startsWith(firstParagraph(item.contentHtml), 'By Marwan Makdisi');
});

test('corpus scoop.xml: headline taken from the NITF head when contentMeta has none', { skip: corpusSkip('newsml-g2/scoop.xml') }, () => {
  const item = only(corpus('newsml-g2/scoop.xml'));
  assert.equal(item.guid, 'BD-20160112123540');
  assert.equal(item.title, 'Dick Smith receivers install Don Grover as acting CEO as Abboud quits; retailer put up for sale');
  assert.equal(item.embargo, undefined); // <embargoed></embargoed>
  assert.equal(paragraphs(item.contentHtml), 9);
});
