/**
 * A feed is its head and its articles' entries (src/render/feed-entries.ts): an entry rendered
 * once serves every feed of its context, its revision follows the record and the configuration,
 * and a document joined from entries is the document itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { entryContext } from '../../src/render/article-view.ts';
import { insertEntries, renderEntryWithFeed } from '../../src/render/feed-adapter.ts';
import { FEED_FORMATS } from '../../src/render/feed-catalog.ts';
import { entryRevision, entrySlot, renderDocument, renderEntry, renderFingerprint } from '../../src/render/feed-entries.ts';
import { renderJsonFeed } from '../../src/render/json-feed.ts';
import { renderRss } from '../../src/render/rss.ts';
import type { ArticleRecord } from '../../src/model/article-record.ts';
import { ARABIC, ENGLISH, FRENCH_WIRE, HOSTILE, feedMeta } from '../fixtures/render/articles.ts';
import { xmlProblems } from '../fixtures/render/strict-xml.ts';

const MIXED = [ARABIC, ENGLISH, FRENCH_WIRE, HOSTILE];

/** Two mixed feeds that differ in everything a feed's head says: its id, title, URLs, time. */
const ALL = feedMeta();
const ECONOMY = feedMeta({
  id: 'economy',
  title: 'Wirefeed · Economy',
  description: 'Economy, from every source.',
  selfUrls: { rss: 'https://feeds.example.org/feeds/economy.rss', atom: 'https://feeds.example.org/feeds/economy.atom', json: 'https://feeds.example.org/feeds/economy.json' },
  updated: new Date('2020-04-11T08:00:00.000Z'),
});

describe('feed entries', () => {
  for (const format of FEED_FORMATS) {
    it(`${format}: one entry serves every feed of its context, and the document holds it verbatim`, () => {
      const inAll = renderEntry(format, ARABIC, entryContext(ALL));
      const inEconomy = renderEntry(format, ARABIC, entryContext(ECONOMY));
      assert.equal(inEconomy, inAll);
      assert.equal(entrySlot(format, entryContext(ECONOMY)), entrySlot(format, entryContext(ALL)));
      const doc = renderDocument(format, ECONOMY, [inAll, renderEntry(format, ENGLISH, entryContext(ALL))]);
      assert.ok(doc.includes(inAll), 'the stored entry is in the document as it is');
      if (format !== 'json') assert.deepEqual(xmlProblems(doc), []);
    });

    it(`${format}: a feed of another language has its own slot and its own entry`, () => {
      const french = feedMeta({ language: 'fr' });
      assert.notEqual(entrySlot(format, entryContext(french)), entrySlot(format, entryContext(ALL)));
      assert.equal(entrySlot(format, entryContext(french)), `${format}:fr`);
      assert.equal(entrySlot(format, entryContext(ALL)), `${format}:*`);
      // In a French feed the Arabic story's topics are labelled in French, and RSS says its language.
      const entry = renderEntry(format, ARABIC, entryContext(french));
      assert.notEqual(entry, renderEntry(format, ARABIC, entryContext(ALL)));
      assert.match(entry, /Politique/);
    });
  }

  it('JSON Feed: a document joined from entries is what JSON.stringify writes for the whole feed', () => {
    for (const articles of [[], [ENGLISH], MIXED]) {
      const doc = renderJsonFeed(ALL, articles);
      assert.equal(doc, JSON.stringify(JSON.parse(doc), null, 2));
      assert.equal((JSON.parse(doc) as { items: unknown[] }).items.length, articles.length);
    }
  });

  it('RSS and Atom: entries go where the library writes its items, after the head and its archive links', () => {
    const entries = MIXED.map((a) => renderEntry('rss', a, entryContext(ALL)));
    const doc = renderRss(ALL, MIXED);
    assert.equal(doc, renderDocument('rss', ALL, entries));
    const head = renderDocument('rss', ALL, []);
    assert.equal(insertEntries(head, 'rss', []), head);
    assert.ok(doc.indexOf('<atom:link') < doc.indexOf('<item>'));
    assert.ok(doc.trimEnd().endsWith('</item>\n    </channel>\n</rss>'));
    const atom = renderDocument('atom', ALL, MIXED.map((a) => renderEntry('atom', a, entryContext(ALL))));
    assert.deepEqual(xmlProblems(atom), []);
    assert.ok(atom.trimEnd().endsWith('</entry>\n</feed>'));
    assert.equal(atom.split('<entry').length - 1, MIXED.length);
  });

  it('renders one item at a time', () => {
    assert.throws(() => renderEntryWithFeed({ format: 'rss', characterReferences: 'hex', options: { title: '', id: '', copyright: '' }, items: [] }), RangeError);
  });

  describe('revisions', () => {
    const fingerprint = renderFingerprint('Wirefeed 1.0.0', entryContext(ALL));
    const changes: [string, Partial<ArticleRecord>][] = [
      ['headline', { headline: 'Another headline' }],
      ['body', { bodyHtml: '<p>Corrected.</p>' }],
      ['status', { status: 'canceled' }],
      ['topics', { topics: [] }],
      ['images', { images: [] }],
      ['updated', { updated: '2020-04-10T13:00:00.000Z' }],
    ];
    for (const [name, change] of changes) {
      it(`a change of ${name} makes a new revision`, () => {
        assert.notEqual(entryRevision({ ...ARABIC, ...change }, fingerprint), entryRevision(ARABIC, fingerprint));
      });
    }
    it('the same record has the same revision', () => {
      assert.equal(entryRevision(structuredClone(ARABIC), fingerprint), entryRevision(ARABIC, fingerprint));
    });
    it('another version, public URL or topic title makes another fingerprint', () => {
      const context = entryContext(ALL);
      const others = [
        renderFingerprint('Wirefeed 1.0.1', context),
        renderFingerprint('Wirefeed 1.0.0', { ...context, publicUrl: 'https://news.example.org/' }),
        renderFingerprint('Wirefeed 1.0.0', { ...context, topics: [{ slug: 'economy', title: { en: 'Money', ar: 'اقتصاد', fr: 'Argent' } }] }),
      ];
      assert.equal(new Set([fingerprint, ...others]).size, 4);
      // The feed's own head (title, time) is not part of it.
      assert.equal(renderFingerprint('Wirefeed 1.0.0', entryContext(ECONOMY)), fingerprint);
    });
  });
});
