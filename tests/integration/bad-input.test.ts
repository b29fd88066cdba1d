/**
 * Bad documents dropped into a folder: each gets a clear error in failed/ naming the source, the
 * file and the cause; the good ones beside them go through; nothing half-written is stored.
 */
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, ftruncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ArticleStore } from '../../src/store/article-store.ts';
import { useTestRedis } from '../helpers/redis-server.ts';
import { ROOT, startTestService, waitFor } from '../helpers/service.ts';
import { noise } from '../helpers/noise.ts';

const { skip, redis } = useTestRedis();

test('0 bytes, 50 MB, random bytes, truncated XML, an unsupported XML root and undeclared windows-1256 Arabic', { skip, timeout: 60_000 }, async () => {
  const inbox = mkdtempSync(join(tmpdir(), 'wf-bad-'));
  mkdirSync(inbox, { recursive: true });
  writeFileSync(join(inbox, 'empty.txt'), '');
  const fd = openSync(join(inbox, 'huge.xml'), 'w');
  ftruncateSync(fd, 50 * 1024 * 1024); // sparse: 50 MB on paper, nothing on disk
  closeSync(fd);
  const g2 = readFileSync(join(ROOT, 'tests/fixtures/formats/newsml-g2-ar-cairo.xml'), 'utf8');
  writeFileSync(join(inbox, 'cut.xml'), g2.slice(0, Math.floor(g2.length / 2)));
  // 200 KB of deterministic noise: not text in any charset.
  writeFileSync(join(inbox, 'noise.txt'), noise(200_000, 5));
  writeFileSync(join(inbox, 'catalog.xml'), '<?xml version="1.0"?><catalog><book/></catalog>');
  // "القاهرة (رويترز) - ارتفعت أسعار النفط …" written in windows-1256, no charset anywhere.
  const arabic = 'القاهرة (رويترز) - ارتفعت أسعار النفط في الأسواق العالمية يوم الاثنين بعد اتفاق المنتجين على خفض الإنتاج، وقال محللون إن الأسعار قد تواصل الصعود خلال الأسبوع.';
  writeFileSync(join(inbox, 'cairo-1256.txt'), encode1256(arabic));
  const past = new Date(Date.now() - 60_000);
  for (const f of readdirSync(inbox)) utimesSync(join(inbox, f), past, past);

  const svc = await startTestService(redis, `sources:\n  - id: drop\n    type: directory\n    path: ${inbox}\n    every: 500ms\n`);
  try {
    const reasons = await waitFor('five files in failed/', async () => {
      const errors = readdirSync(join(inbox, 'failed')).filter((f) => f.endsWith('.error.txt'));
      return errors.length === 5 ? Object.fromEntries(errors.map((f) => [f, readFileSync(join(inbox, 'failed', f), 'utf8')])) : undefined;
    });
    assert.match(reasons['empty.txt.error.txt']!, /^source drop, file empty\.txt: EMPTY_DOCUMENT: /);
    assert.match(reasons['huge.xml.error.txt']!, /^source drop: BODY_TOO_LARGE: file huge\.xml is 52428800 bytes, over the cap of 10485760/);
    assert.match(reasons['noise.txt.error.txt']!, /^source drop: BINARY_BODY: /);
    assert.match(reasons['cut.xml.error.txt']!, /^source drop, file cut\.xml: PARSE_ERROR: /);
    assert.match(reasons['catalog.xml.error.txt']!, /^source drop, file catalog\.xml: NOT_A_FEED: .*<catalog>/);
    await waitFor('the Arabic file in done/', async () => (existsSync(join(inbox, 'done', 'cairo-1256.txt')) ? true : undefined));
    const store = new ArticleStore(redis.client(), svc.prefix);
    const articles = await waitFor('one article', async () => {
      const a = await store.newest('source:drop', 10);
      return a.length ? a : undefined;
    });
    assert.equal(articles.length, 1, 'nothing from the bad files was stored');
    assert.equal(articles[0]!.language, 'ar');
    assert.equal(articles[0]!.dateline?.city, 'القاهرة');
    assert.deepEqual(articles[0]!.dateline?.agencies, [{ code: 'Reuters', raw: 'رويترز' }]);
    assert.match(articles[0]!.bodyText, /ارتفعت أسعار النفط/);
  } finally {
    await svc.service.stop();
  }
});

/** windows-1256 encoding of Arabic text (letters used here plus ASCII), written out by hand. */
function encode1256(text: string): Buffer {
  const table: Record<string, number> = {
    'ء': 0xc1, 'آ': 0xc2, 'أ': 0xc3, 'ؤ': 0xc4, 'إ': 0xc5, 'ئ': 0xc6, 'ا': 0xc7, 'ب': 0xc8, 'ة': 0xc9, 'ت': 0xca, 'ث': 0xcb, 'ج': 0xcc, 'ح': 0xcd, 'خ': 0xce,
    'د': 0xcf, 'ذ': 0xd0, 'ر': 0xd1, 'ز': 0xd2, 'س': 0xd3, 'ش': 0xd4, 'ص': 0xd5, 'ض': 0xd6, 'ط': 0xd8, 'ظ': 0xd9, 'ع': 0xda, 'غ': 0xdb, 'ف': 0xdd, 'ق': 0xde, 'ك': 0xdf,
    'ل': 0xe1, 'م': 0xe3, 'ن': 0xe4, 'ه': 0xe5, 'و': 0xe6, 'ى': 0xec, 'ي': 0xed, '،': 0xa1,
  };
  return Buffer.from([...text].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch.charCodeAt(0) : (table[ch] ?? 0x3f))));
}
