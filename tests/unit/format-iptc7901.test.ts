import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { looksLikeAnpa1312 } from '../../src/formats/anpa1312.ts';
import { looksLikeIptc7901, parseIptc7901 } from '../../src/formats/iptc7901.ts';
import type { RawItem } from '../../src/model/raw-item.ts';
import { WireError } from '../../src/model/wire-error.ts';

const OWN = fileURLToPath(new URL('../fixtures/formats/', import.meta.url));
/** Third-party wire copy beside the project (../shared); read only, never copied here. */
const WIRE = fileURLToPath(new URL('../../../shared/corpora/wire/iptc7901/', import.meta.url));
const skip = existsSync(WIRE) ? false : `no IPTC 7901 corpus at ${WIRE} (../shared is absent)`;

/**
 * Bytes → text the way the decoding stage is expected to: UTF-8 when the bytes are valid
 * UTF-8, else windows-1252 (dpa's 7-bit/8-bit wire files are latin-1 era copy).
 */
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const own = (name: string) => decode(readFileSync(`${OWN}${name}`));
const wire = (name: string) => decode(readFileSync(`${WIRE}${name}`));

function only(text: string): RawItem {
  const doc = parseIptc7901(text);
  assert.equal(doc.format, 'iptc7901');
  assert.equal(doc.items.length, 1);
  return doc.items[0] as RawItem;
}

const paragraphs = (item: RawItem) => (item.contentText ?? '').split('\n\n');

function rejects(text: string, code: 'PARSE_ERROR' | 'EMPTY_DOCUMENT'): void {
  assert.throws(
    () => parseIptc7901(text),
    (err: unknown) => err instanceof WireError && err.code === code && err.message.length > 0,
  );
}

describe('parseIptc7901: own fixtures', () => {
  test('a French message: header, keywords, handling word, two authors, editors part, stamp', () => {
    assert.deepEqual(only(own('iptc7901-fr.txt')), {
      urgency: 2,
      subjects: [{ code: 'f', scheme: 'iptc7901-category' }],
      provider: 'aex',
      slugline: 'France/agriculture/eau',
      categories: ['France', 'agriculture', 'eau'],
      version: 'RECTIFICATIF',
      title: 'Les vignerons du Beaujolais testent l’irrigation goutte à goutte',
      authors: ['Élise Moreau', 'Jean Dupré'],
      contentText:
        'Villefranche-sur-Saône (AEX) - Une vingtaine de domaines viticoles\n' +
        'du Beaujolais testent cet été un système d’irrigation goutte à goutte,\n' +
        'a-t-on appris mardi auprès de la chambre d’agriculture.\n\n' +
        '« Nous économisons près d’un tiers de l’eau », explique un\n' +
        'vigneron de Fleurie.\n\n' +
        'Les premiers résultats seront présentés en novembre.',
      editorNote:
        '* * * *\nLes informations suivantes ne sont pas destinées à la publication\n\n' +
        'Contact rédaction : desk-fr@example.org\n\naex em jd',
      published: '101230 GMT juin 14',
    });
  });

  test('a message cut before ETX keeps what arrived', () => {
    const item = only(own('iptc7901-truncated.txt'));
    assert.equal(item.title, 'Coastal road closed as storm nears');
    assert.equal(item.slugline, 'Storm/coast');
    assert.equal(item.contentText, 'Port Mara (AEX) - The coastal road between Port Mara and\nKestwick was closed on Tuesday as a storm approached, the');
    assert.equal(item.published, undefined);
  });

  test('a message without STX: the text after the header and keyword lines is the body', () => {
    const item = only('\u0001xyz001 3 i 40\r\n\r\nWeather/\r\nHeavy rain is forecast for the north on Friday.\r\n\r\nRoads may flood.\u0003120800 GMT Jan 05');
    assert.equal(item.slugline, 'Weather');
    assert.equal(item.title, undefined);
    assert.equal(item.contentText, 'Heavy rain is forecast for the north on Friday.\n\nRoads may flood.');
    assert.equal(item.published, '120800 GMT Jan 05');
  });

  test('a heading not closed by " =": a short first paragraph followed by text', () => {
    const item = only('\u0001abc12 5 a 30\n\u0002Bridge reopens\n\nThe bridge reopened on Monday.\n\nTraffic is light.\n\u0003');
    assert.equal(item.title, 'Bridge reopens');
    assert.equal(item.contentText, 'The bridge reopened on Monday.\n\nTraffic is light.');
    const prose = only('\u0001abc12 5 a 30\n\u0002The bridge reopened on Monday after repairs.\n\nTraffic is light.\n\u0003');
    assert.equal(prose.title, undefined, 'a first paragraph ending in a full stop is body copy');
  });

  test('control characters other than TAB and LF never reach a field', () => {
    const item = only('\u0001abc12 5 a 30\n\u0002Head\u0007line =\n\nBody\u0000 text\u001b here.\u007f\n\u0003');
    assert.equal(item.title, 'Headline');
    assert.equal(item.contentText, 'Body text here.');
  });
});

describe('looksLikeIptc7901', () => {
  test('claims SOH + an IPTC 7901 header, not ANPA 1312 nor other text', () => {
    assert.equal(looksLikeIptc7901(own('iptc7901-fr.txt').slice(0, 64)), true);
    assert.equal(looksLikeIptc7901('\r\n\u0001eca062 4 i 211 ccccb   dpa 061\r\n'), true);
    assert.equal(looksLikeIptc7901(own('anpa-writethru.tst')), false);
    assert.equal(looksLikeAnpa1312(own('iptc7901-fr.txt')), false);
    assert.equal(looksLikeIptc7901('Plain wire copy\n\nwith two paragraphs.'), false);
    assert.equal(looksLikeIptc7901('{"uri": "x"}'), false);
    assert.equal(looksLikeIptc7901(''), false);
  });
});

describe('parseIptc7901: bad input', () => {
  test('0 bytes, whitespace, or only control characters', () => {
    rejects('', 'EMPTY_DOCUMENT');
    rejects('  \r\n', 'EMPTY_DOCUMENT');
    rejects('\u0001\u0002\u0003\u007f\u0004', 'EMPTY_DOCUMENT');
  });

  test('a header with nothing after it', () => {
    rejects('\u0001eca062 4 i 211 ccccb   dpa 061\r\n\r\nGermany-politics/\r\n', 'EMPTY_DOCUMENT');
    rejects('\u0001eca062 4 i 211 ccccb   dpa 061\r\n\u0002\r\n\u0003', 'EMPTY_DOCUMENT');
  });

  test('text with neither SOH nor STX is not IPTC 7901', () => {
    rejects('Just a paragraph of text.', 'PARSE_ERROR');
  });

  test('random binary never crashes: an item or a WireError', () => {
    let seed = 11;
    for (let round = 0; round < 50; round++) {
      const bytes = Array.from({ length: 2048 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 256));
      const text = `\u0001${String.fromCharCode(...bytes)}`;
      try {
        const doc = parseIptc7901(text);
        for (const item of doc.items) {
          // eslint-disable-next-line no-control-regex
          for (const v of [item.title, item.contentText, item.editorNote]) assert.ok(v === undefined || !/[\u0000-\u0008\u000B-\u001F\u007F]/.test(v));
        }
      } catch (err) {
        assert.ok(err instanceof WireError, String(err));
      }
    }
  });
});

describe('parseIptc7901: shared wire corpus (dpa English service)', () => {
  test('IPTC7901.txt', { skip }, () => {
    const item = only(wire('IPTC7901.txt'));
    assert.equal(item.guid, undefined, 'IPTC 7901 carries no identifier');
    assert.equal(item.urgency, 4);
    assert.deepEqual(item.subjects, [{ code: 'i', scheme: 'iptc7901-category' }]);
    assert.equal(item.provider, 'dpa');
    assert.equal(item.slugline, 'Germany-politics');
    assert.equal(item.version, undefined);
    assert.equal(item.status, undefined);
    assert.equal(item.title, 'Germany Social Democrats: Coalition talks with Merkel could fail');
    assert.equal(item.authors, undefined);
    assert.equal(item.published, '131137 GMT Nov 13');
    assert.equal(paragraphs(item).length, 5);
    assert.ok(item.contentText?.startsWith('Berlin (dpa) - Negotiations between German conservatives'));
    assert.ok(item.contentText?.endsWith('Merkel to be sworn in for a third term before\nChristmas.'));
    assert.ok(item.editorNote?.startsWith('# dpa NOTEBOOK'));
    assert.ok(item.editorNote?.includes('The following information is not for publication'));
    assert.ok(item.editorNote?.includes('- Reporting by: Wolfgang Schmidt'));
  });

  test('dpa_two_line.txt: handling word and a headline, dateline left in the body', { skip }, () => {
    const item = only(wire('dpa_two_line.txt'));
    assert.equal(item.urgency, 3);
    assert.deepEqual(item.subjects, [{ code: 'i', scheme: 'iptc7901-category' }]);
    assert.equal(item.provider, 'dpa');
    assert.equal(item.slugline, 'Yemen/conflict');
    assert.deepEqual(item.categories, ['Yemen', 'conflict']);
    assert.equal(item.version, 'EXTRA');
    assert.equal(item.title, 'Peace talks on Yemen to take place in Sweden next month, Mattis says');
    assert.equal(item.published, '212101 GMT Nov 18');
    assert.equal(paragraphs(item).length, 4);
    assert.ok(item.contentText?.startsWith('Washington (dpa) - US Defence Secretary Jim Mattis'));
    assert.ok(item.editorNote?.includes('[DOD news](http://dpaq.de/3UXnb)'), 'the notebook is for editors');
    assert.ok(!item.contentText?.includes('Notebook'));
  });

  test('dpa_four_line.txt: REFILE + 1ST LEAD, headline, "By dpa correspondents"', { skip }, () => {
    const item = only(wire('dpa_four_line.txt'));
    assert.equal(item.urgency, 3);
    assert.equal(item.provider, 'dpa');
    assert.equal(item.slugline, 'Switzerland/migration/UN');
    assert.equal(item.version, 'REFILE 1ST LEAD');
    assert.equal(item.title, 'Switzerland joins list of countries resisting UN migration pact');
    assert.deepEqual(item.authors, ['dpa correspondents']);
    assert.equal(item.published, '212322 GMT Nov 18');
    assert.equal(paragraphs(item).length, 15);
    assert.ok(item.contentText?.startsWith('Geneva (dpa) - Switzerland is joining a growing'));
    assert.ok(item.editorNote?.includes('- adds head of UNGA in grafs 7-11'));
    // The file's one non-ASCII byte is 0xA0 (NBSP), read as windows-1252.
    assert.ok(item.editorNote?.includes('and Helen\u00a0Corbett in New York'));
  });

  test('dpa_two_by_line.txt: headline and a byline with an affiliation', { skip }, () => {
    const item = only(wire('dpa_two_by_line.txt'));
    assert.equal(item.urgency, 4);
    assert.deepEqual(item.subjects, [{ code: 's', scheme: 'iptc7901-category' }]);
    assert.equal(item.provider, 'dpa-tns');
    assert.equal(item.slugline, 'American Football/NFL');
    assert.equal(item.version, undefined);
    assert.equal(item.title, "Chiefs-Rams 2.0? Would be a fun Super Bowl, but don't count on it");
    assert.deepEqual(item.authors, ['Tom Krasovic, The San Diego Union-Tribune']);
    assert.equal(item.published, '211259 Nov 18');
    assert.equal(paragraphs(item).length, 35);
    assert.ok(item.contentText?.startsWith("San Diego (tca/dpa) - History says this wasn't"));
    assert.ok(item.editorNote?.includes('- Distributed by Tribune Content Agency, LLC.'));
  });

  test('IPTC7901_odd_charset.txt: one latin-1 byte (0xFC) in otherwise ASCII copy', { skip }, () => {
    const bytes = readFileSync(`${WIRE}IPTC7901_odd_charset.txt`);
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'the file is not UTF-8');
    const item = only(decode(bytes));
    assert.equal(item.urgency, 3);
    assert.deepEqual(item.subjects, [{ code: 's', scheme: 'iptc7901-category' }]);
    assert.equal(item.slugline, 'Germany-football/Munich/Mueller');
    assert.equal(item.version, '1ST LEAD');
    assert.equal(item.title, 'German football saddened by illness to striker legend Mueller');
    assert.deepEqual(item.authors, ['Manuel Schwarz, dpa']);
    assert.equal(item.published, '071341 GMT Okt 15');
    assert.equal(paragraphs(item).length, 21);
    assert.ok(item.contentText?.startsWith('Munich (dpa) - German football generations past'));
    assert.ok(item.contentText?.includes('Bastian Schweinsteiger and Thomas Müller, and'));
    // Decoded as UTF-8 without fallback the byte is U+FFFD: the parser takes it as it is.
    const lossy = only(new TextDecoder('utf-8').decode(bytes));
    assert.ok(lossy.contentText?.includes('Thomas M\uFFFDller'));
  });

  test('looksLikeIptc7901 claims every corpus file', { skip }, () => {
    for (const f of ['IPTC7901.txt', 'IPTC7901_odd_charset.txt', 'dpa_four_line.txt', 'dpa_two_by_line.txt', 'dpa_two_line.txt']) {
      assert.equal(looksLikeIptc7901(wire(f).slice(0, 256)), true, f);
      assert.equal(looksLikeAnpa1312(wire(f)), false, f);
    }
  });
});
