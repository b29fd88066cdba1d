import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bandKeys, decideDuplicates, decodeSignature, encodeSignature, signature, similarity, type BatchEntry } from '../../src/classify/near-duplicate.ts';

const seed = readFileSync('tests/fixtures/wire/seed-ar-kremlin.txt', 'utf8');
const paragraphs = seed.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
const body = paragraphs.slice(1, 15); // the 14 body paragraphs, without dateline and trailers

test('the same story carried by another outlet — own dateline, one paragraph dropped, a credit added — is a near-duplicate', () => {
  const original = signature(body.join('\n\n'))!;
  const carried = signature(['دبي - العربية.نت', ...body.slice(0, 8), ...body.slice(9), 'المصدر: وكالات'].join('\n\n'))!;
  assert.ok(similarity(original, carried) >= 0.4, `similarity ${similarity(original, carried)}`);
  assert.equal(similarity(original, original), 1);
});

test('a different story on the same topic is not', () => {
  const other = [
    'ارتفعت أسعار النفط في الأسواق العالمية صباح الاثنين بعد أن اتفقت دول مجموعة أوبك+ على تمديد تخفيضات الإنتاج حتى نهاية الربع الأول من العام المقبل.',
    'وصعد سعر برميل خام برنت بنسبة اثنين في المئة، فيما قال محللون إن السوق تترقب بيانات المخزونات الأمريكية التي تصدر الأربعاء.',
    'وكانت الأسعار قد تراجعت الأسبوع الماضي بفعل مخاوف من تباطؤ الطلب في الصين وأوروبا.',
  ].join('\n\n');
  const a = signature(body.join('\n\n'))!;
  const b = signature(other)!;
  assert.ok(similarity(a, b) < 0.2, `similarity ${similarity(a, b)}`);
});

test('too short to judge: no signature; signatures survive encoding; 32 band keys', () => {
  assert.equal(signature('خبر عاجل: انفجار في المرفأ'), null);
  const sig = signature(body.join('\n\n'))!;
  assert.deepEqual(decodeSignature(encodeSignature(sig)), sig);
  assert.equal(bandKeys(sig).length, 32);
  assert.equal(new Set(bandKeys(sig)).size, 32);
});

/** Distinct synthetic stories: 60 words drawn from 3,000, deterministic. */
function stories(n: number): string[] {
  let seed = 7;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) % 3000);
  return Array.from({ length: n }, () => Array.from({ length: 60 }, () => `w${next()}`).join(' '));
}

function entries(texts: string[], lang = 'en'): BatchEntry[] {
  return texts.map((text, i) => {
    const sig = signature(text);
    return { id: `a${i}`, sig, bands: sig ? bandKeys(sig).map((b) => `${lang}:${b}`) : [], indexed: [] };
  });
}

test('inside one batch only articles sharing a band are compared: 8,000 distinct stories, not 32 million pairs', () => {
  const batch = entries(stories(8000));
  const { duplicateOf, comparisons } = decideDuplicates(batch, new Map());
  assert.equal(duplicateOf.filter(Boolean).length, 0);
  // Every pair compared would be 8000 × 7999 / 2 ≈ 32 million.
  assert.ok(comparisons < 8000 * 4, `${comparisons} comparisons`);
});

test('a story repeated inside a batch points at its first copy, however far apart', () => {
  const texts = stories(300);
  const batch = entries([...texts, ...texts.slice(0, 100), ...texts.slice(0, 100)]);
  const { duplicateOf } = decideDuplicates(batch, new Map());
  assert.deepEqual(duplicateOf.slice(0, 300), Array(300).fill(null));
  assert.deepEqual(duplicateOf.slice(300), [...Array.from({ length: 100 }, (_, i) => `a${i}`), ...Array.from({ length: 100 }, (_, i) => `a${i}`)]);
});

test('languages do not mix: the same words under another language band are not compared', () => {
  const [text] = stories(1);
  const batch = [...entries([text!], 'en'), ...entries([text!], 'fr').map((e) => ({ ...e, id: 'fr0' }))];
  const { duplicateOf, comparisons } = decideDuplicates(batch, new Map());
  assert.deepEqual(duplicateOf, [null, null]);
  assert.equal(comparisons, 0);
});
