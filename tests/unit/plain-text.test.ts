import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePlainText } from '../../src/formats/plain-text.ts';
import { isWireError } from '../../src/model/wire-error.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/wire/${name}`, import.meta.url), 'utf8');

describe('parsePlainText', () => {
  it('keeps the seed whole: its first line is a dateline, not a headline', () => {
    const seed = fixture('seed-ar-kremlin.txt');
    const doc = parsePlainText(seed);
    assert.equal(doc.format, 'plain-text');
    assert.equal(doc.items.length, 1);
    assert.equal(doc.items[0]?.title, undefined);
    assert.equal(doc.items[0]?.contentText, seed);
  });

  it('takes a clear first-line headline as the title and leaves the rest as content', () => {
    const doc = parsePlainText(fixture('en-ap-senate.txt'));
    const item = doc.items[0];
    assert.equal(item?.title, 'Senate passes stopgap bill hours before shutdown deadline');
    assert.ok(item?.contentText?.startsWith('WASHINGTON (AP) \u2014 The Senate voted 52-48'));
    assert.ok(!item?.contentText?.includes('Senate passes stopgap bill'));
  });

  it('normalizes CRLF and CR line endings and strips the byte-order mark', () => {
    const doc = parsePlainText('\uFEFFOil output cut agreed\r\n\r\nFirst line.\r\nSecond line.\rThird line.\r\n');
    assert.deepEqual(doc.items, [
      { title: 'Oil output cut agreed', contentText: 'First line.\nSecond line.\nThird line.\n' },
    ]);
  });

  it('does not take a line ending with a full stop, colon or comma for a headline', () => {
    for (const first of ['The Senate voted on Thursday.', 'إقرأ أيضاً:', 'Meanwhile,']) {
      const text = `${first}\n\nMore copy follows here.\n`;
      assert.deepEqual(parsePlainText(text).items, [{ contentText: text }], first);
    }
  });

  it('does not take a standalone dateline for a headline', () => {
    const text = 'MOSCOW, Monday (Reuters)\n\nThe Kremlin said on Monday that talks would continue.\n';
    assert.deepEqual(parsePlainText(text).items, [{ contentText: text }]);
  });

  it('needs a blank line and more copy after a headline', () => {
    const noBlank = 'Markets rally\nStocks rose sharply on Monday.\n';
    assert.deepEqual(parsePlainText(noBlank).items, [{ contentText: noBlank }]);
    const alone = 'Markets rally\n\n';
    assert.deepEqual(parsePlainText(alone).items, [{ contentText: alone }]);
  });

  it('does not take an overlong first line for a headline', () => {
    const long = `${'word '.repeat(40).trim()}\n\nBody.\n`;
    assert.equal(parsePlainText(long).items[0]?.title, undefined);
  });

  it('rejects an empty or whitespace-only document with EMPTY_DOCUMENT', () => {
    for (const text of ['', '  \n\u00A0\n\t\r\n']) {
      assert.throws(
        () => parsePlainText(text),
        (err: unknown) => isWireError(err) && err.code === 'EMPTY_DOCUMENT' && err.advice === 'give-up',
      );
    }
  });
});
