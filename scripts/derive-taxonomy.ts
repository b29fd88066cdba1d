/**
 * Derives assets/taxonomy/mediatopics.tsv — the IPTC Media Topics tree Wirefeed ships — from the
 * shared corpus (../shared/corpora/taxonomy): mediatopic-flat.tsv for the tree, the legacy
 * subject-code matches and the labels; the IKOS JSON only for the notes that name a retired
 * concept's replacement. No new data: columns are dropped, labels trimmed, replacements read.
 *
 * Usage: node --import tsx scripts/derive-taxonomy.ts [SHARED_TAXONOMY_DIR] [OUT_FILE]
 * (defaults: ../shared/corpora/taxonomy and assets/taxonomy/mediatopics.tsv, from the repository root)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sharedDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'corpora', 'taxonomy'));
const outFile = resolve(process.argv[3] ?? join(root, 'assets', 'taxonomy', 'mediatopics.tsv'));

interface Row {
  code: string;
  broader: string;
  level: string;
  retired: string;
  subjectCodes: string[];
  en: string;
  ar: string;
  fr: string;
}

/** Display text: one line, single spaces (the upstream Arabic label of 16000000 has a double space). */
const clean = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const bare = (qcode: string) => qcode.replace(/^medtop:/, '');

const [header, ...lines] = readFileSync(join(sharedDir, 'mediatopic-flat.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
const cols = header!.split('\t');
const at = (name: string) => {
  const i = cols.indexOf(name);
  if (i < 0) throw new Error(`mediatopic-flat.tsv has no column ${name}`);
  return i;
};
const c = {
  qcode: at('qcode'), broader: at('broader'), level: at('level'), retired: at('retired'),
  subj: at('subjectcode_exactMatch'), en: at('en-GB'), ar: at('ar'), fr: at('fr'),
};
const rows: Row[] = lines.map((line) => {
  const f = line.split('\t');
  return {
    code: bare(f[c.qcode]!),
    broader: bare(f[c.broader] ?? ''),
    level: f[c.level] ?? '',
    retired: (f[c.retired] ?? '').slice(0, 10),
    subjectCodes: (f[c.subj] ?? '').split(';').map((s) => s.trim()).filter(Boolean),
    en: clean(f[c.en]),
    ar: clean(f[c.ar]),
    fr: clean(f[c.fr]),
  };
});
const byCode = new Map(rows.map((r) => [r.code, r]));

interface JsonConcept {
  qcode: string;
  retired?: string;
  note?: Record<string, string>;
  changeNote?: Record<string, string>;
}
const json = JSON.parse(readFileSync(join(sharedDir, 'iptc-mediatopic-cptall-x-all.json'), 'utf8')) as {
  dateReleased?: string;
  conceptSet: JsonConcept[];
};
const notes = new Map(json.conceptSet.map((k) => [bare(k.qcode), `${k.changeNote?.['en-GB'] ?? ''} ${k.note?.['en-GB'] ?? ''}`]));

const activeByLabel = new Map<string, string>();
for (const r of rows) if (!r.retired) activeByLabel.set(r.en.toLowerCase(), r.code);

/**
 * The concept IPTC says to use instead of a retired one, best evidence first:
 * 1. a code named in its change note or note ("Use medtop:20000168", "merged into concept
 *    medtop:20000139", "Use corruption (20000093) instead");
 * 2. a label named in its note ("Use Media Topic cycling + sports facet …");
 * 3. the active concept matching the same legacy subject code (oil and gas - upstream
 *    activities 20000267 and oil and gas industry 20001243 both match 04005004).
 */
function replacementOf(r: Row): string {
  const note = notes.get(r.code) ?? '';
  for (const m of note.matchAll(/(?:medtop:|\()(\d{8})\b/g)) {
    const code = m[1]!;
    if (code !== r.code && byCode.has(code)) return code;
  }
  const named = /Use Media Topic\s*([^+]+?)\s*\+/i.exec(note);
  if (named) {
    const code = activeByLabel.get(clean(named[1]).toLowerCase());
    if (code) return code;
  }
  for (const s of r.subjectCodes) {
    const twin = rows.find((o) => o !== r && !o.retired && o.subjectCodes.includes(s));
    if (twin) return twin.code;
  }
  return '';
}

/** Follows replacements until an active concept (a replacement may itself have been retired). */
function finalReplacement(r: Row): string {
  let code = replacementOf(r);
  for (let hops = 0; code && byCode.get(code)?.retired && hops < 10; hops++) code = replacementOf(byCode.get(code)!);
  return code && !byCode.get(code)?.retired ? code : '';
}

const out = [
  `# IPTC Media Topics, release ${json.dateReleased?.slice(0, 10) ?? 'unknown'} (via superdesk-core). CC BY 4.0, (c) IPTC - International Press Telecommunications Council. See INDEX.md.`,
  ['code', 'broader', 'level', 'retired', 'replacedBy', 'subjectCodes', 'en', 'ar', 'fr'].join('\t'),
];
let replaced = 0;
for (const r of rows) {
  const replacedBy = r.retired ? finalReplacement(r) : '';
  if (replacedBy) replaced++;
  out.push([r.code, r.broader, r.level, r.retired, replacedBy, r.subjectCodes.join(';'), r.en, r.ar, r.fr].join('\t'));
}
writeFileSync(outFile, `${out.join('\n')}\n`);
process.stdout.write(
  `${outFile}: ${rows.length} concepts, ${rows.filter((r) => r.retired).length} retired (${replaced} with a replacement)\n`,
);
