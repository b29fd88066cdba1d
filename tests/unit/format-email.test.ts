import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { looksLikeEmail, parseEmail } from '../../src/formats/email.ts';

const own = readFileSync(new URL('../fixtures/formats/email-ar-rabat.eml', import.meta.url), 'utf8');
const SHARED = resolve(import.meta.dirname, '../../../shared/corpora/wire/email-rfc822/simple_email.txt');

test('an Arabic story sent by e-mail: encoded-word subject and sender, quoted-printable body, no signature', async () => {
  assert.equal(looksLikeEmail(own), true);
  const doc = await parseEmail(own);
  assert.equal(doc.format, 'email');
  assert.deepEqual(doc.items, [
    {
      guid: 'rabat-book-fair-1@agency.example',
      title: 'عاجل: افتتاح معرض الكتاب في الرباط',
      contentText: 'الرباط (و م ع) - افتتح صباح اليوم معرض الكتاب الدولي في دورته الجديدة بمشاركة أكثر من 700 دار نشر من 50 بلدا.\n\nوقالت وزارة الثقافة إن المعرض يستمر عشرة أيام.',
      contentHtml: undefined,
      published: '2024-11-12T08:30:00.000Z',
      authors: ['مكتب الرباط'],
    },
  ]);
});

test('not an e-mail: prose, a dateline line, a header-like first line without Subject', () => {
  assert.equal(looksLikeEmail('CAIRO (Reuters) - Officials said on Tuesday…'), false);
  assert.equal(looksLikeEmail('Note: this is a memo\n\nbody'), false);
  assert.equal(looksLikeEmail('From: desk\nTo: wire\n\nno subject here'), false);
});

test('the shared AAP e-mail fixture', { skip: existsSync(SHARED) ? false : `${SHARED} is absent (../shared)` }, async () => {
  const doc = await parseEmail(readFileSync(SHARED, 'utf8'));
  const [item] = doc.items;
  assert.equal(item?.title, 'Test message 1234');
  assert.equal(item?.contentText, 'body text');
  assert.deepEqual(item?.authors, ['a sender']);
  assert.equal(item?.published, '2015-02-19T06:18:40.000Z');
  assert.equal(item?.guid, 'CAHU3GgVHd6C_RSMQXvOhr6V-Ya0LwdBkqpbZ_qUwGF8JvhrQVg@mail.gmail.com');
});
