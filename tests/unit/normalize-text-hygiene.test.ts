import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { firstSentence, headlineFromText, summaryFromParagraphs, truncateAtWord } from '../../src/normalize/excerpt.ts';
import { canonicalJson } from '../../src/normalize/identity.ts';
import { cleanInline, cleanText, collapseLine, escapeHtmlText, isBlankLine } from '../../src/normalize/text-hygiene.ts';
import { absoluteWebUrl } from '../../src/normalize/urls.ts';

describe('text hygiene', () => {
  it('normalizes line endings', () => {
    assert.equal(cleanText('a\r\nb\rc\u2028d\u2029e'), 'a\nb\nc\nd\n\ne');
  });

  it('removes XML-invalid and control characters, keeping tab and newline', () => {
    assert.equal(cleanText('a\u0000b\u0007c\u000Bd\u001Fe\u0085f\t\ng\uFFFEh\uFEFFij'), 'abcde\nf\t\nghij');
    assert.equal(cleanText('lone \uD800 surrogate'), 'lone  surrogate');
    assert.equal(cleanText('emoji 😀 stays'), 'emoji 😀 stays');
  });

  // feedparser's encoding/demoronize-1.xml and -2.xml: "don\u0092t" (bytes C2 92, or &#146;) is "don’t".
  it('reads C1 controls as the windows-1252 punctuation they stood for; the five it has none for go', () => {
    assert.equal(cleanText('don\u0092t \u0093quote\u0094 \u0096 \u0080 5 \u0099 \u009c\u0153'), 'don’t “quote” – € 5 ™ œœ');
    assert.equal(cleanText('a\u0081\u008d\u008f\u0090\u009db'), 'ab');
    assert.equal(cleanInline('It\u0092s  \u0085 fine'), 'It’s fine');
  });

  it('composes to NFC', () => {
    assert.equal(cleanText('e\u0301te\u0301'), 'été');
  });

  it('collapses runs of spaces and NBSP inside lines, keeping a lone NBSP', () => {
    assert.equal(collapseLine('  a \u00A0\u00A0 b\t c  \u00A0'), 'a b c');
    assert.equal(collapseLine('Crédit photo\u00A0: AFP'), 'Crédit photo\u00A0: AFP');
    assert.equal(cleanInline(' one\n two \u00A0 three '), 'one two three');
  });

  it('sees lines of spaces, NBSP and zero-width marks as blank', () => {
    assert.equal(isBlankLine(' \u00A0\t\u200B'), true);
    assert.equal(isBlankLine(' x '), false);
  });

  it('escapes HTML text', () => {
    assert.equal(escapeHtmlText('a < b & c > "d"'), 'a &lt; b &amp; c &gt; "d"');
  });
});

describe('excerpts', () => {
  it('finds the first sentence, skipping abbreviations and initials', () => {
    assert.equal(firstSentence('U.S. officials met Mr. Smith on Friday. Talks ended.'), 'U.S. officials met Mr. Smith on Friday.');
    assert.equal(firstSentence('هل انتهت الأزمة؟ يقول الخبراء لا.'), 'هل انتهت الأزمة؟');
    assert.equal(firstSentence('No full stop here'), 'No full stop here');
  });

  it('cuts at a word boundary and marks the cut', () => {
    assert.equal(truncateAtWord('one two three four', 10), 'one two…');
    assert.equal(truncateAtWord('short', 10), 'short');
    assert.equal(truncateAtWord('abcdefghijklmnop', 10), 'abcdefghi…');
  });

  it('prefers a clause boundary in the second half of the room', () => {
    assert.equal(truncateAtWord('The deal was agreed, officials said on Friday evening', 30), 'The deal was agreed…');
  });

  it('makes a headline without a final full stop', () => {
    assert.equal(headlineFromText('The Senate passed the bill. It now goes to the House.', 140), 'The Senate passed the bill');
  });

  it('summarizes short ledes with the next paragraphs, within the limit', () => {
    assert.equal(summaryFromParagraphs(['Short lede.', 'Second paragraph here.'], 300), 'Short lede. Second paragraph here.');
    assert.equal(summaryFromParagraphs(['A'.repeat(50), 'B'.repeat(300)], 300), 'A'.repeat(50));
  });
});

describe('identity helpers', () => {
  it('serializes JSON with sorted keys at every level', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], e: undefined }), '{"a":[{"c":"x","d":null}],"b":1}');
  });
});

describe('absoluteWebUrl', () => {
  it('resolves against the base and accepts only http(s)', () => {
    assert.equal(absoluteWebUrl('/a/b?c=1', 'https://example.com/feed'), 'https://example.com/a/b?c=1');
    assert.equal(absoluteWebUrl('https://other.example/x', 'https://example.com/'), 'https://other.example/x');
    assert.equal(absoluteWebUrl(' https://example.com/with space ', null), 'https://example.com/withspace');
    assert.equal(absoluteWebUrl('/relative', null), null);
    assert.equal(absoluteWebUrl('javascript:alert(1)', 'https://example.com/'), null);
    assert.equal(absoluteWebUrl('ftp://example.com/file', null), null);
    assert.equal(absoluteWebUrl('', 'https://example.com/'), null);
  });
});
