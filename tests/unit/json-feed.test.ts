import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseJsonFeed } from '../../src/formats/json-feed.ts';
import { WireError } from '../../src/model/wire-error.ts';

const fixture = readFileSync(new URL('../fixtures/feeds/json-feed-1.1.json', import.meta.url), 'utf8');

describe('parseJsonFeed', () => {
  it('maps the JSON Feed 1.1 fixture', () => {
    assert.deepEqual(parseJsonFeed(fixture), {
      format: 'json-feed',
      title: 'Field Notes',
      link: 'https://notes.example.com/',
      language: 'en-US',
      items: [
        {
          guid: 'https://notes.example.com/2024/03/kestrels',
          url: 'https://notes.example.com/2024/03/kestrels',
          title: 'Kestrels nesting on the water tower',
          summary: 'The kestrels are back.',
          contentHtml: '<p>A pair of kestrels has returned to the old water tower for a third spring.</p>',
          published: '2024-03-09T07:45:00-05:00',
          updated: '2024-03-09T09:00:00-05:00',
          authors: ['Priya Natarajan', 'Sam Okafor'],
          categories: ['birds', 'spring'],
          language: 'en-US',
          images: [{ url: 'https://notes.example.com/img/kestrel.jpg', caption: null, credit: null }],
        },
        {
          guid: '2',
          contentText: 'Frost again this morning.\n\nThe allotments stay closed until Friday.',
          published: '2024-03-08T06:30:00-05:00',
          authors: ['Priya Natarajan'],
          language: 'en-GB',
          related: [{ title: 'https://allotments.example.org/notices', url: 'https://allotments.example.org/notices' }],
        },
      ],
    });
  });

  it('reads the JSON Feed 1.0 singular author', () => {
    const doc = parseJsonFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1',
        title: 'Old style',
        author: { name: 'Feed Author' },
        items: [
          { id: 1, title: 'first', author: { name: 'Item Author' }, content_text: 'x' },
          { id: 'b', title: 'second', content_html: '<p>y</p>' },
        ],
      }),
    );
    assert.equal(doc.items[0]?.guid, '1');
    assert.deepEqual(doc.items[0]?.authors, ['Item Author']);
    assert.deepEqual(doc.items[1]?.authors, ['Feed Author']);
    assert.equal(doc.language, undefined);
  });

  it('keeps image attachments with their title as caption', () => {
    const doc = parseJsonFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        items: [
          {
            id: 'a',
            attachments: [
              { url: 'https://x.example/p.png', mime_type: 'image/png', title: 'The pier' },
              { url: 'https://x.example/a.mp3', mime_type: 'audio/mpeg' },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(doc.items[0]?.images, [{ url: 'https://x.example/p.png', caption: 'The pier', credit: null }]);
  });

  it('skips wrongly typed members instead of failing', () => {
    const doc = parseJsonFeed('{"version":"https://jsonfeed.org/version/1.1","title":42,"items":[{"id":"z","title":["no"],"tags":"one","authors":"me"}, 7]}');
    assert.deepEqual(doc, { format: 'json-feed', items: [{ guid: 'z' }] });
  });

  it('throws PARSE_ERROR for invalid JSON', () => {
    assert.throws(
      () => parseJsonFeed('{"version":"https://jsonfeed.org/version/1.1","items":['),
      (err: unknown) => err instanceof WireError && err.code === 'PARSE_ERROR' && /invalid JSON Feed/.test(err.message),
    );
  });

  it('throws PARSE_ERROR for a top level that is not an object', () => {
    assert.throws(() => parseJsonFeed('[1,2]'), (err: unknown) => err instanceof WireError && err.code === 'PARSE_ERROR');
  });
});
