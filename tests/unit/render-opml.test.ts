import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { XMLParser } from 'fast-xml-parser';

import { renderOpml } from '../../src/render/opml.ts';
import type { OpmlEntry } from '../../src/render/opml.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

const HEAD = { title: 'Wirefeed feeds', dateCreated: new Date('2020-04-10T12:30:00.000Z') };

function entry(id: string, overrides: Partial<OpmlEntry> = {}): OpmlEntry {
  return {
    text: `Wirefeed · ${id}`,
    title: `Wirefeed · ${id}`,
    xmlUrl: `https://feeds.example.org/feeds/${id}.rss`,
    htmlUrl: 'https://feeds.example.org/',
    type: 'rss',
    ...overrides,
  };
}

describe('renderOpml', () => {
  it('writes an OPML 2.0 subscription list grouped by category', () => {
    const xml = renderOpml({ ...HEAD, ownerName: 'Newsroom' }, [
      entry('all'),
      entry('economy', { category: 'Topics' }),
      entry('source/agency-ar', { category: 'Sources', language: 'ar', text: 'Wirefeed · وكالة', title: 'Wirefeed · وكالة' }),
      entry('politics', { category: 'Topics', type: 'atom', xmlUrl: 'https://feeds.example.org/feeds/politics.atom' }),
    ]);
    assert.equal(
      xml,
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0">',
        '  <head>',
        '    <title>Wirefeed feeds</title>',
        '    <dateCreated>Fri, 10 Apr 2020 12:30:00 GMT</dateCreated>',
        '    <ownerName>Newsroom</ownerName>',
        '  </head>',
        '  <body>',
        '    <outline type="rss" text="Wirefeed · all" title="Wirefeed · all" xmlUrl="https://feeds.example.org/feeds/all.rss" htmlUrl="https://feeds.example.org/"/>',
        '    <outline text="Topics">',
        '      <outline type="rss" text="Wirefeed · economy" title="Wirefeed · economy" xmlUrl="https://feeds.example.org/feeds/economy.rss" htmlUrl="https://feeds.example.org/"/>',
        '      <outline type="rss" text="Wirefeed · politics" title="Wirefeed · politics" xmlUrl="https://feeds.example.org/feeds/politics.atom" htmlUrl="https://feeds.example.org/"/>',
        '    </outline>',
        '    <outline text="Sources">',
        '      <outline type="rss" text="Wirefeed · وكالة" title="Wirefeed · وكالة" xmlUrl="https://feeds.example.org/feeds/source/agency-ar.rss" htmlUrl="https://feeds.example.org/" language="ar"/>',
        '    </outline>',
        '  </body>',
        '</opml>',
        '',
      ].join('\n'),
    );
    assert.deepEqual(xmlProblems(xml), []);
  });

  it('escapes attribute and text values and drops control characters', () => {
    const xml = renderOpml({ ...HEAD, title: 'Feeds <& "more">\u0001' }, [
      entry('x', {
        text: 'Q&A "desk" <b>\u0002',
        title: 'line\nbreak',
        xmlUrl: 'https://feeds.example.org/feeds/x.rss?a=1&b=2',
        category: 'R&D <lab>',
      }),
    ]);
    assert.deepEqual(xmlProblems(xml), []);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    assert.equal(doc.opml.head.title, 'Feeds <& "more">');
    const group = doc.opml.body.outline;
    assert.equal(group.text, 'R&D <lab>');
    assert.equal(group.outline.text, 'Q&A "desk" <b>');
    assert.equal(group.outline.title, 'line break');
    assert.equal(group.outline.xmlUrl, 'https://feeds.example.org/feeds/x.rss?a=1&b=2');
    assert.ok(xml.includes('text="Q&amp;A &quot;desk&quot; &lt;b&gt;"'));
  });

  it('writes a valid list with no feeds', () => {
    const xml = renderOpml(HEAD, []);
    assert.deepEqual(xmlProblems(xml), []);
    assert.ok(xml.includes('  <body/>\n'));
  });
});
