/**
 * The IPTC Media Topics tree (assets/taxonomy/mediatopics.tsv, IPTC release 2019-04-06, CC BY 4.0,
 * © IPTC — see assets/taxonomy/INDEX.md). `loadTaxonomy()` reads the shipped file once, at start;
 * everything else here is a pure function of a loaded Taxonomy.
 *
 * Codes are accepted as written by providers and operators: `medtop:20000256`, `20000256`,
 * `http://cv.iptc.org/newscodes/mediatopic/20000256` (Media Topics), and `subj:04001002`,
 * `iptc:04001002`, `http://cv.iptc.org/newscodes/subjectcode/04001002` (the legacy IPTC Subject
 * Codes, mapped onto Media Topics). A bare 8-digit code is a Media Topic.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ConceptLabels {
  en: string;
  ar?: string;
  fr?: string;
}

export interface Concept {
  /** 8 digits, no scheme: `20000256`. */
  code: string;
  /** `medtop:20000256`. */
  qcode: string;
  /** Code of the broader concept; null at the top level. */
  broader: string | null;
  /** 1 (top level) to 6. */
  level: number;
  /** Date (YYYY-MM-DD) IPTC retired the concept; null while active. */
  retired: string | null;
  /** The active concept IPTC says to use instead of a retired one, when it says so. */
  replacedBy: string | null;
  /** Legacy subject codes (8 digits) IPTC declares exact matches of this concept. */
  subjectCodes: readonly string[];
  /** IPTC's labels; ar and fr are missing for some (mostly newer) concepts. */
  labels: Readonly<ConceptLabels>;
}

export interface Taxonomy {
  /** Every concept, retired ones included, by 8-digit code. */
  readonly concepts: ReadonlyMap<string, Concept>;
  /** Legacy subject code (8 digits) → Media Topic code, from the concepts' exact matches. */
  readonly bySubjectCode: ReadonlyMap<string, string>;
  /** IPTC's release date of the data (`2019-04-06`), from the file's first line; '' if unsaid. */
  readonly release: string;
}

export type CodeScheme = 'medtop' | 'subj';

/** Where the shipped data lives: resolved from this module, not the working directory. */
export const TAXONOMY_FILE = fileURLToPath(new URL('../../assets/taxonomy/mediatopics.tsv', import.meta.url));

const MEDTOP = /^(?:medtop:|https?:\/\/cv\.iptc\.org\/newscodes\/mediatopic\/)?(\d{8})\/?$/i;
const SUBJ = /^(?:subj:|iptc:|https?:\/\/cv\.iptc\.org\/newscodes\/subjectcode\/)(\d{8})\/?$/i;

/**
 * Reads a code in any accepted spelling: `{scheme: 'medtop' | 'subj', code: '20000256'}`, or
 * null when it is neither a Media Topic nor a Subject Code (stt:, efe:, an operator's own code).
 * It says nothing about whether the code exists.
 */
export function parseCode(code: string): { scheme: CodeScheme; code: string } | null {
  const s = code.trim();
  const m = MEDTOP.exec(s);
  if (m) return { scheme: 'medtop', code: m[1]! };
  const j = SUBJ.exec(s);
  if (j) return { scheme: 'subj', code: j[1]! };
  return null;
}

/** Parses the shipped TSV (see assets/taxonomy/INDEX.md for its columns). */
export function parseTaxonomy(text: string): Taxonomy {
  const concepts = new Map<string, Concept>();
  let columns: string[] | null = null;
  let release = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) release ||= /release (\d{4}-\d{2}-\d{2})/.exec(line)?.[1] ?? '';
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = line.split('\t');
    if (!columns) {
      columns = f;
      continue;
    }
    const get = (name: string) => f[columns!.indexOf(name)]?.trim() ?? '';
    const code = get('code');
    const labels: ConceptLabels = { en: get('en') };
    if (get('ar')) labels.ar = get('ar');
    if (get('fr')) labels.fr = get('fr');
    concepts.set(code, {
      code,
      qcode: `medtop:${code}`,
      broader: get('broader') || null,
      level: Number(get('level')),
      retired: get('retired') || null,
      replacedBy: get('replacedBy') || null,
      subjectCodes: get('subjectCodes').split(';').filter(Boolean),
      labels,
    });
  }
  if (!columns || concepts.size === 0) throw new Error('taxonomy data is empty');

  // Several concepts may match one subject code (a retired one and its successor: 04005004 is
  // both "oil and gas - upstream activities", retired, and "oil and gas industry"): the active wins.
  const bySubjectCode = new Map<string, string>();
  for (const c of concepts.values()) {
    for (const s of c.subjectCodes) {
      const prev = bySubjectCode.get(s);
      if (prev === undefined || (concepts.get(prev)!.retired && !c.retired)) bySubjectCode.set(s, c.code);
    }
  }
  return { concepts, bySubjectCode, release };
}

const loaded = new Map<string, Taxonomy>();

/** Reads and parses the taxonomy file once per process (per path); later calls share it. */
export function loadTaxonomy(file: string = TAXONOMY_FILE): Taxonomy {
  let taxonomy = loaded.get(file);
  if (!taxonomy) {
    taxonomy = parseTaxonomy(readFileSync(file, 'utf8'));
    loaded.set(file, taxonomy);
  }
  return taxonomy;
}

/**
 * The Media Topic a legacy subject code stands for: its exact match; failing that the exact match
 * of its nearest ancestor subject code (first 5 digits + 000, then first 2 + 000000); failing
 * that the top-level Media Topic of the same two digits (Media Topics' top level was built from
 * the subject codes': 08000000, 14000000 and 16000000 have no declared exact match).
 */
export function medtopForSubjectCode(taxonomy: Taxonomy, code: string): Concept | undefined {
  const parsed = parseCode(code);
  const digits = parsed?.scheme === 'subj' ? parsed.code : /^\d{8}$/.test(code.trim()) ? code.trim() : null;
  if (!digits) return undefined;
  for (const candidate of [digits, `${digits.slice(0, 5)}000`, `${digits.slice(0, 2)}000000`]) {
    const medtop = taxonomy.bySubjectCode.get(candidate);
    if (medtop !== undefined) return taxonomy.concepts.get(medtop);
  }
  const top = taxonomy.concepts.get(`${digits.slice(0, 2)}000000`);
  return top?.level === 1 ? top : undefined;
}

/**
 * The concept a code names: a Media Topic in any spelling, or a subject code through
 * medtopForSubjectCode. Retired concepts are returned too (check `retired`).
 */
export function concept(taxonomy: Taxonomy, code: string): Concept | undefined {
  const parsed = parseCode(code);
  if (!parsed) return undefined;
  return parsed.scheme === 'medtop' ? taxonomy.concepts.get(parsed.code) : medtopForSubjectCode(taxonomy, code);
}

/** The concept and its broader concepts, self first, up to the top level; [] when unknown. */
export function ancestors(taxonomy: Taxonomy, code: string): Concept[] {
  const out: Concept[] = [];
  for (let c = concept(taxonomy, code); c && !out.includes(c); c = c.broader ? taxonomy.concepts.get(c.broader) : undefined) {
    out.push(c);
  }
  return out;
}

/** The top-level concept (one of the 17) above a code, or the code's own when it is one. */
export function topLevelOf(taxonomy: Taxonomy, code: string): Concept | undefined {
  const chain = ancestors(taxonomy, code);
  const top = chain[chain.length - 1];
  return top?.level === 1 ? top : undefined;
}

/** IPTC's label of a concept in `language` (primary subtag), else the English one. */
export function label(taxonomy: Taxonomy, code: string, language = 'en'): string | undefined {
  const c = concept(taxonomy, code);
  if (!c) return undefined;
  const primary = language.toLowerCase().split('-')[0] as keyof ConceptLabels;
  return c.labels[primary] ?? c.labels.en;
}
