import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeNewsml1, parseNewsml1 } from '../../src/formats/newsml-1.ts';
import type { RawItem } from '../../src/model/raw-item.ts';
import { isWireError } from '../../src/model/wire-error.ts';
import { codes, corpus, corpusSkip, firstParagraph, own, paragraphs } from '../helpers/wire-fixtures.ts';


const only = (xml: string): RawItem => {
  const doc = parseNewsml1(xml);
  assert.equal(doc.format, 'newsml-1.2');
  assert.equal(doc.items.length, 1);
  return doc.items[0] as RawItem;
};
const startsWith = (actual: string | undefined, expected: string) => assert.equal((actual ?? '').slice(0, expected.length), expected);
const rejects = (fn: () => unknown, code: string, message?: RegExp) =>
  assert.throws(fn, (err: unknown) => isWireError(err) && err.code === code && (message === undefined || message.test(err.message)));

test('own fixture newsml-1-fr-lyon.xml: every mapped field', () => {
  const xml = own('newsml-1-fr-lyon.xml');
  assert.equal(looksLikeNewsml1(xml.slice(0, 2048)), true);
  const item = only(xml);
  assert.equal(item.guid, 'urn:newsml:agence-exemple.test:20240918:LYON-VELO:2');
  assert.equal(item.version, '2');
  assert.equal(item.published, '20240918T091000+0200');
  assert.equal(item.updated, '20240918T121000+0200');
  assert.equal(item.status, 'canceled');
  assert.equal(item.urgency, 3);
  assert.equal(item.title, 'Lyon ouvre une nouvelle piste cyclable le long du Rhône');
  assert.equal(item.summary, 'Quatre kilomètres de voie protégée entre deux ponts');
  assert.equal(item.slugline, 'France-transports-vélo');
  assert.deepEqual(item.authors, ['Claire Martin']);
  assert.equal(item.provider, '© 2024 Agence Exemple'); // no Provider party: the copyright line
  assert.equal(item.language, 'fr');
  assert.deepEqual(item.dateline, { text: 'LYON, 18 sept 2024 (Exemple) -', outlet: null, city: 'Lyon', country: 'FRA', sources: [], agencies: [] });
  assert.deepEqual(item.subjects, [
    { code: 'subj:04000000', scheme: 'subj' },
    { code: 'subj:04015000', scheme: 'subj' },
  ]);
  assert.deepEqual(item.categories, ['vélo', 'urbanisme']);
  assert.equal(paragraphs(item.contentHtml), 3);
  assert.equal(firstParagraph(item.contentHtml), 'La métropole de Lyon a inauguré mercredi une piste cyclable de quatre kilomètres sur la rive gauche du Rhône.');
  assert.match(item.contentHtml ?? '', /ont duré été comme hiver/);
});

test('truncated, empty and foreign documents', () => {
  const xml = own('newsml-1-fr-lyon.xml');
  rejects(() => parseNewsml1(xml.slice(0, xml.indexOf('</NewsLines>'))), 'PARSE_ERROR', /line \d+, column \d+/);
  rejects(() => parseNewsml1(''), 'EMPTY_DOCUMENT');
  rejects(() => parseNewsml1('\n  \n'), 'EMPTY_DOCUMENT');
  rejects(() => parseNewsml1('<NewsML><NewsEnvelope/></NewsML>'), 'EMPTY_DOCUMENT');
  rejects(() => parseNewsml1('<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"/>'), 'NOT_A_FEED');
});

test('odd input does not crash; plain-text and CDATA HTML bodies; hostile markup is not carried', () => {
  const plain = only(
    '<NewsML><NewsItem><Identification/><NewsManagement><Status/></NewsManagement><NewsComponent><NewsLines><HeadLine/></NewsLines>' +
      '<DescriptiveMetadata><SubjectCode><Subject/></SubjectCode></DescriptiveMetadata>' +
      '<ContentItem><MediaType FormalName="Text"/><DataContent>Line one.\n\nLine two.</DataContent></ContentItem></NewsComponent></NewsItem></NewsML>',
  );
  assert.equal(plain.title, undefined);
  assert.equal(plain.status, undefined);
  assert.equal(plain.subjects, undefined);
  assert.equal(plain.contentText, 'Line one.\n\nLine two.');

  const html = only(
    '<NewsML><NewsItem><NewsComponent><NewsLines><HeadLine>H</HeadLine></NewsLines><ContentItem><Format FormalName="HTML"/>' +
      '<DataContent><![CDATA[<P onclick="x()">One</P><script>alert(1)</script><P>Two</P>]]></DataContent></ContentItem></NewsComponent></NewsItem></NewsML>',
  );
  assert.equal(html.contentHtml, '<p>One</p>\n<p>Two</p>');
});

test('looksLikeNewsml1 takes the NewsML root only', () => {
  assert.equal(looksLikeNewsml1('<?xml version="1.0" encoding="iso-8859-1"?>\n<NewsML>'), true);
  assert.equal(looksLikeNewsml1('<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">'), false);
  assert.equal(looksLikeNewsml1('<nitf>'), false);
});

// ---------------------------------------------------------------------------------------------
// Shared corpus: golden values read off each file by hand.

test('corpus newsml-1.2/afp.xml: AFP English, NITF DataContent, Location origin', { skip: corpusSkip('newsml-1.2/afp.xml') }, () => {
  const xml = corpus('newsml-1.2/afp.xml');
  assert.equal(looksLikeNewsml1(xml.slice(0, 2048)), true);
  const item = only(xml);
  assert.equal(item.guid, 'urn:newsml:afp.com:20140829T135002Z:TX-PAR-FXW86:1');
  assert.equal(item.version, '1');
  assert.equal(item.published, '20140829T134951+0000');
  assert.equal(item.updated, '20140829T134951+0000');
  assert.equal(item.status, 'usable');
  assert.equal(item.urgency, 4);
  assert.equal(item.title, 'Sweden court accepts receivership for Saab carmaker');
  assert.equal(item.slugline, 'Sweden-SAAB');
  assert.equal(item.provider, 'AFP');
  assert.equal(item.language, 'en');
  assert.deepEqual(item.dateline, { text: 'STOCKHOLM, Aug 29, 2014 (AFP) -', outlet: null, city: 'Stockholm', country: 'SWE', sources: [], agencies: [] });
  assert.deepEqual(codes(item), ['subj:04011002', 'subj:04016007', 'subj:04000000', 'subj:04016038', 'subj:04011000']);
  assert.deepEqual(item.categories, ['Sweden', 'China', 'auto', 'business', 'bankruptcy', 'Saab']);
  assert.equal(paragraphs(item.contentHtml), 10);
  startsWith(firstParagraph(item.contentHtml), "A Chinese-owned company set up to take over Saab's");
});

test('corpus newsml-1.2/afp20.xml: AFP French, bare <p> DataContent in a nested component', { skip: corpusSkip('newsml-1.2/afp20.xml') }, () => {
  const item = only(corpus('newsml-1.2/afp20.xml'));
  assert.equal(item.guid, 'urn:newsml:afp.com:20240710:240710125902.qpsp2jzk:1');
  assert.equal(item.version, '1');
  assert.equal(item.published, '20240710T125902Z');
  assert.equal(item.updated, '20240710T125902Z');
  assert.equal(item.status, 'usable');
  assert.equal(item.title, "Décès de Naomi Musenga: l'opératrice du Samu définitivement condamnée");
  assert.equal(item.dateline?.text, 'Strasbourg, 10 juil 2024 (AFP)');
  assert.equal(item.slugline, 'procès-santé-secours');
  assert.equal(item.provider, 'AFP');
  assert.equal(item.language, 'fr');
  assert.equal(item.subjects, undefined);
  assert.equal(paragraphs(item.contentHtml), 2);
  startsWith(firstParagraph(item.contentHtml), "L'opératrice du Samu condamnée pour non-assistance");
});

test('corpus newsml-1.2/ana1.xml: ANA-MPE, CDATA HTML body, subject names from the TopicSet', { skip: corpusSkip('newsml-1.2/ana1.xml') }, () => {
  const item = only(corpus('newsml-1.2/ana1.xml'));
  assert.equal(item.guid, 'urn:newsml:ana-mpe.gr:20180404:19336333:1');
  assert.equal(item.published, '20180404T175859+0300');
  assert.equal(item.status, 'usable');
  assert.equal(item.title, 'Wage employment balance positive in Jan-March');
  assert.equal(item.dateline?.text, '4/4/2018');
  assert.equal(item.dateline?.city, 'Athens');
  assert.equal(item.language, 'EN');
  assert.equal(item.provider, 'ΑΠΕ-ΜΠΕ');
  assert.deepEqual(item.subjects, [
    { code: 'subj:09003000', scheme: 'subj', name: 'Employment/Unemployment' },
    { code: 'subj:09003002', scheme: 'subj', name: 'Job Layoffs' },
    { code: 'subj:04008004', scheme: 'subj', name: 'Economic Indicator' },
  ]);
  assert.equal(paragraphs(item.contentHtml), 4); // five <P>: the fourth holds only a space
  startsWith(firstParagraph(item.contentHtml), 'Wage employment in the private sector grew in March');
});
