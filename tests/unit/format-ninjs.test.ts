import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { looksLikeNinjs, parseNinjs } from '../../src/formats/ninjs.ts';
import type { RawItem } from '../../src/model/raw-item.ts';
import { WireError } from '../../src/model/wire-error.ts';

const OWN = fileURLToPath(new URL('../fixtures/formats/', import.meta.url));
/** Third-party wire copy beside the project (../shared); read only, never copied here. */
const WIRE = fileURLToPath(new URL('../../../shared/corpora/wire/', import.meta.url));
const skip = existsSync(`${WIRE}ninjs`) && existsSync(`${WIRE}ninjs-iptc-spec`) ? false : `no ninjs corpus at ${WIRE} (../shared is absent)`;

const own = (name: string) => readFileSync(`${OWN}${name}`, 'utf8');
const wire = (path: string) => readFileSync(`${WIRE}${path}`, 'utf8');

function only(text: string): RawItem {
  const doc = parseNinjs(text);
  assert.equal(doc.format, 'ninjs');
  assert.equal(doc.items.length, 1);
  return doc.items[0] as RawItem;
}

const paragraphsOfHtml = (html: string | undefined) => (html ?? '').match(/<p>/g)?.length ?? 0;
const codes = (item: RawItem) => (item.subjects ?? []).map((s) => s.code);

function rejects(text: string, code: 'PARSE_ERROR' | 'EMPTY_DOCUMENT', message?: RegExp): void {
  assert.throws(
    () => parseNinjs(text),
    (err: unknown) => err instanceof WireError && err.code === code && (message === undefined || message.test(err.message)),
  );
}

describe('parseNinjs: own fixtures', () => {
  test('an Arabic ninjs 2.x item maps every field', () => {
    assert.deepEqual(only(own('ninjs-ar-2x.json')), {
      guid: 'urn:example:wirefeed:ar:2024-0311-0042',
      version: '3',
      updated: '2024-03-11T07:40:00+03:00',
      published: '2024-03-11T06:15:00Z',
      status: 'usable',
      embargo: '2024-03-11T08:00:00Z',
      urgency: 2,
      // role "main" wins over the first entry (role "sub").
      title: 'مزارعو الواحات يجربون الري بالتنقيط لتوفير المياه',
      summary: 'تجربة جديدة في ثلاث واحات تخفض استهلاك المياه بنحو الثلث.',
      contentHtml:
        '<p>الأقصر – مصر (وكالة المثال) – بدأ مزارعو ثلاث واحات تجربة للري بالتنقيط هذا الموسم.</p><p>وقال أحد المزارعين إن المحصول لم يتأثر حتى الآن.</p>',
      contentText: 'الأقصر – مصر (وكالة المثال) – بدأ مزارعو ثلاث واحات تجربة للري بالتنقيط هذا الموسم.\n\nوقال أحد المزارعين إن المحصول لم يتأثر حتى الآن.',
      authors: ['سلمى الحداد', 'كريم بن علي'],
      subjects: [
        { code: 'medtop:20000210', scheme: 'http://cv.iptc.org/newscodes/mediatopic/', name: 'الزراعة' },
        { code: 'medtop:06000000', scheme: 'medtop', name: 'البيئة' },
        { code: 'oases', name: 'واحات' },
      ],
      categories: ['ري', 'واحات'],
      language: 'ar',
      dateline: { text: 'الأقصر', outlet: null, city: 'الأقصر', country: null, sources: [], agencies: [] },
      provider: 'وكالة المثال للأنباء',
      editorNote: 'تحديث: إضافة تصريح وزير الزراعة في الفقرة الثالثة.',
      slugline: 'زراعة-مياه-واحات',
      // The widest rendition of the picture; the associated text item is no image.
      images: [{ url: 'https://images.example.org/oasis-1200.jpg', caption: 'مزارع يفتح صمام الري في واحة قرب الأقصر.', credit: 'مصور المثال' }],
    });
  });

  test('an array of ninjs 1.x items: canceled and withheld, scheme+code subjects, featuremedia', () => {
    const doc = parseNinjs(own('ninjs-1x-list.json'));
    assert.equal(doc.items.length, 2);
    const [ferry, library] = doc.items as [RawItem, RawItem];
    assert.equal(ferry.guid, 'tag:example.org,2024:harbour-ferry');
    assert.equal(ferry.status, 'canceled');
    assert.equal(ferry.version, '5');
    assert.equal(ferry.urgency, 4, 'a numeric string urgency becomes a number');
    assert.equal(ferry.published, '2024-05-02T09:30:00+0000');
    assert.equal(ferry.updated, '2024-05-02T14:05:00+0000');
    assert.deepEqual(ferry.authors, ['Ada Mensah'], 'the "By" label is not part of the name');
    assert.deepEqual(ferry.subjects, [
      { code: 'medtop:20000304', scheme: 'medtop', name: 'transport' },
      { code: 'subj:04000000', scheme: 'http://cv.iptc.org/newscodes/subjectcode/', name: 'economy, business and finance' },
    ]);
    assert.deepEqual(ferry.categories, ['ferry', 'harbour']);
    assert.equal(ferry.provider, 'Example Wire');
    assert.equal(ferry.dateline?.text, 'Northport');
    assert.deepEqual(ferry.images, [{ url: 'https://media.example.org/ferry.jpg', caption: 'The ferry at its landing stage.', credit: 'Example Wire/J. Ortiz' }]);
    assert.equal(paragraphsOfHtml(ferry.contentHtml), 2);

    assert.equal(library.guid, 'tag:example.org,2024:library-hours');
    assert.equal(library.status, 'withheld');
    assert.equal(library.title, 'Library extends evening hours', 'the BEL control character is dropped');
    assert.equal(library.contentText, 'The central library will open until 9 p.m. on weekdays.');
    assert.equal(library.language, 'en-GB');
    assert.equal(library.dateline, undefined, 'no located field, no dateline');
  });

  test('an object with an items array and the AP Media feed envelope give several items', () => {
    const items = [
      { uri: 'urn:a', headline: 'A' },
      { uri: 'urn:b', headline: 'B' },
    ];
    assert.deepEqual(parseNinjs(JSON.stringify({ items })).items.map((i) => i.guid), ['urn:a', 'urn:b']);
    const ap = { api_version: '2', data: { items: items.map((item) => ({ item })) } };
    assert.deepEqual(parseNinjs(JSON.stringify(ap)).items.map((i) => i.title), ['A', 'B']);
  });

  test('pubstatus spelled "cancelled" and unknown values', () => {
    assert.equal(only(JSON.stringify({ uri: 'u', pubstatus: 'cancelled' })).status, 'canceled');
    assert.equal(only(JSON.stringify({ uri: 'u', pubstatus: 'draft' })).status, undefined);
  });
});

describe('looksLikeNinjs', () => {
  test('claims the own fixtures, from their first kilobyte', () => {
    assert.equal(looksLikeNinjs(own('ninjs-ar-2x.json').slice(0, 1024)), true);
    assert.equal(looksLikeNinjs(own('ninjs-1x-list.json').slice(0, 1024)), true);
    assert.equal(looksLikeNinjs('{"uri": "urn:x", "headlines": [{"value": "h"}]}'), true);
  });

  test('never claims a JSON Feed, other JSON, XML or text', () => {
    const jsonFeed = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Feed',
      items: [{ id: '1', url: 'https://example.org/1', content_html: '<p>x</p>', uri: 'x', pubstatus: 'usable' }],
    });
    assert.equal(looksLikeNinjs(jsonFeed), false);
    assert.equal(looksLikeNinjs('{"name": "package", "version": "1.0.0"}'), false);
    assert.equal(looksLikeNinjs('<?xml version="1.0"?><rss version="2.0"></rss>'), false);
    assert.equal(looksLikeNinjs('Plain wire copy with "uri": and "versioncreated": in it'), false);
    assert.equal(looksLikeNinjs(''), false);
  });
});

describe('parseNinjs: bad input', () => {
  test('0 bytes and whitespace', () => {
    rejects('', 'EMPTY_DOCUMENT');
    rejects(' \n\t', 'EMPTY_DOCUMENT');
  });

  test('truncated JSON is a PARSE_ERROR that gives the position', () => {
    const text = own('ninjs-ar-2x.json');
    rejects(text.slice(0, 200), 'PARSE_ERROR', /position \d+/);
    rejects('{"uri": "x", }', 'PARSE_ERROR', /position \d+/);
  });

  test('random binary is a PARSE_ERROR, never a crash', () => {
    let seed = 7;
    const bytes = Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 256));
    rejects(String.fromCharCode(...bytes), 'PARSE_ERROR');
    rejects(`{${String.fromCharCode(...bytes)}`, 'PARSE_ERROR');
  });

  test('a JSON Feed handed to the ninjs parser is refused', () => {
    rejects(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [{ id: '1', title: 'x' }] }), 'PARSE_ERROR', /JSON Feed/);
  });

  test('a top level that is no object, or objects that are no item', () => {
    rejects('"a string"', 'PARSE_ERROR');
    rejects('42', 'PARSE_ERROR');
    rejects('[]', 'EMPTY_DOCUMENT');
    rejects('[1, "x", null]', 'EMPTY_DOCUMENT');
    rejects('{"error": {"code": 401}}', 'EMPTY_DOCUMENT');
  });

  test('deeply nested JSON', () => {
    const depth = 100_000;
    rejects(`${'['.repeat(depth)}${']'.repeat(depth)}`, 'EMPTY_DOCUMENT');
    rejects(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, 'EMPTY_DOCUMENT');
    // Associations are read one level deep: deep nesting inside them costs nothing.
    const nested = `{"uri": "urn:deep", "associations": ${'{"x": {"associations": '.repeat(depth)}{}${'}}'.repeat(depth)}}`;
    assert.deepEqual(only(nested), { guid: 'urn:deep' });
  });

  test('wrongly typed members are skipped', () => {
    const item = only(JSON.stringify({ uri: 'u', headline: 7, headlines: 'x', bodies: [null, 3, { value: 5 }], subjects: [1, null, {}], urgency: 'high', associations: 'none', by: ['a'] }));
    assert.deepEqual(item, { guid: 'u' });
    assert.equal(only(JSON.stringify({ uri: 42, version: 0, headline: 'h' })).guid, '42', 'numeric identifiers are kept as strings');
  });
});

describe('parseNinjs: shared wire corpus', () => {
  test('ninjs1.json (Superdesk ninjs 1.x)', { skip }, () => {
    const item = only(wire('ninjs/ninjs1.json'));
    assert.equal(item.guid, 'urn:newsml:localhost:2017-08-24T14:37:19.783611:c044162e-7f40-4d04-b700-49b6a66e652c');
    assert.equal(item.version, '2');
    assert.equal(item.status, 'usable');
    assert.equal(item.title, 'headline');
    assert.equal(item.summary, 'abstract');
    assert.equal(item.published, '2017-08-24T04:37:19+0000');
    assert.equal(item.updated, '2017-08-24T04:38:34+0000');
    assert.equal(item.embargo, undefined);
    assert.equal(item.urgency, 3);
    assert.equal(item.provider, 'Australian Associated Press');
    assert.deepEqual(item.subjects, [{ code: '01000000', name: 'arts, culture and entertainment' }]);
    assert.equal(item.language, 'fr');
    assert.equal(item.slugline, 'slugline');
    assert.deepEqual(item.authors, ['Peter', 'Jane']);
    assert.equal(item.editorNote, 'ed note');
    assert.equal(item.dateline?.text, 'Milton Keynes');
    assert.equal(item.contentHtml, '<p>The story so far.</p>');
  });

  test('ninjs2.json (featuremedia association with renditions)', { skip }, () => {
    const item = only(wire('ninjs/ninjs2.json'));
    assert.equal(item.guid, 'tag:localhost:2017:7ca07622-3b19-4d61-8daf-18500412d46b');
    assert.equal(item.version, '4');
    assert.equal(item.status, 'usable');
    assert.equal(item.title, 'Oil prices edge up on first drop in US drilling in months');
    assert.equal(item.published, '2017-07-03T01:38:13+0000');
    assert.equal(item.updated, '2017-08-24T01:58:40+0000');
    assert.equal(item.urgency, 3);
    assert.equal(item.provider, 'Australian Associated Press');
    assert.deepEqual(codes(item), ['04005004']);
    assert.equal(item.language, undefined);
    assert.equal(item.slugline, 'GLOBAL-OIL');
    assert.deepEqual(item.authors, ['Henning Gloystein']);
    assert.equal(item.dateline?.text, 'Singapore');
    assert.equal(paragraphsOfHtml(item.contentHtml), 9);
    assert.ok(item.contentHtml?.startsWith('<p>Oil prices edged up on Monday,\nsupported'));
    assert.deepEqual(item.images, [
      {
        url: 'http://localhost:5000/api/upload-raw/599e31ec1d41c833e0b8a830.jpg',
        caption: 'Oil prices edged up on Monday, supported by the first fall in US drilling activity in month.',
        credit: 'Bebeto Matthews',
      },
    ]);
  });

  test('ninjsExSimpleText1.json (IPTC spec example)', { skip }, () => {
    const item = only(wire('ninjs/ninjsExSimpleText1.json'));
    assert.equal(item.guid, 'http://ninjs.example.com/newsitems/20130709simp123');
    assert.equal(item.version, undefined);
    assert.equal(item.status, undefined);
    assert.equal(item.title, 'Captain of wrecked cruise ship on trial in Italy');
    assert.equal(item.updated, '2013-07-09T10:37:00Z');
    assert.equal(item.published, undefined);
    assert.deepEqual(item.authors, ['Paulo Santalucia', "Frances d'Emilio"]);
    assert.equal(paragraphsOfHtml(item.contentHtml), 4, 'body_xhtml is the HTML body');
    assert.ok(item.contentText?.startsWith('GROSSETO, Italy (AP) -- The trial of the'), 'the dateline stays in the text');
  });

  test('ap_media_text_item.json (AP Media API envelope)', { skip }, () => {
    const item = only(wire('ninjs/ap_media_text_item.json'));
    assert.equal(item.guid, '5ee9b4b40ea5fe9c9ca60f890fb2e1d9', 'altids.itemid, not the uri with its request tokens');
    assert.equal(item.version, '0');
    assert.equal(item.status, 'usable');
    assert.equal(item.title, 'BC-BBN--Top Ten');
    assert.equal(item.published, '2019-07-03T04:05:12Z');
    assert.equal(item.updated, '2019-07-03T04:05:12Z');
    assert.equal(item.urgency, 4);
    assert.equal(item.provider, 'AP');
    assert.equal(item.language, 'en');
    assert.equal(item.slugline, 'BC-BBN--Top Ten');
    assert.deepEqual(item.categories, ['BBN--Top Ten']);
    assert.deepEqual(codes(item), [
      's',
      'http://cv.ap.org/id/94aaa8f88c0c100489d7b9433d2f4c0e',
      'http://cv.ap.org/id/20dd2c287e4e100488e5d0913b2d075c',
      'http://cv.ap.org/id/20d82ae87e4e100488a0d0913b2d075c',
      'http://cv.ap.org/id/54df6c687df7100483dedf092526b43e',
      'http://cv.ap.org/id/039d42210158410db74f393deea38897',
    ]);
    // The story itself is only linked (NITF and ANPA downloads), not inline.
    assert.equal(item.contentHtml, undefined);
    assert.equal(item.contentText, undefined);
  });

  test('dpa_text_2.1.json (ninjs 2.x, German)', { skip }, () => {
    const item = only(wire('ninjs-iptc-spec/dpa_text_2.1.json'));
    assert.equal(item.guid, 'urn:newsml:dpa.com:20090101:190510-99-167362');
    assert.equal(item.version, '2');
    assert.equal(item.status, 'usable');
    assert.equal(item.title, 'Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?');
    assert.equal(item.updated, '2019-05-10T16:02:28+02:00');
    assert.equal(item.published, undefined);
    assert.equal(item.urgency, 4);
    assert.equal(item.provider, 'dpa');
    assert.equal(item.language, 'de');
    assert.deepEqual(item.authors, ['Christian Hollmann, dpa'], 'the German "Von" label is dropped');
    assert.equal(paragraphsOfHtml(item.contentHtml), 9);
    assert.ok(item.contentHtml?.startsWith('<section class="main"><p>Für Lucien Favre war es'));
  });

  test('ntb_text_2.1.json (ninjs 2.x, Norwegian, literal subjects)', { skip }, () => {
    const item = only(wire('ninjs-iptc-spec/ntb_text_2.1.json'));
    assert.equal(item.guid, 'urn:8d19cf88-b3ab-4972-8fec-1207599f2872');
    assert.equal(item.version, '6');
    assert.equal(item.status, 'usable');
    assert.equal(item.title, 'Google har kjøpt giganttomt i Skien');
    assert.equal(item.published, '2019-08-09T09:30:04Z');
    assert.equal(item.updated, '2019-08-09T09:46:53Z');
    assert.equal(item.urgency, 5);
    assert.equal(item.provider, 'NTB');
    assert.equal(item.language, 'nb-NO');
    assert.equal(item.slugline, 'skien-google');
    assert.equal(item.editorNote, 'Noe utvidet.');
    assert.deepEqual(item.authors, ['NTB']);
    assert.deepEqual(codes(item), ['Innenriks', '13010000', '04011000', '04005000']);
    assert.ok(item.summary?.startsWith('IT-giganten Google har kjøpt en tomt'));
    assert.equal(item.dateline, undefined, 'places are not a dateline');
  });

  test('looksLikeNinjs claims every corpus ninjs file and no other JSON there', { skip }, () => {
    for (const f of ['ninjs/ninjs1.json', 'ninjs/ninjs2.json', 'ninjs/ninjsExSimpleText1.json', 'ninjs/ap_media_text_item.json', 'ninjs-iptc-spec/dpa_text_2.1.json', 'ninjs-iptc-spec/ntb_text_2.1.json']) {
      assert.equal(looksLikeNinjs(wire(f)), true, f);
    }
    assert.equal(looksLikeNinjs(wire('ninjs-iptc-spec/ninjs-schema_2.2.json')), false, 'the JSON schema is not an item');
  });
});
