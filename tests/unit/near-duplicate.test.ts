import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bandKeys, decodeSignature, encodeSignature, signature, similarity } from '../../src/classify/near-duplicate.ts';

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
