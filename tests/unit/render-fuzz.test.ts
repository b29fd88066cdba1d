/**
 * Random hostile text through every renderer: the output must stay well-formed and the text must
 * come back exactly, less the characters XML cannot carry. Seeded, so every run is the same.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import Parser from 'rss-parser';

import { renderAtom } from '../../src/render/atom.ts';
import { renderJsonFeed } from '../../src/render/json-feed.ts';
import { renderRss } from '../../src/render/rss.ts';
import { ENGLISH, feedMeta } from '../fixtures/render/articles.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

// Markup, entities, CDATA delimiters, the adapter's own sentinels, controls, Arabic, astral.
const PALETTE = [
  '<', '>', '&', '"', "'", ']]>', ']]', '<![CDATA[', '&amp;', '&#x26;', '&lt;', '</title>', '<entry>',
  '\u0000', '\u0001', '\u0008', '\u000B', '\u001F', '\u007F', '\u0085', '\uFDD0', '\uFDD1', '\uFDD2', '\uFDD3',
  '\uFFFE', '\uD800', 'ع', 'ربي', '“', '»', 'é', '😀', ' ', '\n', 'a', 'Z', '9', ':',
];
const REMOVED = new Set(['\u0000', '\u0001', '\u0008', '\u000B', '\u001F', '\u007F', '\u0085', '\uFDD0', '\uFDD1', '\uFDD2', '\uFDD3', '\uFFFE', '\uD800']);

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function hostileText(next: () => number): { input: string; kept: string } {
  let input = 'x';
  let kept = 'x';
  const length = 1 + Math.floor(next() * 30);
  for (let i = 0; i < length; i += 1) {
    const piece = PALETTE[Math.floor(next() * PALETTE.length)]!;
    input += piece;
    if (!REMOVED.has(piece)) kept += piece;
  }
  return { input: input + 'y', kept: kept + 'y' };
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');
const parser = new Parser();

describe('rendering random hostile text', () => {
  it('stays well-formed and round-trips in RSS, Atom and JSON Feed', async () => {
    const next = random(20200410);
    for (let round = 0; round < 150; round += 1) {
      const headline = hostileText(next);
      const body = hostileText(next);
      const author = hostileText(next);
      const article = { ...ENGLISH, headline: headline.input, bodyHtml: body.input, authors: [author.input] };
      const title = hostileText(next);
      const meta = feedMeta({ title: title.input });

      const rss = renderRss(meta, [article]);
      assert.deepEqual(xmlProblems(rss), [], rss);
      const fromRss = await parser.parseString(rss);
      assert.equal(fromRss.title, title.kept);
      assert.equal(fromRss.items[0]!.title, oneLine(headline.kept));
      assert.equal(fromRss.items[0]!['content:encoded'], body.kept);
      assert.equal(fromRss.items[0]!.creator, oneLine(author.kept));

      const atom = renderAtom(meta, [article]);
      assert.deepEqual(xmlProblems(atom), [], atom);
      const fromAtom = await parser.parseString(atom);
      assert.equal(fromAtom.title, title.kept);
      assert.equal(fromAtom.items[0]!.title, oneLine(headline.kept));
      assert.equal(fromAtom.items[0]!.content, body.kept);
      assert.equal(fromAtom.items[0]!.author, oneLine(author.kept));

      const json = JSON.parse(renderJsonFeed(meta, [article]));
      assert.equal(json.title, title.kept);
      assert.equal(json.items[0].title, oneLine(headline.kept));
      assert.equal(json.items[0].content_html, body.kept);
    }
  });

  it('keeps datelines, figures, read-also links, categories and credits well-formed and exact', async () => {
    const next = random(20260412);
    const html = (text: string) => oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    for (let round = 0; round < 100; round += 1) {
      const [dateline, caption, credit, related, keyword, provider, source, topic] = Array.from({ length: 8 }, () => hostileText(next));
      const article = {
        ...ENGLISH,
        url: null,
        sourceId: source!.input,
        authors: [],
        provider: provider!.input,
        dateline: { text: dateline!.input, outlet: null, city: null, country: null, sources: [], agencies: [] },
        images: [{ url: 'https://img.example.com/a.jpg', caption: caption!.input, credit: credit!.input }],
        related: [{ title: related!.input, url: `https://wire.example.com/${related!.input}` }],
        keywords: [keyword!.input],
        topics: [{ slug: topic!.input, code: topic!.input, score: 1, origin: 'rule' as const }],
      };
      const expected = [
        `<span class="dateline">${html(dateline!.kept)}</span>`,
        `<figcaption>${html(caption!.kept)} — ${html(credit!.kept)}</figcaption>`,
        `>${html(related!.kept)}</a></li>`,
      ];

      const rss = renderRss(feedMeta(), [article]);
      assert.deepEqual(xmlProblems(rss), [], rss);
      const fromRss = (await parser.parseString(rss)).items[0]!;
      for (const part of expected) assert.ok(fromRss['content:encoded']!.includes(part), `${part} in ${fromRss['content:encoded']}`);
      assert.match(fromRss.link!, /^https:\/\/feeds\.example\.org\/articles\//);

      const atom = renderAtom(feedMeta(), [article]);
      assert.deepEqual(xmlProblems(atom), [], atom);
      const fromAtom = (await parser.parseString(atom)).items[0]!;
      for (const part of expected) assert.ok(fromAtom.content!.includes(part), `${part} in ${fromAtom.content}`);
      assert.equal(fromAtom.author, oneLine(provider!.kept));

      const json = JSON.parse(renderJsonFeed(feedMeta(), [article]));
      for (const part of expected) assert.ok(json.items[0].content_html.includes(part));
      assert.ok(json.items[0].tags.includes(oneLine(keyword!.kept)));
    }
  });
});
