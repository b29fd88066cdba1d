import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCdf } from '../../src/formats/cdf.ts';
import { detectFormat } from '../../src/formats/detect-format.ts';
import { parseDocument } from '../../src/formats/parse-document.ts';
import { isWireError } from '../../src/model/wire-error.ts';

const fixture = readFileSync(new URL('../fixtures/formats/cdf-channel.xml', import.meta.url), 'utf8');

describe('CDF (Microsoft Channel Definition Format)', () => {
  it('reads a channel: title, link, items with HREF resolved against BASE, LASTMOD, ABSTRACT; sub-channels; names in any case', async () => {
    assert.equal(detectFormat(fixture), 'cdf');
    const doc = await parseDocument(fixture);
    assert.deepEqual(doc, {
      format: 'cdf',
      title: 'Harbour Town Courier',
      link: 'http://courier.example/',
      items: [
        {
          url: 'http://courier.example/news/ferry.html',
          title: 'Ferry service resumes',
          summary: 'The island ferry sails again on Wednesday.',
          updated: '1998-03-02T07:30:00-05:00',
        },
        // The sub-channel's own base.
        { url: 'http://courier.example/sport/regatta.html', title: 'Regatta postponed', updated: '1998-03-01T18:00:00-05:00' },
        { url: 'http://elsewhere.example/story', title: 'Absolute link' },
      ],
    });
  });

  it('without BASE, links stay as written (normalization resolves them against the channel link)', () => {
    const doc = parseCdf('<CHANNEL HREF="http://x.example/"><ITEM HREF="/item/1"><TITLE>One</TITLE></ITEM></CHANNEL>');
    assert.deepEqual(doc.items, [{ url: '/item/1', title: 'One' }]);
  });

  it('malformed CDF is refused as PARSE_ERROR naming the format', () => {
    assert.throws(
      () => parseCdf('<CHANNEL><ITEM HREF="a"><TITLE>cut</TITLE></CHANNEL>'),
      (err: unknown) => isWireError(err) && err.code === 'PARSE_ERROR' && /CDF/.test(err.message),
    );
  });

  it('a lowercase <channel> root without HREF is RSS that lost its <rss> element, read as RSS and said so; with HREF or in capitals, CDF', async () => {
    const cases: [string, string, string | undefined][] = [
      ['<?xml version="1.0"?><channel><title>T</title><link>https://e.example/</link><item><title>A</title><link>https://e.example/a</link><description>Body.</description></item></channel>', 'rss', 'Body.'],
      ['<!-- a comment --><channel><title>T</title><item><title>A</title><link>https://e.example/a</link><description>Body.</description></item></channel>', 'rss', 'Body.'],
      ['<channel href="https://e.example/"><title>T</title><item href="https://e.example/a"><title>A</title></item></channel>', 'cdf', undefined],
      ['<CHANNEL><TITLE>T</TITLE><ITEM HREF="https://e.example/a"><TITLE>A</TITLE></ITEM></CHANNEL>', 'cdf', undefined],
    ];
    for (const [xml, format, summary] of cases) {
      const doc = await parseDocument(xml, {});
      assert.equal(doc.format, format, xml);
      assert.equal(doc.items[0]?.url, 'https://e.example/a', xml);
      assert.equal(doc.items[0]?.summary, summary, xml);
      assert.equal(doc.repaired?.includes('RSS channel without its rss element') ?? false, format === 'rss', xml);
    }
  });
});
