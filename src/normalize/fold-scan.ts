/**
 * Fast word folding: the words of `foldForMatching`, in one pass over the char codes.
 *
 * Each character is folded once per process, the first time it is met, by `foldForMatching`
 * itself, on `'a' + ch + 'b'` so the answer also tells a dropped character (`ab`: harakat,
 * tatweel, accents, ZWNJ/LRM/RLM) from a separator (`a b`: punctuation, symbols, emoji). The result
 * is kept in a 65,536-entry table (a Map for astral characters): drop, separator, one char code
 * (أ → ا, É → e, ٣ → 3), or a string (ß → ss, ﬁ → fi, ﷺ → four words). The scan then only looks
 * codes up and cuts words: no regex, no normalize. A word that needed no mapping is a slice of
 * the text; others are built from a reusable code buffer.
 *
 * Why per-character folding gives the whole-string answer: NFKD(NFKC(s)) = NFKD(s), and NFKD is a
 * per-character decomposition followed by canonical reordering, which never moves a mark across a
 * starter. Stripping and the letter, digit and punctuation maps are per character. What remains
 * context-dependent is:
 *  - NFC composition, which joins a starter with a following mark or a following composing
 *    starter: Hangul medial and final jamo, Kirat Rai vowel sign E (U+16D67), and a few Indic
 *    vowel signs that are `\p{M}` anyway (tests/unit/fold-scan.test.ts enumerates every canonical
 *    composition of the running Node, so a new one in a later Unicode version fails the test);
 *  - `toLowerCase`'s Final_Sigma rule (Σ → ς or σ depending on the letters around it, looking
 *    across case-ignorable characters such as `'` `.` `:` and marks).
 * A character is "contextual" when the first character of its compatibility decomposition that
 * survives folding is a mark (`\p{M}`: U+0654 is stripped and so is not one, U+3099 is kept and
 * is), a Hangul jamo (U+1160–11FF, U+D7B0–D7FF) or U+16D67; when the decomposition holds a capital
 * sigma (Σ, ϲ's capital Ϲ, mathematical Σs); or when it is a lone surrogate. When one is met, the
 * whole whitespace-delimited chunk around it (from the whitespace or line break before it to the
 * next one) is folded by `foldForMatching`. Whitespace neither composes nor is cased or
 * case-ignorable, so nothing crosses it: the chunk's fold is exactly its share of the whole.
 *
 * Residual differences: none known. The test checks equality with the slow path, flat and per
 * paragraph, on every BMP code point and the supplementary planes' assigned blocks between several
 * neighbours, on every canonical composition, on all fixtures and (when ../shared is present) on
 * the ANT corpus. The tables are filled from `foldForMatching` at run time, so they follow the
 * running Node's Unicode data as the slow path does.
 *
 * With a cut (`maxChars`), the result is exactly `foldParagraphs(text.slice(0, end))` where `end`
 * is the last word boundary at or before `maxChars` (the cut itself when the character after it
 * starts with a separator, else the start of the word it would split; a surrogate pair is never
 * split). Those words are the whole text's first words, except that a Σ ending the last word may
 * read final (ς) where a letter after the cut, seen across punctuation, would have made it σ.
 */
import { foldForMatching } from './fold-text.ts';

/** Table entries below 0x10000 are the folded char code; these are the other kinds. */
const UNSET = 0x7fffffff;
const DROP = 0x10000; // vanishes inside a word (combining mark, tatweel, ZWNJ…)
const SEP = 0x10001; // punctuation, symbol: ends a word
const SPACE = 0x10002; // whitespace other than '\n': ends a word and a chunk
const NEWLINE = 0x10003; // '\n': ends a word, a chunk and a paragraph
const CONTEXT = 0x10004; // fold the chunk around it with foldForMatching
const HIGH = 0x10005; // high surrogate: look at the pair
const MULTI = 0x20000; // + index into MULTI_PARTS and MULTI_CODES

const TABLE = new Int32Array(0x10000).fill(UNSET);
const ASTRAL = new Map<number, number>();
/** Multi-char folds, split on spaces: ['ss'], ['', '1', ''] for ⑴ (separator, 1, separator). */
const MULTI_PARTS: string[][] = [];
/** For each MULTI entry: its parts as char codes, so they can join a word under construction. */
const MULTI_CODES: number[][][] = [];

const MARK = /^\p{M}/u;
const WHITESPACE = /^\s$/;

/** Starters that compose with the character before them (besides `\p{M}`). */
function composesWithPrevious(cp: number): boolean {
  return (cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0xd7b0 && cp <= 0xd7ff) || cp === 0x16d67;
}

/** Whether `ch` (one code point) vanishes between two letters. */
function dropsBetweenLetters(ch: string): boolean {
  return foldForMatching('a' + ch + 'b') === 'ab';
}

function classify(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp === 0x0a) return NEWLINE;
  if (cp >= 0xd800 && cp <= 0xdfff) return CONTEXT; // lone surrogate
  const folded = foldForMatching('a' + ch + 'b');
  if (WHITESPACE.test(ch) && cp !== 0xfeff) return folded === 'a b' ? SPACE : CONTEXT;
  const decomposed = ch.normalize('NFKD');
  if (decomposed.includes('\u03a3')) return CONTEXT; // Final_Sigma
  for (const part of decomposed) {
    if (part !== ch && dropsBetweenLetters(part)) continue;
    if (part === ch && folded === 'ab') continue;
    if (MARK.test(part) || composesWithPrevious(part.codePointAt(0)!)) return CONTEXT;
    break;
  }
  if (folded.length < 2 || folded[0] !== 'a' || folded[folded.length - 1] !== 'b') return CONTEXT;
  const mid = folded.slice(1, -1);
  if (mid === '') return DROP;
  if (mid === ' ') return SEP;
  if (mid.length === 1) return mid.charCodeAt(0);
  const parts = mid.split(' ');
  MULTI_PARTS.push(parts);
  MULTI_CODES.push(parts.map((p) => Array.from({ length: p.length }, (_, k) => p.charCodeAt(k))));
  return MULTI + MULTI_PARTS.length - 1;
}

function bmpEntry(code: number): number {
  if (code >= 0xd800 && code <= 0xdbff) return (TABLE[code] = HIGH);
  return (TABLE[code] = classify(String.fromCharCode(code)));
}

function astralEntry(cp: number): number {
  let e = ASTRAL.get(cp);
  if (e === undefined) ASTRAL.set(cp, (e = classify(String.fromCodePoint(cp))));
  return e;
}

/** Entry of the character starting at `i` (a surrogate pair counts as one; lone ones are CONTEXT). */
function entryAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  let e = TABLE[c]!;
  if (e === UNSET) e = bmpEntry(c);
  if (e !== HIGH) return e;
  const lo = text.charCodeAt(i + 1);
  if (lo >= 0xdc00 && lo <= 0xdfff) return astralEntry(((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000);
  return CONTEXT;
}

/** Whether a character with entry `e` ends the word before it. */
function startsWithBreak(e: number): boolean {
  if (e === SEP || e === SPACE || e === NEWLINE) return true;
  return e >= MULTI && MULTI_PARTS[e - MULTI]![0] === '';
}

/** Whether a character with entry `e` ends in a separator (no word goes on through it). */
function endsWithBreak(e: number): boolean {
  if (e === SEP || e === SPACE || e === NEWLINE) return true;
  if (e < MULTI) return false;
  const parts = MULTI_PARTS[e - MULTI]!;
  return parts[parts.length - 1] === '';
}

/**
 * Where to stop reading for a cut at `maxChars`: the cut itself when a word ends there, else the
 * start of the word it would split (a surrogate pair is never split).
 */
function cutEnd(text: string, maxChars: number): number {
  let end = Math.max(0, Math.floor(maxChars));
  const c = text.charCodeAt(end);
  if (c >= 0xdc00 && c <= 0xdfff && end > 0) {
    const h = text.charCodeAt(end - 1);
    if (h >= 0xd800 && h <= 0xdbff) end--;
  }
  if (end === 0 || startsWithBreak(entryAt(text, end))) return end;
  while (end > 0) {
    let start = end - 1;
    const lo = text.charCodeAt(start);
    if (lo >= 0xdc00 && lo <= 0xdfff && start > 0) {
      const h = text.charCodeAt(start - 1);
      if (h >= 0xd800 && h <= 0xdbff) start--;
    }
    if (endsWithBreak(entryAt(text, start))) break;
    end = start;
  }
  return end;
}

/** The word under construction (reused across calls; foldParagraphs never re-enters itself). */
let buf = new Uint16Array(256);

/**
 * The text's first `end` char codes. One native copy (Buffer#write, UTF-16LE) then typed-array
 * reads beat `charCodeAt` per char; the shared array is reused up to SHARED_CODES chars.
 */
const SHARED_CODES = 1 << 16;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
let shared = new Uint16Array(8192);
let sharedBytes = Buffer.from(shared.buffer);

function codesOf(text: string, end: number): Uint16Array {
  let codes = shared;
  let bytes = sharedBytes;
  if (end > codes.length) {
    codes = new Uint16Array(end);
    bytes = Buffer.from(codes.buffer);
    if (end <= SHARED_CODES) {
      shared = codes;
      sharedBytes = bytes;
    }
  }
  if (LITTLE_ENDIAN) bytes.write(text, 0, end * 2, 'utf16le');
  else for (let i = 0; i < end; i++) codes[i] = text.charCodeAt(i);
  return codes;
}

function grow(): void {
  const next = new Uint16Array(buf.length * 2);
  next.set(buf);
  buf = next;
}

/** The word in buf[0, len) as a string (fromCharCode with arguments is much faster than apply). */
function fromBuf(len: number): string {
  const b = buf;
  switch (len) {
    case 1:
      return String.fromCharCode(b[0]!);
    case 2:
      return String.fromCharCode(b[0]!, b[1]!);
    case 3:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!);
    case 4:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!);
    case 5:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!);
    case 6:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!);
    case 7:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!);
    case 8:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!);
    case 9:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!);
    case 10:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!);
    default:
      return String.fromCharCode.apply(null, b.subarray(0, len) as unknown as number[]);
  }
}

/**
 * Folded words of `text`, grouped by paragraph (a run of one or more '\n' separates paragraphs;
 * empty paragraphs omitted). Reads at most `maxChars` chars of text (default Infinity), never
 * splitting a word at the cut (drop a partial last word).
 *
 * `foldParagraphs(t).flat()` equals `foldForMatching(t).split(' ').filter(Boolean)`, and each
 * paragraph equals the fold of the corresponding `t.split(/\n+/)` part. With a cut, the result is
 * `foldParagraphs` of the text up to the last word boundary at or before `maxChars`.
 */
export function foldParagraphs(text: string, maxChars: number = Infinity): string[][] {
  const end = maxChars < text.length ? cutEnd(text, maxChars) : text.length;
  const out: string[][] = [];
  let para: string[] = [];
  let len = 0; // codes of the word under construction in buf
  let start = 0; // where that word starts in text
  let diff = 0; // non-zero when the word is not text.slice(start, start + len)
  let chunkStart = 0; // first index after the last whitespace
  let chunkWords = 0; // para.length at chunkStart

  const src = codesOf(text, end);
  for (let i = 0; i < end; i++) {
    const c = src[i]!;
    let e = TABLE[c]!;
    if (e < DROP) {
      // One code (the char itself, or a letter it maps to): the common case.
      if (len === buf.length) grow();
      buf[len++] = e;
      diff |= e ^ c;
      continue;
    }
    if (e === SEP) {
      if (len > 0) {
        para.push(diff === 0 ? text.slice(start, start + len) : fromBuf(len));
        len = 0;
      }
      diff = 0;
      start = i + 1;
      continue;
    }
    if (e === DROP) {
      diff = 1;
      continue;
    }
    if (e === UNSET) {
      bmpEntry(c);
      i--; // now in the table: read it again
      continue;
    }
    if (e === SPACE || e === NEWLINE) {
      if (len > 0) {
        para.push(diff === 0 ? text.slice(start, start + len) : fromBuf(len));
        len = 0;
      }
      diff = 0;
      if (e === NEWLINE && para.length > 0) {
        out.push(para);
        para = [];
      }
      start = chunkStart = i + 1;
      chunkWords = para.length;
      continue;
    }
    if (e === HIGH) {
      e = entryAt(text, i);
      if (e !== CONTEXT) {
        i++; // a surrogate pair, read as one character
        diff = 1;
        if (e < DROP) {
          if (len === buf.length) grow();
          buf[len++] = e;
          continue;
        }
        if (e === DROP) continue;
        if (e === SEP) {
          if (len > 0) {
            para.push(fromBuf(len));
            len = 0;
          }
          diff = 0;
          start = i + 1;
          continue;
        }
      }
    }
    if (e >= MULTI) {
      diff = 1;
      const parts = MULTI_CODES[e - MULTI]!;
      for (let p = 0; p < parts.length; p++) {
        if (p > 0 && len > 0) {
          para.push(fromBuf(len));
          len = 0;
        }
        const seq = parts[p]!;
        for (let k = 0; k < seq.length; k++) {
          if (len === buf.length) grow();
          buf[len++] = seq[k]!;
        }
      }
      continue;
    }
    // CONTEXT: fold the whole whitespace-delimited chunk with the slow path.
    let j = i;
    while (j < end) {
      const f = entryAt(text, j);
      if (f === SPACE || f === NEWLINE) break;
      j++;
    }
    para.length = chunkWords;
    len = diff = 0;
    const folded = foldForMatching(text.slice(chunkStart, j));
    if (folded !== '') for (const w of folded.split(' ')) para.push(w);
    i = j - 1;
  }
  if (len > 0) para.push(diff === 0 ? text.slice(start, start + len) : fromBuf(len));
  if (para.length > 0) out.push(para);
  return out;
}
