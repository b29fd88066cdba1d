/**
 * foldParagraphs (src/normalize/fold-scan.ts) against the slow path it replaces, foldForMatching:
 * the same words, flat and per paragraph, on every fixture, on hand-written strings, on every BMP
 * code point (and the supplementary planes' blocks in use) between several neighbours, on every
 * canonical composition, and on the ANT corpus when ../shared is present. No residual difference
 * is known, so every comparison is an equality. Then the maxChars cut. No timings asserted
 * (bench/fold.ts prints them).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { foldParagraphs } from '../../src/normalize/fold-scan.ts';
import { foldForMatching } from '../../src/normalize/fold-text.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));
const ANT = join(SHARED, 'corpora/arabic-news');
const skipAnt = existsSync(ANT) ? false : `no ANT corpus at ${ANT} (../shared is absent)`;

const slowWords = (text: string): string[] => foldForMatching(text).split(' ').filter(Boolean);
const slowParagraphs = (text: string): string[][] => text.split(/\n+/).map(slowWords).filter((p) => p.length);

/** Both forms of the contract; returns a description of the first difference, or undefined. */
function difference(text: string): string | undefined {
  const got = foldParagraphs(text);
  const flat = JSON.stringify(got.flat());
  const flatWant = JSON.stringify(slowWords(text));
  if (flat !== flatWant) return `flat: got ${flat.slice(0, 300)}, want ${flatWant.slice(0, 300)}`;
  const paras = JSON.stringify(got);
  const parasWant = JSON.stringify(slowParagraphs(text));
  if (paras !== parasWant) return `paragraphs: got ${paras.slice(0, 300)}, want ${parasWant.slice(0, 300)}`;
  return undefined;
}

function assertSame(text: string, label = JSON.stringify(text).slice(0, 80)): void {
  const d = difference(text);
  assert.equal(d, undefined, `${label}: ${d}`);
}

const codePoints = (text: string): string =>
  [...text].map((c) => 'U+' + c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')).join(' ');

/** Checks many small texts at once (joined by spaces, which nothing crosses), one by one on a failure. */
function assertSameBatch(texts: string[], label: string): void {
  const BATCH = 2048;
  for (let i = 0; i < texts.length; i += BATCH) {
    const batch = texts.slice(i, i + BATCH);
    if (difference(batch.join(' ')) === undefined) continue;
    for (const t of batch) assertSame(t, `${label} ${JSON.stringify(t)} (${codePoints(t)})`);
    assert.fail(`${label}: the batch from ${JSON.stringify(batch[0])} differs, but none of its texts alone does`);
  }
}

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? fixtureFiles(p) : [p];
    });
}

const HAND_WRITTEN: string[] = [
  // Arabic: harakat, shadda, tanween, tatweel, hamza forms, ى ة ٱ, Farsi yeh and keheh
  'العَـــرَبِيَّة',
  'أيضاً إقرأ آذار ٱلرحمن مسؤول رئيس مكتبة مستشفى',
  'فارسی کتاب یک',
  'الـــــــــــــــنفط',
  'ا\u0654 ا\u0655 ا\u0653 و\u0654 ي\u0654 ى\u0654',
  // Eastern and Persian digits, Arabic punctuation and quotes
  '٢٠٢٠ ۱۴۰۰ ٣٫٥٪ ١٬٠٠٠',
  '«السلام»، عليكم؟ نعم؛ لا. “أوبك+”',
  '۝١ ؏ ؋ ؎',
  // French: accents, ligatures, apostrophes, non-breaking spaces
  'Économie, CAFÉ crème à l’œuvre ; Æsop, cœur, nœud',
  'PARIS, 10 avril 2020 (AFP) -\u00a0Le « confinement » prolongé\u202f!',
  'Straße STRASSE ẞ Maß',
  // fullwidth, presentation forms, ligatures, compatibility
  'ＡＢＣ１２３ ｈｅｌｌｏ！',
  'ﻻ ﻷ ﻹ ﻵ ﷲ ﷺ ﷻ ﴾ﺑﺴﻢ ﷲ﴿',
  'ﬁnance ﬂow ﬀ ﬃ ﬄ ﬅ ﬆ',
  'a⑴b ½ ¼ ㈱ ㍻ ℃ № ™ ㎏ Ⅻ ⅻ ² ³ ¹',
  // format characters
  'می\u200Cشود a\u200Db \u200Fالعربية\u200E English \u202Bembedded\u202C \u2066iso\u2069 a\u00ADb a\uFEFFb',
  // astral: emoji, ZWJ sequences, flags, math alphanumerics, CJK extension B, tags, variation selectors
  '😀 a😀b 👍🏽 👨‍👩‍👧 🇫🇷 🏴󠁧󠁢󠁳󠁣󠁴󠁿',
  '𝐀𝐁𝐂 𝓍𝓎𝓏 𝟏𝟐𝟑 𝚺𝚺 𝛴𝛴',
  '𠀀𠀁 𡈽 葛\u{E0100} a\u{E0101}b',
  '𐐀𐐁 𐐨 𞤀𞤢',
  // combining sequences
  'e\u0301 cafe\u0301 A\u030A n\u0303 a\u0308\u0304 \u0301start',
  'ا\u0654 ب\u064E\u0651 \u064Bstart',
  'か\u3099 ハ\u309A \u3099 か\u309B',
  'क\u093C ड\u093C क़ ख़ ka\u093Ca',
  'ᄀ\u1161 ᄀ\u1161\u11A8 가\u11A8 ᄀ\u200C\u1161 ㄱㅏ ㅎㅏㄴ',
  '\u{16D67}\u{16D67} \u{11131}\u{11127}',
  'ệ ự Việt Nam tiếng Việt',
  'o\u0338 <\u0338 =\u0338 a\u20DD',
  // Greek: final sigma in every position it can be judged from
  'ΟΔΟΣ ΟΔΟΣ. ΟΔΟΣ\'Α ΟΔΟΣ.Α Σ ΑΣ ΣΑ Α.Σ Α\'Σ\'Α ΑΣ\u0301 ΑΣ\u200C ΑΣ\u0301Β Ϲ ΑϹ ὈΔΥΣΣΕΎΣ',
  'ΑΣ\u3099 ΑΣ\u093C',
  // other letters with a mapping, Turkish dotted I, ligature-like letters
  'İstanbul ISTANBUL ıi Łódź Øre đ ǅ ǈ ǋ ʼn ẛ\u0323 ﬅ',
  // lone surrogates and control characters
  '\uD800 a\uD800b \uDC00a x\uDBFF\uDBFF\uDC00 \uDFFF',
  '\u0000a\u0001b\u0085c\u007F',
  // line breaks and whitespace
  'one\r\ntwo\r\n\r\nthree\n\n\nfour\r\n',
  'tab\tseparated\tvalues\vvertical\fform\u2028line\u2029para\u3000ideographic\u1680ogham',
  '\n\n\nlead\n',
  '   ',
  '',
  '\n',
  '\r\n',
  // only punctuation and symbols
  '!!! ... ،،، ؛؟ «» — – … · • © ® $ € £ ¥ + = < > | ~ ^ ` # @ % & * ( ) [ ] { } \\ / : ; \' "',
  '-',
  '٪٫٬',
];

describe('foldParagraphs equals the slow path', () => {
  it('on every file under tests/fixtures (read as UTF-8)', () => {
    const files = fixtureFiles(FIXTURES);
    assert.ok(files.length >= 20, `only ${files.length} fixture files`);
    for (const f of files) assertSame(readFileSync(f, 'utf8'), f);
  });

  it('on hand-written strings', () => {
    for (const text of HAND_WRITTEN) assertSame(text);
    // and on all of them in one text, and with CRLF line ends
    assertSame(HAND_WRITTEN.join('\n'));
    assertSame(HAND_WRITTEN.join('\r\n'));
  });

  it('on every BMP code point, and the supplementary planes in use, between neighbours', () => {
    const bmp: string[] = [];
    for (let cp = 0; cp < 0x10000; cp++) bmp.push(String.fromCharCode(cp));
    const astral: string[] = [];
    const astralRanges = [
      [0x10000, 0x20000], // plane 1: historic scripts, marks, musical and math symbols, emoji
      [0x20000, 0x20100], // CJK extension B (a sample)
      [0x2f800, 0x2fa20], // CJK compatibility supplement (canonical singletons)
      [0xe0000, 0xe0200], // tags, variation selectors supplement
      [0xf0000, 0xf0010], // private use
      [0x10fff0, 0x110000],
    ];
    for (const [from, to] of astralRanges) for (let cp = from!; cp < to!; cp++) astral.push(String.fromCodePoint(cp));
    // Neighbours: letters of several scripts, letters that compose with what follows, Σ, a mark
    // that is stripped and marks that are kept, jamo.
    const patterns: [string, string][] = [
      ['', ''],
      ['a', 'b'],
      ['ΑΣ', ''],
      ['Α', 'ΣΑ'],
    ];
    const bmpPatterns: [string, string][] = [
      ['ا', 'ب'],
      ['ك', '\u0654'],
      ['か', '\u3099'],
      ['ᄀ', 'ᅡ'],
      ['가', 'ᆨ'],
      ['\u0301', '\u200C'],
      ['\u{16D67}', '\u{16D67}'],
    ];
    for (const [chars, extra] of [[bmp, bmpPatterns], [astral, []]] as const) {
      for (const [before, after] of [...patterns, ...extra]) {
        assertSameBatch(chars.map((ch) => before + ch + after), `${JSON.stringify(before)} + c + ${JSON.stringify(after)}`);
      }
      assertSameBatch(chars.map((ch) => 'x' + ch + ch + 'y'), 'x + c + c + y');
      assertSameBatch(chars.map((ch) => 'Α' + ch + 'Σ' + ch + 'β'), 'Α + c + Σ + c + β');
    }
  });

  it('on every canonical composition (a new composing starter in a later Unicode would show here)', () => {
    const decomposed: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const nfd = ch.normalize('NFD');
      if (nfd !== ch) decomposed.push(nfd, 'x' + nfd + 'y', nfd + '\u0301' + nfd);
      const nfkd = ch.normalize('NFKD');
      if (nfkd !== nfd) decomposed.push(nfkd, 'x' + nfkd + 'y');
    }
    assert.ok(decomposed.length > 13000);
    assertSameBatch(decomposed, 'decomposition');
  });

  it('on every title and text of ../shared/corpora/arabic-news/*.jsonl', { skip: skipAnt }, () => {
    const files = readdirSync(ANT).filter((f) => f.endsWith('.jsonl')).sort();
    assert.ok(files.length > 0, `no .jsonl files in ${ANT}`);
    let fields = 0;
    for (const f of files) {
      const lines = readFileSync(join(ANT, f), 'utf8').split('\n');
      lines.forEach((line, n) => {
        if (line.trim() === '') return;
        const record = JSON.parse(line) as { id?: string; title?: unknown; text?: unknown };
        for (const key of ['title', 'text'] as const) {
          const value = record[key];
          if (typeof value !== 'string') continue;
          assertSame(value, `${f}:${n + 1} (${record.id}) ${key}`);
          fields++;
        }
      });
    }
    assert.ok(fields > 1000, `only ${fields} fields`);
  });
});

describe('foldParagraphs with maxChars', () => {
  /**
   * At a cut k: the words are the whole text's first words (so none is partial), the paragraphs
   * are those of text.slice(0, k) with at most the last word (the one the cut splits) left out,
   * and nothing is left out when a whitespace or the end follows the cut.
   */
  function assertCut(text: string, k: number, whole = slowWords(text)): void {
    const got = foldParagraphs(text, k);
    const label = `${JSON.stringify(text.slice(Math.max(0, k - 30), k))} | ${JSON.stringify(text.slice(k, k + 10))} (cut at ${k})`;
    const words = got.flat();
    assert.deepEqual(words, whole.slice(0, words.length), `${label}: not the text's first words`);
    const before = slowParagraphs(text.slice(0, k));
    const withoutLast = before.map((p) => p.slice());
    withoutLast[withoutLast.length - 1]?.pop();
    const shorter = withoutLast.filter((p) => p.length);
    assert.ok(
      JSON.stringify(got) === JSON.stringify(before) || JSON.stringify(got) === JSON.stringify(shorter),
      `${label}: ${JSON.stringify(got).slice(-200)} vs ${JSON.stringify(before).slice(-200)}`,
    );
    if (k >= text.length || /[^\S\uFEFF]/.test(text[k]!)) assert.deepEqual(got, before, `${label}: a whole word was dropped`);
  }

  it('never returns a partial word and returns the words before the cut (every cut of the hand-written strings)', () => {
    for (const text of HAND_WRITTEN) {
      if (/[Σς\uD800-\uDFFF]/.test(text)) continue; // Σ: see the next test; surrogates: below
      const whole = slowWords(text);
      for (let k = 0; k <= text.length + 1; k++) assertCut(text, k, whole);
    }
  });

  it('every cut of the fixtures (Arabic, French, English)', () => {
    for (const name of ['seed-ar-kremlin.txt', 'fr-afp-confinement.txt', 'en-ap-senate.txt']) {
      const text = readFileSync(join(FIXTURES, 'wire', name), 'utf8');
      const whole = slowWords(text);
      for (let k = 0; k <= text.length; k++) assertCut(text, k, whole);
    }
  });

  it('cuts a word in the middle, keeps it when the cut falls on a separator', () => {
    assert.deepEqual(foldParagraphs('الأسعار ارتفعت اليوم', 10), [['الاسعار']]);
    assert.deepEqual(foldParagraphs('الأسعار ارتفعت اليوم', 7), [['الاسعار']]);
    assert.deepEqual(foldParagraphs('الأسعار ارتفعت اليوم', 6), []);
    assert.deepEqual(foldParagraphs('Économie, marchés', 8), [['economie']]);
    assert.deepEqual(foldParagraphs('Économie, marchés', 9), [['economie']]);
    assert.deepEqual(foldParagraphs('one\ntwo three', 7), [['one'], ['two']]);
    assert.deepEqual(foldParagraphs('one\ntwo three', 6), [['one']]);
    // a mark after the cut may still belong to the word: the word is left out
    assert.deepEqual(foldParagraphs('cafe\u0301 noir', 4), []);
    assert.deepEqual(foldParagraphs('العربية\u064E جديدة', 7), []);
    // a letter that folds to several (ß → ss, ﬁ → fi) is never split
    assert.deepEqual(foldParagraphs('Maß halten', 3), [['mass']]);
    assert.deepEqual(foldParagraphs('Maß halten', 2), []);
    assert.deepEqual(foldParagraphs('a ﬁn', 3), [['a']]);
    assert.deepEqual(foldParagraphs('a ﬁn', 4), [['a', 'fin']]);
    assert.deepEqual(foldParagraphs('a ⑴b', 3), [['a', '1']]);
    assert.deepEqual(foldParagraphs('abc', 0), []);
    assert.deepEqual(foldParagraphs('abc', -1), []);
    assert.deepEqual(foldParagraphs('abc', 3), [['abc']]);
    assert.deepEqual(foldParagraphs('abc', 2.5), []);
  });

  it('never splits a surrogate pair', () => {
    const text = 'ab 𝐀𝐁𝐂 😀😀 cd𝐀';
    for (let k = 0; k <= text.length; k++) {
      const words = foldParagraphs(text, k).flat();
      for (const w of words) assert.ok(!/[\uD800-\uDFFF]/.test(w), `cut ${k}: ${JSON.stringify(w)}`);
      assert.deepEqual(words, slowWords(text).slice(0, words.length), `cut ${k}`);
    }
    assert.deepEqual(foldParagraphs(text, 5), [['ab']]); // inside 𝐁
    assert.deepEqual(foldParagraphs(text, 10), [['ab', 'abc']]); // inside the first 😀
  });

  it('final sigma at the cut: the cut text decides (the only way the words can differ from the whole text)', () => {
    // Across the apostrophe, Α makes Σ non-final in the whole text; cut before it, Σ ends the text.
    assert.deepEqual(foldParagraphs("ΟΔΟΣ'Α"), [['οδοσ', 'α']]);
    assert.deepEqual(foldParagraphs("ΟΔΟΣ'Α", 5), [['οδος']]);
    assert.deepEqual(foldParagraphs("ΟΔΟΣ'Α", 5), slowParagraphs("ΟΔΟΣ'"));
    for (let k = 0; k <= 30; k++) {
      const text = "ΟΔΟΣ ΟΔΟΣ. ΟΔΟΣ'Α ΑΣ\u0301Β";
      assert.ok([0, 1].includes(slowWords(text.slice(0, k)).length - foldParagraphs(text, k).flat().length), `cut ${k}`);
    }
  });

  it('reads only the first maxChars of a 2 MB text', () => {
    const seed = readFileSync(join(FIXTURES, 'wire', 'seed-ar-kremlin.txt'), 'utf8');
    const big = seed.repeat(Math.ceil(2_000_000 / seed.length));
    assert.ok(big.length >= 2_000_000);
    const got = foldParagraphs(big, 8192);
    const words = got.flat();
    assert.deepEqual(words, slowWords(big.slice(0, 9000)).slice(0, words.length));
    assert.ok(words.length >= slowWords(big.slice(0, 8192)).length - 1);
    assert.deepEqual(got, foldParagraphs(big.slice(0, 9000), 8192));
    // one 2 MB word: nothing before the cut is a whole word
    assert.deepEqual(foldParagraphs('ب'.repeat(2_000_000), 8192), []);
    assert.deepEqual(foldParagraphs('ب'.repeat(2_000_000) + ' ', 2_000_000), [['ب'.repeat(2_000_000)]]);
  });
});
