import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import {
  ancestors,
  concept,
  label,
  loadTaxonomy,
  medtopForSubjectCode,
  parseCode,
  TAXONOMY_FILE,
  topLevelOf,
} from '../../src/classify/taxonomy.ts';
import { TOP_LEVEL_TOPICS } from '../../src/classify/top-level-topics.ts';

// Expectations were read by hand from ../shared/corpora/taxonomy/mediatopic-flat.tsv (IPTC 2019-04-06).
const tax = loadTaxonomy();
const codes = (list: { code: string }[]) => list.map((c) => c.code);

test('the shipped file is small, complete and read once', () => {
  assert.ok(statSync(TAXONOMY_FILE).size < 300 * 1024);
  assert.equal(tax.concepts.size, 1286);
  assert.equal([...tax.concepts.values()].filter((c) => c.retired).length, 153);
  assert.equal([...tax.concepts.values()].filter((c) => c.level === 1).length, 17);
  assert.equal(loadTaxonomy(), tax);
});

test('codes are read in every spelling providers and operators use', () => {
  for (const spelling of ['medtop:20000256', '20000256', 'http://cv.iptc.org/newscodes/mediatopic/20000256', 'MEDTOP:20000256', 'https://cv.iptc.org/newscodes/mediatopic/20000256/']) {
    assert.deepEqual(parseCode(spelling), { scheme: 'medtop', code: '20000256' }, spelling);
  }
  for (const spelling of ['subj:04001002', 'iptc:04001002', 'http://cv.iptc.org/newscodes/subjectcode/04001002']) {
    assert.deepEqual(parseCode(spelling), { scheme: 'subj', code: '04001002' }, spelling);
    // 04001002 "fishing industry" is the exact match of medtop:20000213.
    assert.equal(concept(tax, spelling)?.code, '20000213', spelling);
  }
  for (const other of ['stt:123', 'efe:ECO', 'energy', '2000025', 'medtop:2000025x', '']) assert.equal(parseCode(other), null, other);
});

test('ancestors of oil and gas industry reach the economy, self first', () => {
  assert.deepEqual(codes(ancestors(tax, 'medtop:20001243')), ['20001243', '20000256', '20000209', '04000000']);
  assert.equal(topLevelOf(tax, 'medtop:20001243')?.code, '04000000');
  assert.equal(topLevelOf(tax, '04000000')?.code, '04000000');
  // "information technology and computer science" → technology and engineering → science and technology.
  assert.deepEqual(codes(ancestors(tax, 'medtop:20000763')), ['20000763', '20000756', '13000000']);
  assert.deepEqual(ancestors(tax, 'medtop:99999999'), []);
  assert.equal(topLevelOf(tax, 'stt:123'), undefined);
});

test('subject codes map through exactMatch, preferring the active concept', () => {
  // 04005004 is the exact match of 20000267 (retired 2019-07-25) and of 20001243 (active).
  assert.equal(medtopForSubjectCode(tax, 'subj:04005004')?.code, '20001243');
  assert.equal(medtopForSubjectCode(tax, 'subj:04015000')?.code, '20000337'); // transport
  assert.equal(topLevelOf(tax, 'subj:04015000')?.code, '04000000');
  assert.equal(medtopForSubjectCode(tax, 'subj:04001002')?.code, '20000213');
});

test('an unknown subject code falls back to its nearest ancestor code, then to the top level', () => {
  // 04005099 does not exist; 04005000 is the exact match of 20000256 energy and resource.
  assert.equal(medtopForSubjectCode(tax, 'subj:04005099')?.code, '20000256');
  // 04999999: no 04999000 either; 04000000 matches medtop:04000000.
  assert.equal(medtopForSubjectCode(tax, 'subj:04999999')?.code, '04000000');
  // 16000000, 14000000 and 08000000 declare no exact match: the top level with the same digits.
  assert.equal(medtopForSubjectCode(tax, 'subj:16000000')?.code, '16000000');
  assert.equal(medtopForSubjectCode(tax, 'subj:16999999')?.code, '16000000');
  assert.equal(medtopForSubjectCode(tax, 'subj:08000000')?.code, '08000000');
  assert.equal(medtopForSubjectCode(tax, 'subj:99000000'), undefined);
  assert.equal(medtopForSubjectCode(tax, 'stt:04005004'), undefined);
});

test('retired concepts stay in the tree and name their replacement when IPTC does', () => {
  const upstream = concept(tax, 'medtop:20000267');
  assert.equal(upstream?.retired, '2019-07-25');
  assert.equal(upstream?.replacedBy, '20001243'); // shares the subject code 04005004
  assert.equal(topLevelOf(tax, 'medtop:20000267')?.code, '04000000');
  // From change notes: "merged into concept medtop:20000139", "Use corruption (20000093) instead".
  assert.equal(concept(tax, '20000160')?.replacedBy, '20000139');
  assert.equal(concept(tax, '20000809')?.replacedBy, '20000093');
  // From a note naming a label: "Use Media Topic cycling + sports facet …".
  assert.equal(concept(tax, '20000905')?.replacedBy, concept(tax, '20000892')?.code);
  assert.equal(concept(tax, '20000892')?.labels.en, 'cycling');
  // "energy industry": retired with no successor named.
  assert.deepEqual([concept(tax, '20000261')?.retired, concept(tax, '20000261')?.replacedBy], ['2019-07-25', null]);
  assert.equal(concept(tax, '20001243')?.retired, null);
});

test('labels in English, Arabic and French; missing ones fall back to English', () => {
  // Upstream writes "نزاعات،  حرب وسلام" with a double space; the data collapses it.
  assert.equal(label(tax, 'medtop:16000000', 'ar'), 'نزاعات، حرب وسلام');
  assert.equal(label(tax, '16000000', 'fr'), 'Conflit, guerre et paix');
  assert.equal(label(tax, '16000000'), 'conflict, war and peace');
  assert.equal(concept(tax, '20001243')?.labels.ar, undefined);
  assert.equal(label(tax, '20001243', 'ar-EG'), 'oil and gas industry');
  // The built-in topics' Arabic and French titles are IPTC's.
  for (const t of TOP_LEVEL_TOPICS) {
    assert.equal(concept(tax, t.code)?.level, 1, t.slug);
    assert.equal(label(tax, t.code, 'ar'), t.title.ar, t.slug);
  }
});

test('the release date comes from the file', () => {
  assert.equal(tax.release, '2019-04-06');
});
