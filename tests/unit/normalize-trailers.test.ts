import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractTrailers, type TrailerUnit } from '../../src/normalize/trailers.ts';

const units = (...lines: string[]): TrailerUnit[] => lines.map((text) => ({ text }));
const removed = (r: { removed: ReadonlySet<number> }): number[] => [...r.removed].sort((a, b) => a - b);

describe('extractTrailers: closing trailers', () => {
  it('reads the seed trailers: credit, then a bare read-also label with the title below', () => {
    const r = extractTrailers(
      units('وأرسلت موسكو الأسبوع الماضي طائرة عسكرية.', 'مصدر الصورة: REUTERS', 'إقرأ أيضاً:', 'الاتحاد الأوروبي يعقد قمة'),
    );
    assert.deepEqual(removed(r), [1, 2, 3]);
    assert.deepEqual(r.images, [{ url: null, caption: null, credit: 'REUTERS' }]);
    assert.deepEqual(r.related, [{ title: 'الاتحاد الأوروبي يعقد قمة', url: null }]);
  });

  it('knows the spelling variants of the Arabic labels', () => {
    for (const [credit, readAlso] of [
      ['الصورة: أ ف ب', 'اقرأ أيضا: عنوان الخبر'],
      ['مصدر الصوره: رويترز', 'اقرا ايضا: عنوان الخبر'],
      ['صورة: أ ف ب', 'إقرأ ايضاً: عنوان الخبر'],
    ] as const) {
      const r = extractTrailers(units('نص الخبر.', credit, readAlso));
      assert.deepEqual(removed(r), [1, 2], credit);
      assert.equal(r.images.length, 1);
      assert.deepEqual(r.related, [{ title: 'عنوان الخبر', url: null }], readAlso);
    }
  });

  it('reads English and French labels, French spacing included', () => {
    const en = extractTrailers(units('Body.', 'Photo: AP', 'Read more: Senate leaders plan next vote'));
    assert.deepEqual(en.images, [{ url: null, caption: null, credit: 'AP' }]);
    assert.deepEqual(en.related, [{ title: 'Senate leaders plan next vote', url: null }]);
    const fr = extractTrailers(units('Corps.', 'Crédit photo\u00A0: AFP', 'Lire aussi :', 'Les hôpitaux sous tension'));
    assert.deepEqual(fr.images, [{ url: null, caption: null, credit: 'AFP' }]);
    assert.deepEqual(fr.related, [{ title: 'Les hôpitaux sous tension', url: null }]);
    const also = extractTrailers(units('Body.', 'Read also: Markets slide'));
    assert.deepEqual(also.related, [{ title: 'Markets slide', url: null }]);
  });

  it('takes a URL after a related title as its link', () => {
    const r = extractTrailers(units('Body.', 'Read more: Markets slide https://example.com/markets'));
    assert.deepEqual(r.related, [{ title: 'Markets slide', url: 'https://example.com/markets' }]);
  });

  it('takes several titles under one label, and links from HTML blocks', () => {
    const r = extractTrailers([
      { text: 'Body.' },
      { text: 'Read more:' },
      {
        text: 'Prices jump\nRussia agrees',
        links: [
          { text: 'Prices jump', href: 'https://example.com/a' },
          { text: 'Russia agrees', href: 'https://example.com/b' },
        ],
      },
    ]);
    assert.deepEqual(removed(r), [1, 2]);
    assert.deepEqual(r.related, [
      { title: 'Prices jump', url: 'https://example.com/a' },
      { title: 'Russia agrees', url: 'https://example.com/b' },
    ]);
  });

  it('takes the credit from the line after a bare "Photo:"', () => {
    const r = extractTrailers(units('Body.', 'Photo:', 'AFP/Getty Images'));
    assert.deepEqual(r.images, [{ url: null, caption: null, credit: 'AFP/Getty Images' }]);
  });

  it('leaves story copy alone', () => {
    for (const lines of [
      ['First paragraph.', 'The talks will resume on Monday.'],
      ['First paragraph.', 'Short last line without a stop'],
      ['First paragraph.', 'Read more:'],
      ['First paragraph.', "Credit: Moody's cut the rating of the bank on Friday."],
      ['Photo finish in the final race.'],
      ['First paragraph.', 'Related: the minister also said talks would resume.', 'Last paragraph.'],
    ]) {
      const r = extractTrailers(units(...lines));
      assert.deepEqual(removed(r), [], lines.join(' | '));
      assert.deepEqual(r.images, []);
      assert.deepEqual(r.related, []);
    }
  });

  it('drops blank units at the end', () => {
    const r = extractTrailers(units('Body.', ' ', ''));
    assert.deepEqual(removed(r), [1, 2]);
  });
});

describe('extractTrailers: pointers inside the story', () => {
  it('lifts a BBC-style read-also line between paragraphs', () => {
    const r = extractTrailers(
      units('الفقرة الأولى.', 'اقرأ أيضا: قافلة مساعدات إنسانية تدخل الغوطة الشرقية', 'الفقرة الثانية.', 'الفقرة الثالثة.'),
    );
    assert.deepEqual(removed(r), [1]);
    assert.deepEqual(r.related, [{ title: 'قافلة مساعدات إنسانية تدخل الغوطة الشرقية', url: null }]);
  });

  it('lifts a bare label with the titles listed under it, and stops at the story', () => {
    const r = extractTrailers(
      units('الفقرة الأولى.', 'اقرأ أيضاً:', 'لماذا تتدهور الليرة التركية؟', 'أردوغان يعين صهره وزيرا للمالية', 'رغم التوقعات تراجعت أعداد السياح.', 'الفقرة الأخيرة.'),
    );
    assert.deepEqual(removed(r), [1, 2, 3]);
    assert.deepEqual(r.related, [
      { title: 'لماذا تتدهور الليرة التركية؟', url: null },
      { title: 'أردوغان يعين صهره وزيرا للمالية', url: null },
    ]);
  });

  it('lifts a label run into its title without a colon', () => {
    const r = extractTrailers(units('الفقرة الأولى.', 'إقرأ أيضا اتهام مديري أوبرا باريس بإهدار المال العام', 'الفقرة الثانية.'));
    assert.deepEqual(r.related, [{ title: 'اتهام مديري أوبرا باريس بإهدار المال العام', url: null }]);
    assert.deepEqual(removed(r), [1]);
  });

  it('keeps mid-story and closing pointers in reading order', () => {
    const r = extractTrailers(units('One.', 'Read also: First pointer', 'Two.', 'Read more: Last pointer'));
    assert.deepEqual(r.related.map((x) => x.title), ['First pointer', 'Last pointer']);
    assert.deepEqual(removed(r), [1, 3]);
  });
});
