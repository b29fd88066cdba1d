/**
 * The three plain-text wire stories of tests/fixtures/wire, parsed and normalized as ingest does,
 * then rendered: what the copy printed around the story (dateline, photo credit, read-also) is back
 * in every format, where the agency printed it, and every item links to a page that opens.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import Parser from 'rss-parser';

import { parseDocument } from '../../src/formats/parse-document.ts';
import type { ArticleRecord } from '../../src/model/article-record.ts';
import { normalizeItem } from '../../src/normalize/normalize-item.ts';
import { renderAtom } from '../../src/render/atom.ts';
import { renderJsonFeed } from '../../src/render/json-feed.ts';
import { renderRss } from '../../src/render/rss.ts';
import { feedMeta } from '../fixtures/render/articles.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

const WIRE = new URL('../fixtures/wire/', import.meta.url);

async function record(file: string): Promise<ArticleRecord> {
  const doc = await parseDocument(readFileSync(new URL(file, WIRE), 'utf8'));
  return normalizeItem(doc.items[0]!, { sourceId: 'wire', now: new Date('2020-04-10T12:00:00.000Z') });
}

const EXPECTED = [
  {
    file: 'seed-ar-kremlin.txt',
    head: '<div dir="rtl" lang="ar"><p><span class="dateline">أخبار الآن | موسكو – روسيا (وكالات)</span> — أعلن الكرملين',
    tail: '<p class="credit">مصدر الصورة: REUTERS</p><p><strong>اقرأ أيضاً</strong></p><ul class="related"><li>الاتحاد الأوروبي يعقد قمة في 23 نيسان/أبريل لبحث الانتعاش الاقتصادي</li></ul></div>',
    author: 'وكالات',
  },
  {
    file: 'en-ap-senate.txt',
    head: '<p><span class="dateline">WASHINGTON (AP)</span> — The Senate voted',
    tail: '<p class="credit">Photo: AP</p><p><strong>Read also</strong></p><ul class="related"><li>House leaders weigh next steps on the budget</li></ul>',
    author: 'AP',
  },
  {
    file: 'fr-afp-confinement.txt',
    head: '<p><span class="dateline">PARIS, 10 avril 2020 (AFP)</span> — Le gouvernement',
    tail: '<p class="credit">Crédit photo : AFP</p><p><strong>Lire aussi</strong></p><ul class="related"><li>Les hôpitaux de la région parisienne sous tension</li></ul>',
    author: 'AFP',
  },
];

describe('wire copy in the feeds', () => {
  it('gives back dateline, photo credit and read-also in RSS, Atom and JSON Feed, with a link to the article page', async () => {
    const records = await Promise.all(EXPECTED.map((e) => record(e.file)));
    const pages = records.map((r) => `https://feeds.example.org/articles/${r.id}`);
    const parser = new Parser();

    const rss = renderRss(feedMeta(), records);
    assert.deepEqual(xmlProblems(rss), []);
    const atom = renderAtom(feedMeta(), records);
    assert.deepEqual(xmlProblems(atom), []);
    const fromRss = (await parser.parseString(rss)).items;
    const fromAtom = (await parser.parseString(atom)).items;
    const json = JSON.parse(renderJsonFeed(feedMeta(), records)).items;

    EXPECTED.forEach((expected, i) => {
      for (const [format, html] of [
        ['rss', fromRss[i]!['content:encoded'] as string],
        ['atom', fromAtom[i]!.content!],
        ['json', json[i].content_html as string],
      ] as const) {
        assert.ok(html.startsWith(expected.head), `${expected.file} ${format}: ${html.slice(0, 200)}`);
        assert.ok(html.endsWith(expected.tail), `${expected.file} ${format}: ${html.slice(-300)}`);
      }
      assert.equal(fromRss[i]!.link, pages[i]);
      assert.equal(fromAtom[i]!.link, pages[i]);
      assert.equal(json[i].url, pages[i]);
      // No person is named: Atom credits the agency of the dateline.
      assert.equal(fromAtom[i]!.author, expected.author);
    });
  });
});
