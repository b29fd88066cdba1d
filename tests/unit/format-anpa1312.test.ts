import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { looksLikeAnpa1312, parseAnpa1312 } from '../../src/formats/anpa1312.ts';
import { looksLikeIptc7901 } from '../../src/formats/iptc7901.ts';
import type { RawItem } from '../../src/model/raw-item.ts';
import { WireError } from '../../src/model/wire-error.ts';

const OWN = fileURLToPath(new URL('../fixtures/formats/', import.meta.url));
/** Third-party wire copy beside the project (../shared); read only, never copied here. */
const WIRE = fileURLToPath(new URL('../../../shared/corpora/wire/anpa1312/', import.meta.url));
const skip = existsSync(WIRE) ? false : `no ANPA 1312 corpus at ${WIRE} (../shared is absent)`;

const own = (name: string) => readFileSync(`${OWN}${name}`, 'utf8');
// The AP files are 7-bit ASCII: any decoding gives the same text.
const wire = (name: string) => readFileSync(`${WIRE}${name}`, 'latin1');

function only(text: string): RawItem {
  const doc = parseAnpa1312(text);
  assert.equal(doc.format, 'anpa1312');
  assert.equal(doc.items.length, 1);
  return doc.items[0] as RawItem;
}

const paragraphs = (item: RawItem) => (item.contentText ?? '').split('\n\n');

function rejects(text: string, code: 'PARSE_ERROR' | 'EMPTY_DOCUMENT'): void {
  assert.throws(
    () => parseAnpa1312(text),
    (err: unknown) => err instanceof WireError && err.code === code && err.message.length > 0,
  );
}

describe('parseAnpa1312: own fixture', () => {
  test('a second write-through: every field', () => {
    assert.deepEqual(only(own('anpa-writethru.tst')), {
      urgency: 5,
      subjects: [{ code: 'a', scheme: 'anpa-category' }],
      version: '2ndLd-Writethru',
      title: 'Old river bridge to reopen after two years of repairs',
      slugline: 'BC-US--Bridge-Repairs',
      editorNote: "Eds: Updates with mayor's comments. Adds byline.",
      authors: ['MARIA LOPEZ', 'TOM REED'],
      contentText:
        'RIVERTON, Ohio (XP) _ The old river bridge will reopen to traffic next week after two years of repairs, city officials said Tuesday.\n\n' +
        "``It's been a long wait,'' the mayor said.\n\n" +
        'The repairs cost $14 million.',
      provider: 'XP',
      published: '2024-06-04T18:22:00Z',
    });
  });

  test('the ETX stamp is month-day-year GMT; one that is no real date is passed on as written', () => {
    const cases: [string, string][] = [
      ['AP-WF-06-04-24 1822GMT', '2024-06-04T18:22:00Z'],
      ['AP-WF-12-31-99 2359GMT', '1999-12-31T23:59:00Z'],
      ['AP-06-04-2024 0005GMT', '2024-06-04T00:05:00Z'],
      ['AP-WF-13-04-24 1822GMT', '13-04-24 1822GMT'],
      ['AP-WF-02-30-24 1822GMT', '02-30-24 1822GMT'],
      ['AP-WF-06-04-24 2460GMT', '06-04-24 2460GMT'],
    ];
    for (const [stamp, published] of cases) {
      const text = own('anpa-writethru.tst').replace('XP-WF-06-04-24 1822GMT', stamp);
      assert.ok(text.includes(stamp));
      assert.equal(only(text).published, published, stamp);
    }
  });

  test('a Kill take key withdraws the story', () => {
    const text = own('anpa-writethru.tst').replace('2ndLd-Writethru   06-04', 'Kill   06-04');
    const item = only(text);
    assert.equal(item.status, 'canceled');
    assert.equal(item.version, 'Kill');
  });

  test('a message cut before ETX keeps what arrived; one without STX reads past the header', () => {
    const full = own('anpa-writethru.tst');
    const cut = only(full.slice(0, full.indexOf('The repairs cost')));
    assert.equal(cut.title, 'Old river bridge to reopen after two years of repairs');
    assert.equal(paragraphs(cut).length, 2);
    assert.equal(cut.published, undefined);

    const noStx = only('\u0016\u0016\u0001a0001\u001f-----\nr a\u0013\u0011 BC-US--Storm   06-04 0040\n\t   A storm is expected tonight.\n');
    assert.equal(noStx.slugline, 'BC-US--Storm');
    assert.equal(noStx.contentText, 'A storm is expected tonight.');
  });

  test('tables: BS-led rows, DLE space bands, `^` section headings after the byline', () => {
    const text =
      '\u0016\u0016\u0001z0002\u001f-----\r\nr s\u0014\u0012 BC-SOC--Table     05-17 0100\r\n' +
      '\u0002^BC-SOC--League Table< \r\n^League Standings= \r\n^By Example Press= \r\n^NORTH GROUP= \r\n' +
      '\u0008^;P;W;D;L;Pts\u0010 \r\n\u0008Port\u0010 Mara;10;7;2;1;23\u0010 \r\n^SOUTH GROUP= \r\n\u0008Kestwick;10;5;3;2;18\u0010 \r\n' +
      '\u0003XP-WF-05-17-24 0620GMT<\r\n\u0004';
    const item = only(text);
    assert.equal(item.title, 'League Standings');
    assert.deepEqual(item.authors, ['Example Press']);
    assert.deepEqual(paragraphs(item), ['NORTH GROUP', ';P;W;D;L;Pts', 'Port Mara;10;7;2;1;23', 'SOUTH GROUP', 'Kestwick;10;5;3;2;18']);
  });
});

describe('looksLikeAnpa1312', () => {
  test('claims SYN SYN SOH, or SOH + service level, number and unit separator', () => {
    assert.equal(looksLikeAnpa1312(own('anpa-writethru.tst').slice(0, 32)), true);
    assert.equal(looksLikeAnpa1312('\u0001b1234\u001f-----\n'), true);
    assert.equal(looksLikeIptc7901(own('anpa-writethru.tst')), false);
    assert.equal(looksLikeAnpa1312('\u0001eca062 4 i 211 ccccb   dpa 061\r\n'), false);
    assert.equal(looksLikeAnpa1312('BC-US--Bridge-Repairs plain text'), false);
    assert.equal(looksLikeAnpa1312(''), false);
  });
});

describe('parseAnpa1312: bad input', () => {
  test('0 bytes, whitespace, or only control characters', () => {
    rejects('', 'EMPTY_DOCUMENT');
    rejects('\r\n \n', 'EMPTY_DOCUMENT');
    rejects('\u0016\u0016\u0001\u0002\u0003\u0004', 'EMPTY_DOCUMENT');
  });

  test('a header with no text', () => {
    rejects('\u0016\u0016\u0001a0001\u001f-----\nr a\u0013\u0011 BC-US--Storm   06-04 0040\n', 'EMPTY_DOCUMENT');
    rejects('\u0016\u0016\u0001a0001\u001f-----\nr a\u0013\u0011 BC-US--Storm   06-04 0040\n\u0002\u0003AP-WF-06-04-24 1822GMT', 'EMPTY_DOCUMENT');
  });

  test('text with neither SOH nor STX is not ANPA 1312', () => {
    rejects('BC-US--Storm\n\tA storm is expected tonight.', 'PARSE_ERROR');
  });

  test('random binary never crashes: an item or a WireError', () => {
    let seed = 5;
    for (let round = 0; round < 50; round++) {
      const bytes = Array.from({ length: 2048 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 256));
      try {
        const doc = parseAnpa1312(`\u0016\u0016\u0001${String.fromCharCode(...bytes)}`);
        for (const item of doc.items) {
          // eslint-disable-next-line no-control-regex
          for (const v of [item.title, item.contentText, item.summary]) assert.ok(v === undefined || !/[\u0000-\u0008\u000B-\u001F\u007F]/.test(v));
        }
      } catch (err) {
        assert.ok(err instanceof WireError, String(err));
      }
    }
  });
});

describe('parseAnpa1312: shared wire corpus (AP)', () => {
  test('ap_anpa-1.tst: 1stLd-Writethru, abstract line, dateline "ATLANTA (AP) _" kept', { skip }, () => {
    const item = only(wire('ap_anpa-1.tst'));
    assert.equal(item.guid, undefined, 'ANPA 1312 carries no identifier');
    assert.equal(item.urgency, 5);
    assert.deepEqual(item.subjects, [{ code: 'z', scheme: 'anpa-category' }]);
    assert.equal(item.version, '1stLd-Writethru');
    assert.equal(item.status, undefined);
    assert.equal(item.slugline, 'BC-BKN--Heat-Hawks');
    assert.equal(item.title, 'Deng has 30 points, short-handed Heat beat Hawks 115-111');
    assert.ok(item.summary?.startsWith('Luol Deng scored 30 points and Josh McRoberts had 19'));
    assert.equal(item.editorNote, 'Eds: Heat 115, Hawks 111. Updates. With AP Photos.');
    assert.deepEqual(item.authors, ['CHARLES ODUM']);
    assert.equal(item.provider, 'AP');
    assert.equal(item.published, '2016-02-20T03:37:00Z');
    assert.equal(paragraphs(item).length, 19);
    assert.ok(item.contentText?.startsWith('ATLANTA (AP) _ Luol Deng scored 30 points'));
    assert.ok(item.contentText?.endsWith('Hawks: Host Milwaukee on Saturday night.'));
  });

  test('anpa-1.tst: flash priority, two authors', { skip }, () => {
    const item = only(wire('anpa-1.tst'));
    assert.equal(item.urgency, 1);
    assert.deepEqual(item.subjects, [{ code: 'l', scheme: 'anpa-category' }]);
    assert.equal(item.version, undefined);
    assert.equal(item.slugline, 'BC-LT--Argentina-Cancer Beauty');
    assert.equal(item.title, 'For Argentine chemo patients, mirrors can hurt');
    assert.equal(item.summary, undefined);
    assert.equal(item.editorNote, 'Eds: With AP Photos.');
    assert.deepEqual(item.authors, ['PAUL BYRNE', 'ALMUDENA CALATRAVA']);
    assert.equal(item.provider, 'AP');
    assert.equal(item.published, '2013-11-13T15:09:00Z');
    assert.equal(paragraphs(item).length, 15);
    assert.ok(item.contentText?.startsWith('BUENOS AIRES, Argentina (AP) _ For cancer patients'));
  });

  test("anpa-2.tst: Eds and EDITOR'S NOTE lines", { skip }, () => {
    const item = only(wire('anpa-2.tst'));
    assert.equal(item.urgency, 5);
    assert.deepEqual(item.subjects, [{ code: 'a', scheme: 'anpa-category' }]);
    assert.equal(item.version, '1stLd-Writethru');
    assert.equal(item.slugline, 'BC-US--Ethanol-Losing Grassland');
    assert.equal(item.title, 'Prairies vanish in the US push for green energy');
    assert.ok(item.editorNote?.startsWith('Eds: Restores reference in 3rd paragraph'));
    assert.ok(item.editorNote?.endsWith('\nThis is part of an Associated Press investigation into the hidden costs of green energy.'));
    assert.deepEqual(item.authors, ['CHET BROKAW', 'JACK GILLUM']);
    assert.equal(item.published, '2013-11-13T07:45:00Z');
    assert.equal(paragraphs(item).length, 34);
    assert.ok(item.contentText?.startsWith('ROSCOE, South Dakota (AP) _ Robert Malsam nearly'));
  });

  test('anpa-3.tst: weather table without a headline line', { skip }, () => {
    const item = only(wire('anpa-3.tst'));
    assert.equal(item.urgency, 3);
    assert.deepEqual(item.subjects, [{ code: 'i', scheme: 'anpa-category' }]);
    assert.equal(item.slugline, 'BC-WEA--Global Weather-Fahrenheit');
    assert.equal(item.title, undefined);
    assert.equal(item.authors, undefined);
    assert.equal(item.published, '2013-11-13T07:13:00Z');
    const paras = paragraphs(item);
    assert.equal(paras.length, 115);
    assert.ok(paras[0]?.startsWith('NEW YORK (AP) _ Minimum and maximum temperatures'));
    assert.equal(paras[1], ';MIN;MAX;COND;PRECIP;MIN;MAX;COND;MIN;MAX;COND');
    assert.equal(paras[2], 'Amsterdam;42;50;rn;0.08;39;52;pc;39;48;rn');
    assert.equal(paras.at(-1), 'Source: Weather Underground', 'the "^END<" line is no paragraph');
  });

  test('ap_anpa-2.tst: standings table with BS rows and DLE space bands', { skip }, () => {
    const item = only(wire('ap_anpa-2.tst'));
    assert.equal(item.urgency, 5);
    assert.deepEqual(item.subjects, [{ code: 'z', scheme: 'anpa-category' }]);
    assert.equal(item.slugline, 'BC-BBO--Baseball Expanded Glance');
    assert.equal(item.title, 'Baseball Expanded Standings');
    assert.deepEqual(item.authors, ['The Associated Press']);
    assert.equal(item.published, '2016-05-17T06:20:00Z');
    const paras = paragraphs(item);
    assert.equal(paras.length, 123);
    assert.deepEqual(paras.slice(0, 4), ['All Times EDT', 'AMERICAN LEAGUE', 'East Division', ';W;L;Pct;GB;WCGB;L10;Str;Home;Away']);
    assert.ok(paras.includes('Tampa Bay;17;19;.472;6;3{;5-5;W-1;10-11;7-8'));
    assert.equal(paras.at(-1), 'San Francisco at San Diego, 10:10 p.m.');
  });

  test('ap_anpa-4.tst: 3rdLd-Writethru, parenthesized Eds line', { skip }, () => {
    const item = only(wire('ap_anpa-4.tst'));
    assert.equal(item.urgency, 5);
    assert.deepEqual(item.subjects, [{ code: 'i', scheme: 'anpa-category' }]);
    assert.equal(item.version, '3rdLd-Writethru');
    assert.equal(item.slugline, 'BC-AS--China-Daring Escape-ABRIDGED');
    assert.equal(item.title, "AP Exclusive: China lawyer's family says US helped them flee");
    assert.ok(item.editorNote?.startsWith('Eds: Minor edits. A longer version of this story is available.'));
    assert.deepEqual(item.authors, ['GERRY SHIH']);
    assert.equal(item.published, '2017-05-09T00:56:00Z');
    assert.equal(paragraphs(item).length, 26);
    assert.ok(item.contentText?.startsWith('BEIJING (AP) _ Stuck in a Bangkok jail with a'));
  });

  test('looksLikeAnpa1312 claims every corpus file', { skip }, () => {
    for (const f of ['anpa-1.tst', 'anpa-2.tst', 'anpa-3.tst', 'ap_anpa-1.tst', 'ap_anpa-2.tst', 'ap_anpa-4.tst']) {
      assert.equal(looksLikeAnpa1312(wire(f).slice(0, 64)), true, f);
      assert.equal(looksLikeIptc7901(wire(f)), false, f);
    }
  });
});
