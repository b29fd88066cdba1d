import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeNitf, parseNitf } from '../../src/formats/nitf.ts';
import type { RawItem } from '../../src/model/raw-item.ts';
import { isWireError } from '../../src/model/wire-error.ts';
import { codes, corpus, corpusSkip, firstParagraph, own, paragraphs } from '../helpers/wire-fixtures.ts';


const only = (xml: string): RawItem => {
  const doc = parseNitf(xml);
  assert.equal(doc.format, 'nitf');
  assert.equal(doc.items.length, 1);
  return doc.items[0] as RawItem;
};
const rejects = (fn: () => unknown, code: string, message?: RegExp) =>
  assert.throws(fn, (err: unknown) => isWireError(err) && err.code === code && (message === undefined || message.test(err.message)));

test('own fixture nitf-en-harbour.xml: every mapped field', () => {
  const xml = own('nitf-en-harbour.xml');
  assert.equal(looksLikeNitf(xml.slice(0, 2048)), true);
  const item = only(xml);
  assert.equal(item.guid, 'EXW-2024-0412-FERRY');
  // hl1 is the headline readers see; head/title is the document's label.
  assert.equal(item.title, 'Harbour ferry back in service after winter repairs');
  assert.equal(item.summary, 'Timetable returns to summer frequency from Monday');
  assert.deepEqual(item.authors, ['Tomas Reed', 'Ana Lobo']);
  assert.equal(item.published, '20240412T071500+0100');
  assert.equal(item.embargo, '20240412T090000+0100');
  assert.equal(item.status, 'withheld');
  assert.equal(item.urgency, 4);
  assert.equal(item.provider, 'Example Wire Service');
  assert.equal(item.language, 'en-GB');
  assert.equal(item.slugline, 'Harbour-Ferry');
  assert.deepEqual(item.categories, ['ferry', 'harbour']);
  assert.deepEqual(item.subjects, [
    { code: 'subj:04015000', scheme: 'subj', name: 'transport' },
    { code: 'subj:04015002', scheme: 'subj', name: 'shipping' },
    { code: 'harb:T-77', scheme: 'harb', name: 'Local transport' },
  ]);
  assert.deepEqual(item.dateline, {
    text: 'Portsmouth, England, April 12',
    outlet: null,
    city: 'Portsmouth',
    country: 'England',
    sources: [],
    agencies: [],
  });
  assert.equal(item.editorNote, 'Hold until 0900 BST; photo to follow.\nFigures checked with the operator on Thursday.');
  assert.deepEqual(item.images, [
    { url: 'https://images.example-wire.test/ferry.jpg', caption: 'The ferry at its berth on Friday morning.', credit: 'Example Wire/J. Park' },
  ]);
  assert.equal(
    item.contentHtml,
    [
      '<p>PORTSMOUTH, England, April 12 (EXW) - The harbour ferry returned to service on Friday after three months of repairs to its hull.</p>',
      '<p>The operator said crossings would run <em>every 20 minutes</em> at peak times, see <a href="https://ferry.example.test/timetable">the timetable</a>.</p>',
      '<h3>Fares</h3>',
      '<table><tr><th>Ticket</th><th>Price</th></tr><tr><td>Single</td><td>£3.20</td></tr><tr><td>Return</td><td>£5.80</td></tr></table>',
      "<blockquote><p>We are glad to be back on the water.</p><cite>the ferry's captain</cite></blockquote>",
      '<p>Passenger numbers are expected to recover by the summer, the council said.</p>',
      '<p>Additional reporting by Sam Hill.</p>',
    ].join('\n'),
  );
});

test('truncated NITF is a PARSE_ERROR naming line and column', () => {
  const xml = own('nitf-en-harbour.xml');
  rejects(() => parseNitf(xml.slice(0, xml.indexOf('<p>Passenger'))), 'PARSE_ERROR', /line \d+, column \d+/);
  rejects(() => parseNitf('<nitf><head><title>x</title></head><body><body.content><p>a</body.content></body></nitf>'), 'PARSE_ERROR', /line 1/);
});

test('empty, whitespace-only and contentless NITF are EMPTY_DOCUMENT; another root is NOT_A_FEED', () => {
  rejects(() => parseNitf(''), 'EMPTY_DOCUMENT');
  rejects(() => parseNitf(' \n\t\r\n'), 'EMPTY_DOCUMENT');
  rejects(() => parseNitf('<?xml version="1.0"?><nitf><head/><body><body.content><p> </p></body.content></body></nitf>'), 'EMPTY_DOCUMENT');
  rejects(() => parseNitf('<rss version="2.0"><channel/></rss>'), 'NOT_A_FEED');
});

test('odd input does not crash: missing attributes, unexpected nesting, bare ampersands, HTML entities', () => {
  const item = only(
    '<nitf><head><docdata><doc-id/><urgency ed-urg="high"/><date.issue/></docdata><tobject><tobject.subject/></tobject></head>' +
      '<body><body.head><hedline><hl1>AT&T &amp; R&D <em>deal</em></hl1></hedline><byline/><dateline/></body.head>' +
      '<body.content><p>Caf&eacute; &nbsp;<block><p>nested</p></block></p><table><tr><td/></tr></table></body.content></body></nitf>',
  );
  assert.equal(item.title, 'AT&T & R&D deal');
  assert.equal(item.guid, undefined);
  assert.equal(item.urgency, undefined);
  assert.equal(item.subjects, undefined);
  assert.equal(item.dateline, undefined);
  assert.match(item.contentHtml ?? '', /^<p>Café/);
});

test('hostile markup in a body: script dropped, event handlers and javascript: links not carried, no crash', () => {
  const item = only(
    '<nitf><body><body.head><hedline><hl1>Hostile</hl1></hedline></body.head><body.content>' +
      '<p onload="alert(1)">Text <a href="javascript:alert(2)" onclick="x()">link</a></p>' +
      '<script>alert(3)</script><img src="x.jpg" onerror="alert(4)"/><iframe src="https://evil.test/"/>' +
      '</body.content></body></nitf>',
  );
  const html = item.contentHtml ?? '';
  assert.doesNotMatch(html, /alert|onload|onclick|onerror|javascript:|iframe|<script/i);
  assert.match(html, /^<p>Text <a>link<\/a><\/p>/);
});

test('looksLikeNitf reads the root past declaration, comments and doctype', () => {
  assert.equal(looksLikeNitf('<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE nitf SYSTEM "nitf.dtd">\n<nitf>'), true);
  assert.equal(looksLikeNitf('\uFEFF<nitf version="-//IPTC//DTD NITF 3.2//EN">'), true);
  assert.equal(looksLikeNitf('<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">'), false);
  assert.equal(looksLikeNitf('<NewsML Version="1.2">'), false);
  assert.equal(looksLikeNitf('plain text'), false);
});

// ---------------------------------------------------------------------------------------------
// Shared corpus: golden values read off each file by hand.

test('corpus nitf/nitf-fishing.xml: management-status canceled, release date, subjects, media, tagline', { skip: corpusSkip('nitf/nitf-fishing.xml') }, () => {
  const xml = corpus('nitf/nitf-fishing.xml');
  assert.equal(looksLikeNitf(xml.slice(0, 2048)), true);
  const item = only(xml);
  assert.equal(item.guid, 'iptc.321656141.b');
  assert.equal(item.status, 'canceled');
  assert.equal(item.title, 'Weather and Tide Updates for Norfolk');
  assert.equal(item.published, '20020225T143000-0500');
  assert.equal(item.embargo, '20020226T093000-0500');
  assert.equal(item.urgency, 3);
  assert.equal(item.provider, 'International Press Telecommunications Council');
  assert.deepEqual(codes(item), ['subj:17000000', 'subj:17004000', 'subj:04001002']);
  assert.deepEqual(item.categories, ['fishing', 'lures', 'tides']);
  assert.deepEqual(item.authors, ['Alan Karben']);
  assert.equal(item.dateline?.text, 'Newport News, VA');
  assert.equal(item.dateline?.city, 'Newport News');
  assert.match(item.summary ?? '', /^Superb weather in Norfolk today\./);
  assert.match(item.editorNote ?? '', /^Today begins an expanded format of this popular column\./);
  assert.equal(item.images?.[0]?.url, 'high-tide.jpg');
  // Six paragraphs of body.content (one inside a block) + the tagline.
  assert.equal(paragraphs(item.contentHtml), 7);
  assert.equal(firstParagraph(item.contentHtml).slice(0, 40), 'The weather was superb today in Norfolk,');
  assert.match(item.contentHtml ?? '', /<ul><li><em>Deer Creek:<\/em>/);
  assert.match(item.contentHtml ?? '', /<p>Stewart Klometers contributed to this article\.<\/p>$/);
});

test('corpus nitf/efe_nitf.xml: EFE, machine story.date is no dateline, abstract over hl2', { skip: corpusSkip('nitf/efe_nitf.xml') }, () => {
  const item = only(corpus('nitf/efe_nitf.xml'));
  assert.equal(item.guid, '22751909');
  assert.equal(item.status, 'usable');
  assert.equal(item.title, 'Honduran president announces Cabinet changes');
  assert.equal(item.summary, 'Test Abstract');
  assert.equal(item.published, '20170102T222800+0000');
  assert.equal(item.embargo, undefined);
  assert.equal(item.urgency, 5);
  assert.equal(item.provider, 'Agencia EFE');
  assert.equal(item.language, 'en-US');
  assert.deepEqual(codes(item), ['subj:11006005', 'efe:F01001000']);
  assert.deepEqual(item.categories, ['HONDURAS GOVERNMENT']);
  assert.equal(item.dateline, undefined);
  assert.equal(paragraphs(item.contentHtml), 1);
  assert.equal(firstParagraph(item.contentHtml), 'Tegucigalpa, Jan 2 (EFE).- Test body.');
});

test('corpus nitf/pa1.xml: PA usable, subjects without names', { skip: corpusSkip('nitf/pa1.xml') }, () => {
  const item = only(corpus('nitf/pa1.xml'));
  assert.equal(item.guid, 'af1f7ad5-5619-49de-84cc-2e608538c77fSSS-3-1');
  assert.equal(item.status, 'usable');
  assert.equal(item.title, 'PA SPORT TRIVIA (OCTOBER 14)');
  assert.equal(item.published, '20151014T043001+0100');
  assert.equal(item.provider, 'PA Sport');
  assert.deepEqual(codes(item), ['subj:04011002', 'subj:10000000', 'subj:15000000', 'subj:15054000']);
  assert.equal(firstParagraph(item.contentHtml), 'ON THIS DAY IN SPORT');
});

test('corpus nitf/nitf-ntb.xml: an image id that is no URL is not an image', { skip: corpusSkip('nitf/nitf-ntb.xml') }, () => {
  const item = only(corpus('nitf/nitf-ntb.xml'));
  assert.equal(item.provider, 'NTB');
  assert.equal(item.language, 'nb-NO');
  assert.equal(item.dateline?.text, 'Oslo');
  assert.equal(item.images, undefined);
});
