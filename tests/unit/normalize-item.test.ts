import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePlainText } from '../../src/formats/plain-text.ts';
import type { RawItem } from '../../src/model/raw-item.ts';
import { isWireError } from '../../src/model/wire-error.ts';
import { BODY_CAP, HEADLINE_CAP, normalizeItem, type NormalizeContext } from '../../src/normalize/normalize-item.ts';

/** A story known only by its day: timed in the minute after noon UTC of that day. */
const noonOf = (day: string) => new RegExp(`^${day}T12:00:[0-5]\\d\\.\\d{3}Z$`);

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/wire/${name}`, import.meta.url), 'utf8');

const firstItem = (name: string): RawItem => {
  const item = parsePlainText(fixture(name)).items[0];
  assert.ok(item);
  return item;
};

const NOW = new Date('2020-04-11T08:00:00.000Z');
const LATER = new Date('2020-05-01T00:00:00.000Z');
const ctx = (extra: Partial<NormalizeContext> = {}): NormalizeContext => ({ sourceId: 'seed', now: NOW, ...extra });

describe('normalizeItem: the Arabic seed', () => {
  const seed = firstItem('seed-ar-kremlin.txt');
  const record = normalizeItem(seed, ctx());
  const paragraphs = record.bodyText.split('\n\n');

  it('detects Arabic, right to left', () => {
    assert.equal(record.language, 'ar');
    assert.equal(record.direction, 'rtl');
  });

  it('lifts the dateline out of the copy', () => {
    assert.deepEqual(record.dateline, {
      text: 'أخبار الآن | موسكو – روسيا (وكالات)',
      outlet: 'أخبار الآن',
      city: 'موسكو',
      country: 'روسيا',
      sources: ['وكالات'],
      agencies: [{ code: 'agencies', raw: 'وكالات' }],
    });
  });

  it('turns the image credit and the read-also trailer into images and related', () => {
    assert.deepEqual(record.images, [{ url: null, caption: null, credit: 'REUTERS' }]);
    assert.deepEqual(record.related, [
      { title: 'الاتحاد الأوروبي يعقد قمة في 23 نيسان/أبريل لبحث الانتعاش الاقتصادي', url: null },
    ]);
  });

  it('keeps dateline and trailers out of the body', () => {
    for (const body of [record.bodyText, record.bodyHtml]) {
      for (const gone of ['أخبار الآن', 'وكالات', 'مصدر الصورة', 'REUTERS', 'إقرأ أيضاً', 'الاتحاد الأوروبي يعقد قمة']) {
        assert.ok(!body.includes(gone), `body still holds ${gone}`);
      }
    }
  });

  it('has the 14 story paragraphs, in text and in HTML', () => {
    assert.equal(paragraphs.length, 14);
    assert.equal(
      paragraphs[0],
      'أعلن الكرملين، الجمعة، أن الرئيس الروسي فلاديمير بوتين بحث عبر الهاتف مع نظيره الأمريكي دونالد ترامب الوضع في سوق النفط، وتخفيض الإنتاج في إطار “أوبك+”.',
    );
    assert.equal(
      paragraphs[13],
      'وأرسلت موسكو الأسبوع الماضي طائرة عسكرية تحمل مساعدات ومعدات طبية إلى نيويورك مركز بؤرة فيروس كورونا في الولايات المتحدة.',
    );
    assert.equal(record.bodyHtml.match(/<p>/g)?.length, 14);
    assert.ok(record.bodyHtml.startsWith('<p>أعلن الكرملين، الجمعة،'));
    assert.ok(record.bodyHtml.endsWith('في الولايات المتحدة.</p>'));
  });

  it('makes a headline from the lede, cut at a clause boundary within 140 characters', () => {
    // The first sentence runs to 152 characters; the last "،" before the limit ends "… سوق النفط".
    assert.equal(
      record.headline,
      'أعلن الكرملين، الجمعة، أن الرئيس الروسي فلاديمير بوتين بحث عبر الهاتف مع نظيره الأمريكي دونالد ترامب الوضع في سوق النفط…',
    );
  });

  it('summarizes with the first paragraph', () => {
    assert.equal(record.summary, paragraphs[0]);
  });

  it('dates the seed by the weekday of its lede: الجمعة before a Saturday reception is the day before', () => {
    // The copy carries no absolute date, but "أعلن الكرملين، الجمعة" names the day of the news
    // (wire style); received Saturday 2020-04-11 08:00Z, that Friday is 2020-04-10 (day precision,
    // timed at noon UTC). Before weekday resolution this fell back to the reception time.
    assert.match(record.published, noonOf('2020-04-10'));
    assert.match(record.updated, noonOf('2020-04-10'));
  });

  it('keeps the reception time when the copy names no day at all', () => {
    const undated = normalizeItem({ contentText: 'أعلن الكرملين أن الرئيس الروسي بحث الوضع في سوق النفط.' }, ctx());
    assert.equal(undated.published, NOW.toISOString());
  });

  it('never takes a relative weekday or a full date of the lede for the publication day', () => {
    for (const lede of ['قال الكرملين إن الاتفاق أبرم الجمعة الماضي.', 'وهي المكالمة الثانية منذ اتصالهما في 30 آذار/مارس.']) {
      assert.equal(normalizeItem({ contentText: lede }, ctx()).published, NOW.toISOString(), lede);
    }
  });

  it('prefers the format\'s own date, then the dateline\'s, to a weekday', () => {
    const own = normalizeItem({ contentText: 'أعلن الكرملين، الجمعة، أن المحادثات مستمرة.', published: '2020-04-10T15:30:00Z' }, ctx());
    assert.equal(own.published, '2020-04-10T15:30:00.000Z');
    const dated = normalizeItem({ contentText: 'بيروت، 8 نيسان/أبريل 2020 (أ ف ب) - قال الجيش الخميس إن الوضع هادئ.' }, ctx());
    assert.match(dated.published, noonOf('2020-04-08'));
    const yearless = normalizeItem({ contentText: 'LONDON, April 9 (Reuters) - Shares fell on Thursday.' }, ctx());
    assert.match(yearless.published, noonOf('2020-04-09'));
  });

  it('derives guid and id from the content, stable across runs', () => {
    assert.match(record.guid, /^urn:wirefeed:seed:[0-9a-f]{32}$/);
    assert.match(record.id, /^[0-9a-f]{32}$/);
    assert.equal(record.url, null);
    assert.equal(record.sourceId, 'seed');
    assert.deepEqual(record.topics, []);
    assert.deepEqual(record.keywords, []);
    assert.deepEqual(record.authors, []);
  });

  it('gives the same id and contentHash when normalized again at a later time', () => {
    // LATER (2020-05-01 00:00Z) is itself a Friday, so الجمعة resolves to that day, timed no later
    // than the reception; dates resolved against the reception time stay out of the hash.
    const again = normalizeItem(firstItem('seed-ar-kremlin.txt'), ctx({ now: LATER }));
    assert.equal(again.published, '2020-05-01T00:00:00.000Z');
    assert.equal(again.id, record.id);
    assert.equal(again.guid, record.guid);
    assert.match(record.contentHash, /^[0-9a-f]{64}$/);
    assert.equal(again.contentHash, record.contentHash);
  });

  it('gives the same record for CRLF copy', () => {
    const crlf = normalizeItem({ contentText: fixture('seed-ar-kremlin.txt').replace(/\n/g, '\r\n') }, ctx());
    assert.equal(crlf.id, record.id);
    assert.equal(crlf.contentHash, record.contentHash);
  });

  it('changes the contentHash when the copy changes', () => {
    const edited = normalizeItem(
      { contentText: fixture('seed-ar-kremlin.txt').replace('الجمعة', 'الخميس') },
      ctx(),
    );
    assert.notEqual(edited.contentHash, record.contentHash);
  });
});

describe('normalizeItem: English and French wire copy', () => {
  it('handles AP copy: inline dateline, Photo: and Read more: trailers', () => {
    const record = normalizeItem(firstItem('en-ap-senate.txt'), ctx({ sourceId: 'ap' }));
    assert.equal(record.headline, 'Senate passes stopgap bill hours before shutdown deadline');
    assert.equal(record.language, 'en');
    assert.equal(record.direction, 'ltr');
    assert.deepEqual(record.dateline, {
      text: 'WASHINGTON (AP)',
      outlet: null,
      city: 'WASHINGTON',
      country: null,
      sources: ['AP'],
      agencies: [{ code: 'AP', raw: 'AP' }],
    });
    assert.deepEqual(record.images, [{ url: null, caption: null, credit: 'AP' }]);
    assert.deepEqual(record.related, [{ title: 'House leaders weigh next steps on the budget', url: null }]);
    const paragraphs = record.bodyText.split('\n\n');
    assert.equal(paragraphs.length, 3);
    assert.ok(paragraphs[0]?.startsWith('The Senate voted 52-48 on Thursday'));
    assert.ok(!record.bodyText.includes('Photo:') && !record.bodyText.includes('Read more'));
    assert.equal(
      record.summary,
      'The Senate voted 52-48 on Thursday to approve a short-term spending bill, sending the measure to the House only hours before a midnight deadline.',
    );
    // "voted … on Thursday" in the lede names the day of the news: the Thursday before the
    // Saturday reception (it was the reception time before weekday resolution).
    assert.match(record.published, noonOf('2020-04-09'));
  });

  it('handles AFP copy: dated dateline, Crédit photo : and Lire aussi : trailers', () => {
    const record = normalizeItem(firstItem('fr-afp-confinement.txt'), ctx({ sourceId: 'afp' }));
    assert.equal(record.language, 'fr');
    assert.deepEqual(record.dateline, {
      text: 'PARIS, 10 avril 2020 (AFP)',
      outlet: null,
      city: 'PARIS',
      country: null,
      sources: ['AFP'],
      agencies: [{ code: 'AFP', raw: 'AFP' }],
    });
    assert.deepEqual(record.images, [{ url: null, caption: null, credit: 'AFP' }]);
    assert.deepEqual(record.related, [{ title: 'Les hôpitaux de la région parisienne sous tension', url: null }]);
    const paragraphs = record.bodyText.split('\n\n');
    assert.equal(paragraphs.length, 3);
    assert.ok(paragraphs[0]?.startsWith('Le gouvernement a annoncé vendredi'));
    assert.ok(!record.bodyText.includes('Crédit') && !record.bodyText.includes('Lire aussi'));
    // The copy carries no timestamp, but the dateline names the day.
    assert.match(record.published, noonOf('2020-04-10'));
    const later = normalizeItem(firstItem('fr-afp-confinement.txt'), ctx({ sourceId: 'afp', now: LATER }));
    assert.match(later.published, noonOf('2020-04-10'));
    assert.equal(later.contentHash, record.contentHash);
  });
});

describe('normalizeItem: feed items with HTML', () => {
  const item: RawItem = {
    guid: 'tag:example.com,2020:oil-1',
    url: '/news/2020/04/10/oil',
    title: 'Oil &amp; gas: <b>OPEC+</b> agrees   cuts',
    summary: '<p>WASHINGTON (AP) — Oil producers agreed on Thursday to cut output.</p>',
    contentHtml: `<div><p><strong>WASHINGTON (AP)</strong> — Oil producers agreed on <a href="/opec">Thursday</a> to cut output.<script>alert(1)</script></p>
      <p>&nbsp;</p>
      <h1>Background</h1>
      <p onclick="steal()">The deal <img src="data:image/png;base64,AAAA" alt="x"><img src="/img/a.jpg" onerror="alert(1)" alt="chart"> follows <a href="javascript:alert(1)">weeks</a> of talks.</p>
      <p>Photo: Reuters</p>
      <p>Read more:</p>
      <ul><li><a href="https://example.com/a">Prices jump</a></li><li><a href="/b">Russia and Saudi Arabia agree</a></li></ul>
    </div>`,
    published: 'Fri, 10 Apr 2020 12:00:00 EDT',
    updated: '2020-04-10T18:30:00Z',
    authors: [' Jane Doe ', 'jane doe', 'John Roe'],
    categories: ['Energy', ' energy ', 'Oil', ''],
    images: [{ url: '/img/lead.jpg', caption: 'Pumps', credit: null }],
  };
  const context = ctx({ sourceId: 'ap-energy', baseUrl: 'https://example.com/feed.xml' });
  const record = normalizeItem(item, context);

  it('sanitizes the body, makes links absolute and lifts dateline and trailers', () => {
    assert.equal(
      record.bodyHtml,
      '<p>Oil producers agreed on <a href="https://example.com/opec">Thursday</a> to cut output.</p>\n' +
        '<h2>Background</h2>\n' +
        '<p>The deal <img src="https://example.com/img/a.jpg" alt="chart"> follows weeks of talks.</p>',
    );
    assert.equal(record.bodyText, 'Oil producers agreed on Thursday to cut output.\n\nBackground\n\nThe deal follows weeks of talks.');
    assert.deepEqual(record.dateline, { text: 'WASHINGTON (AP)', outlet: null, city: 'WASHINGTON', country: null, sources: ['AP'], agencies: [{ code: 'AP', raw: 'AP' }] });
    assert.deepEqual(record.related, [
      { title: 'Prices jump', url: 'https://example.com/a' },
      { title: 'Russia and Saudi Arabia agree', url: 'https://example.com/b' },
    ]);
  });

  it('gives the credit found in the copy to the feed image that had none', () => {
    assert.deepEqual(record.images, [{ url: 'https://example.com/img/lead.jpg', caption: 'Pumps', credit: 'Reuters' }]);
  });

  it('cleans headline, summary, authors and keywords', () => {
    assert.equal(record.headline, 'Oil & gas: OPEC+ agrees cuts');
    assert.equal(record.summary, 'Oil producers agreed on Thursday to cut output.');
    assert.deepEqual(record.authors, ['Jane Doe', 'John Roe']);
    assert.deepEqual(record.keywords, ['Energy', 'Oil']);
  });

  it('reads the dates the item carries', () => {
    assert.equal(record.published, '2020-04-10T16:00:00.000Z');
    assert.equal(record.updated, '2020-04-10T18:30:00.000Z');
  });

  it('uses the guid and the absolute url', () => {
    assert.equal(record.guid, 'tag:example.com,2020:oil-1');
    assert.equal(record.url, 'https://example.com/news/2020/04/10/oil');
    assert.equal(record.language, 'en');
  });

  it('gives equal guids from different sources different ids, and the same id on every run', () => {
    assert.equal(normalizeItem(item, context).id, record.id);
    assert.notEqual(normalizeItem(item, { ...context, sourceId: 'other' }).id, record.id);
  });

  it('falls back to the url as guid', () => {
    const { guid: _guid, ...withoutGuid } = item;
    assert.equal(normalizeItem(withoutGuid, context).guid, 'https://example.com/news/2020/04/10/oil');
  });

  it('keeps a figure whose caption reads like a credit', () => {
    const r = normalizeItem(
      { title: 'T', contentHtml: '<p>Body text.</p><figure><img src="https://example.com/a.jpg" alt="Smoke"><figcaption>Photo: Reuters</figcaption></figure>' },
      ctx(),
    );
    assert.equal(
      r.bodyHtml,
      '<p>Body text.</p>\n<figure><img src="https://example.com/a.jpg" alt="Smoke"><figcaption>Photo: Reuters</figcaption></figure>',
    );
    assert.deepEqual(r.images, []);
  });

  it('lifts a dateline standing in its own paragraph or line of an HTML body', () => {
    const own = normalizeItem(
      { contentHtml: '<p>أخبار الآن | موسكو – روسيا (وكالات)</p><p>أعلن الكرملين أن المحادثات مستمرة.</p>' },
      ctx(),
    );
    assert.equal(own.dateline?.city, 'موسكو');
    assert.equal(own.bodyHtml, '<p>أعلن الكرملين أن المحادثات مستمرة.</p>');
    const line = normalizeItem(
      { contentHtml: '<p>أخبار الآن | موسكو – روسيا (وكالات)<br>أعلن الكرملين أن المحادثات مستمرة.</p>' },
      ctx(),
    );
    assert.equal(line.dateline?.text, 'أخبار الآن | موسكو – روسيا (وكالات)');
    assert.equal(line.bodyHtml, '<p>أعلن الكرملين أن المحادثات مستمرة.</p>');
    assert.equal(line.bodyText, 'أعلن الكرملين أن المحادثات مستمرة.');
  });

  it('rejects non-web urls', () => {
    const r = normalizeItem({ ...item, url: 'javascript:alert(1)' }, context);
    assert.equal(r.url, null);
  });
});

describe('normalizeItem: dates', () => {
  const base: RawItem = { title: 'Markets close higher', contentText: 'Stocks rose on Friday.' };

  it('uses updated when published is missing or unparseable', () => {
    const r = normalizeItem({ ...base, published: 'not a date', updated: '2020-04-10T14:00:00+02:00' }, ctx());
    assert.equal(r.published, '2020-04-10T12:00:00.000Z');
    assert.equal(r.updated, '2020-04-10T12:00:00.000Z');
  });

  it('never reports an update before publication', () => {
    const r = normalizeItem({ ...base, published: '2020-04-10T12:00:00Z', updated: '2020-04-09T12:00:00Z' }, ctx());
    assert.equal(r.updated, '2020-04-10T12:00:00.000Z');
  });

  it('includes document dates in the contentHash', () => {
    const a = normalizeItem({ ...base, published: '2020-04-10T12:00:00Z' }, ctx());
    const b = normalizeItem({ ...base, published: '2020-04-10T13:00:00Z' }, ctx());
    assert.notEqual(a.contentHash, b.contentHash);
    assert.equal(normalizeItem({ ...base, published: '2020-04-10T12:00:00Z' }, ctx({ now: LATER })).contentHash, a.contentHash);
  });
});

describe('normalizeItem: language', () => {
  const english: RawItem = { contentText: 'The central bank raised interest rates by half a point on Wednesday, its third increase this year.' };

  it('lets the source hint win over what the item declares and what detection finds', () => {
    const r = normalizeItem({ ...english, language: 'en' }, ctx({ languageHint: 'AR' }));
    assert.equal(r.language, 'ar');
    assert.equal(r.direction, 'rtl');
  });

  it('prefers the item language, then the document language, keeping a region', () => {
    assert.equal(normalizeItem({ ...english, language: 'fr_FR' }, ctx({ document: { language: 'de' } })).language, 'fr-FR');
    assert.equal(normalizeItem(english, ctx({ document: { language: 'ar-SA' } })).language, 'ar-SA');
    assert.equal(normalizeItem(english, ctx({ document: { language: 'ar-SA' } })).direction, 'rtl');
  });

  it('detects when nothing is declared', () => {
    assert.equal(normalizeItem(english, ctx()).language, 'en');
  });
});

describe('normalizeItem: text hygiene and edge cases', () => {
  it('normalizes to NFC, drops control characters and collapses spaces', () => {
    const r = normalizeItem(
      { title: 'Caf\u0065\u0301   au\u0007 lait', contentText: 'Le  caf\u0065\u0301\u00A0\u00A0est  servi.\u0000\n\nSecond paragraphe.' },
      ctx(),
    );
    assert.equal(r.headline, 'Café au lait');
    assert.equal(r.bodyText, 'Le café est servi.\n\nSecond paragraphe.');
    assert.equal(r.bodyHtml, '<p>Le café est servi.</p>\n<p>Second paragraphe.</p>');
  });

  it('escapes text bodies in HTML', () => {
    const r = normalizeItem({ contentText: 'Profits rose 5% at AT&T <b>as expected</b>.' }, ctx());
    assert.equal(r.bodyHtml, '<p>Profits rose 5% at AT&amp;T &lt;b&gt;as expected&lt;/b&gt;.</p>');
    assert.equal(r.bodyText, 'Profits rose 5% at AT&T <b>as expected</b>.');
  });

  it('joins hard-wrapped lines and reads unwrapped lines as paragraphs', () => {
    const wrapped = normalizeItem({ contentText: 'The minister said on Monday that the\ngovernment would act.\n\nNext paragraph.' }, ctx());
    assert.equal(wrapped.bodyText, 'The minister said on Monday that the government would act.\n\nNext paragraph.');
    const perLine = normalizeItem({ contentText: 'First paragraph.\nSecond paragraph.\nThird paragraph.' }, ctx());
    assert.equal(perLine.bodyText, 'First paragraph.\n\nSecond paragraph.\n\nThird paragraph.');
  });

  it('keeps a structural dateline and still lifts its copy from the body', () => {
    const dateline = { text: 'MOSCOW, Monday (Reuters)', outlet: null, city: 'Moscow', country: 'Russia', sources: ['Reuters'], agencies: [{ code: 'Reuters', raw: 'Reuters' }] };
    const r = normalizeItem(
      { dateline, contentText: 'MOSCOW, Monday (Reuters) - The Kremlin said talks would go on.\n\nMore copy.' },
      ctx(),
    );
    assert.deepEqual(r.dateline, dateline);
    assert.equal(r.bodyText, 'The Kremlin said talks would go on.\n\nMore copy.');
  });

  it('keeps a title-only item, with empty body and summary', () => {
    const r = normalizeItem({ title: 'Earthquake hits northern Chile' }, ctx());
    assert.equal(r.headline, 'Earthquake hits northern Chile');
    assert.equal(r.bodyHtml, '');
    assert.equal(r.bodyText, '');
    assert.equal(r.summary, '');
  });

  it('uses a plain-text summary as the body when there is no content', () => {
    const r = normalizeItem({ title: 'Rain expected', summary: 'Heavy rain is expected across the north on Sunday.' }, ctx());
    assert.equal(r.bodyHtml, '<p>Heavy rain is expected across the north on Sunday.</p>');
    assert.equal(r.summary, 'Heavy rain is expected across the north on Sunday.');
  });

  it('throws EMPTY_DOCUMENT for an item with neither title nor body', () => {
    for (const raw of [{}, { title: '  ', contentText: ' \n\u00A0\n' }, { contentHtml: '<p><script>x()</script></p>' }] as RawItem[]) {
      assert.throws(
        () => normalizeItem(raw, ctx()),
        (err: unknown) => isWireError(err) && err.code === 'EMPTY_DOCUMENT',
      );
    }
  });

  it('tolerates nulls and numbers where a JSON document put them', () => {
    const raw = { guid: 42, title: null, contentText: 'Body text here.', authors: [null, 'A. Writer'] } as unknown as RawItem;
    const r = normalizeItem(raw, ctx());
    assert.equal(r.guid, '42');
    assert.deepEqual(r.authors, ['A. Writer']);
  });
});

describe('normalizeItem: caps on runaway input (issue 9, item 7)', () => {
  const sentence = 'The committee met again on Tuesday and the talks went on late into the night. ';
  const para = (n: number) => `${n}. ${sentence.repeat(12).trim()}`;

  it('cuts a 1 MB headline at a word, with an ellipsis, to the headline cap', () => {
    const title = 'Breaking news '.repeat(75_000);
    const r = normalizeItem({ title, contentText: 'Body.' }, ctx());
    assert.ok(r.headline.length <= HEADLINE_CAP, `${r.headline.length}`);
    assert.ok(r.headline.length > HEADLINE_CAP - 20);
    assert.ok(r.headline.endsWith('…'));
    assert.ok(title.startsWith(`${r.headline.slice(0, -1)} `), 'cut after a whole word');
  });

  it('keeps a headline under the cap untouched', () => {
    const title = 'ا'.repeat(HEADLINE_CAP);
    assert.equal(normalizeItem({ title, contentText: 'نص.' }, ctx()).headline, title);
  });

  const cases: Array<{ name: string; item: RawItem }> = [
    { name: 'a text body', item: { title: 't', contentText: Array.from({ length: 2000 }, (_, i) => para(i)).join('\n\n') } },
    { name: 'an HTML body', item: { title: 't', contentHtml: Array.from({ length: 2000 }, (_, i) => `<p><b>${para(i)}</b></p>`).join('') } },
    { name: 'one huge paragraph', item: { title: 't', contentText: sentence.repeat(20_000) } },
  ];
  for (const { name, item } of cases) {
    it(`cuts ${name} past the body cap: whole paragraphs, the last ending with …, HTML matching the text`, () => {
      const r = normalizeItem(item, ctx());
      assert.ok(r.bodyText.length <= BODY_CAP, `${r.bodyText.length}`);
      assert.ok(r.bodyText.length > BODY_CAP - 1000, `${r.bodyText.length}`);
      assert.ok(r.bodyText.endsWith('…'));
      const paragraphs = r.bodyText.split('\n\n');
      assert.equal(r.bodyHtml, paragraphs.map((p) => `<p>${p}</p>`).join('\n'));
      // Paragraphs before the last are whole.
      if (paragraphs.length > 1) assert.equal(paragraphs[0], para(0));
      assert.ok(r.summary.length <= 300);
    });
  }

  it('leaves a long body under the cap as it was, formatting included', () => {
    const html = Array.from({ length: 50 }, (_, i) => `<p><b>${para(i)}</b></p>`).join('');
    const r = normalizeItem({ title: 't', contentHtml: html }, ctx());
    assert.match(r.bodyHtml, /<b>0\. The committee/);
    assert.equal(r.bodyText.split('\n\n').length, 50);
  });
});

describe('normalizeItem: a story known only by its day is timed at noon UTC (issue 10)', () => {
  const cases: Array<{ name: string; item: RawItem; now: string; published: string }> = [
    { name: 'a full date in the dateline', item: { contentText: 'PARIS, 10 avril 2020 (AFP) - Le gouvernement a annoncé un plan.' }, now: '2020-04-12T08:00:00Z', published: '2020-04-10T12:00:00.000Z' },
    { name: 'a date-only field', item: { title: 'Budget', contentText: 'The budget passed.', published: '2020-04-10' }, now: '2020-04-12T08:00:00Z', published: '2020-04-10T12:00:00.000Z' },
    { name: 'a weekday of the lede, days ago', item: { contentText: 'أعلن الكرملين، الجمعة، أن المحادثات مستمرة.' }, now: '2020-04-12T08:00:00Z', published: '2020-04-10T12:00:00.000Z' },
    { name: 'today, before noon: never in the future', item: { contentText: 'PARIS, 10 avril 2020 (AFP) - Le gouvernement a annoncé un plan.' }, now: '2020-04-10T09:30:00Z', published: '2020-04-10T09:30:00.000Z' },
    { name: 'a date with a time keeps its time', item: { title: 'Vote', contentText: 'The vote passed.', published: '2020-04-10T03:15:00Z' }, now: '2020-04-12T08:00:00Z', published: '2020-04-10T03:15:00.000Z' },
  ];
  for (const { name, item, now, published } of cases) {
    it(name, () => {
      const r = normalizeItem(item, ctx({ now: new Date(now) }));
      if (!published.endsWith('T12:00:00.000Z')) assert.equal(r.published, published);
      else {
        assert.match(r.published, noonOf(published.slice(0, 10)));
        // The same calendar day from UTC−11 to UTC+11.
        for (const offsetH of [-11, 11]) {
          const local = new Date(Date.parse(r.published) + offsetH * 3_600_000).toISOString().slice(0, 10);
          assert.equal(local, published.slice(0, 10), `UTC${offsetH > 0 ? '+' : ''}${offsetH}`);
        }
      }
    });
  }

  it('two stories of one day get two instants; the same story the same one again', () => {
    const now = new Date('2020-04-12T08:00:00Z');
    const stories = ['Budget', 'Ferry', 'Harvest', 'Tides', 'Vote'].map((title) => normalizeItem({ title, contentText: `${title} news.`, published: '2020-04-10' }, ctx({ now })));
    assert.equal(new Set(stories.map((r) => r.published)).size, stories.length);
    for (const r of stories) assert.match(r.published, noonOf('2020-04-10'));
    const again = normalizeItem({ title: 'Budget', contentText: 'Budget news.', published: '2020-04-10' }, ctx({ now: new Date('2020-04-13T08:00:00Z') }));
    assert.equal(again.published, stories[0]!.published);
  });
});

it('the contentHash of a dated-by-day story does not depend on the hour it arrived', () => {
  const item: RawItem = { contentText: 'PARIS, 10 avril 2020 (AFP) - Le gouvernement a annoncé un plan.' };
  const morning = normalizeItem(item, ctx({ now: new Date('2020-04-10T09:30:00Z') }));
  const evening = normalizeItem(item, ctx({ now: new Date('2020-04-10T21:00:00Z') }));
  assert.notEqual(morning.published, evening.published);
  assert.equal(morning.contentHash, evening.contentHash);
});
