/**
 * Excerpts: a headline made from a lede when the copy has none, and summaries of bounded length.
 * Cuts fall on word boundaries (a clause boundary when one is close), never inside a word or a
 * surrogate pair, and are marked with `…`.
 */

/** Abbreviations whose period does not end an English or French sentence. */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'gen', 'gov', 'sen', 'rep', 'lt', 'col', 'sgt',
  'capt', 'cmdr', 'adm', 'maj', 'prof', 'mt', 'no', 'vs', 'etc', 'inc', 'corp', 'co', 'ltd',
  'jan', 'feb', 'aug', 'sept', 'oct', 'nov', 'dec', 'm', 'mme', 'mlle', 'me', 'pr', 'av', 'approx',
]);

const SENTENCE_END = /[.!?؟。…]+["'”’»)\]]*(?=\s|$)/gu;

/**
 * The first sentence of a paragraph, terminator included; the whole paragraph when no
 * sentence ends in it. Periods after initials and common abbreviations (`U.S.`, `Mr.`) do not
 * end a sentence.
 */
export function firstSentence(paragraph: string): string {
  const text = paragraph.trim();
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].length;
    // Only a lone full stop can belong to an abbreviation; "?", "!" and "…" always end.
    if (/^\.(?!\.)/u.test(m[0]) && isAbbreviation(text, m.index)) continue;
    return text.slice(0, end).trim();
  }
  return text;
}

function isAbbreviation(text: string, periodAt: number): boolean {
  const word = /(\S+)$/u.exec(text.slice(0, periodAt))?.[1] ?? '';
  if (word === '') return false;
  // Initials and dotted abbreviations: "J.", "U.S", "a.m".
  if (/^\p{L}$/u.test(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase().replace(/^[("“«]+/u, ''));
}

/**
 * Shortens text to at most `max` characters (the `…` included). Prefers a clause boundary
 * (`,` `،` `;` `؛` `:`) in the last half of the room, else the last word boundary.
 */
export function truncateAtWord(text: string, max: number): string {
  const t = text.trim();
  if (t.length <= max) return t;
  let room = t.slice(0, max - 1);
  // Never leave half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(room)) room = room.slice(0, -1);
  const nextIsBoundary = /\s/u.test(t.charAt(room.length));
  let cut = room.length;
  if (!nextIsBoundary) {
    const space = room.search(/\s\S*$/u);
    if (space > 0) cut = space;
  }
  let clause = -1;
  for (const m of room.slice(0, cut).matchAll(/[,،;؛:](?=\s)/gu)) clause = m.index;
  if (clause >= max / 2) cut = clause;
  const head = room.slice(0, cut).replace(/[\s,،;؛:\-–—(]+$/u, '');
  return `${head}…`;
}

/**
 * A headline from a lede: its first sentence without a final full stop, shortened to `max`.
 */
export function headlineFromText(paragraph: string, max: number): string {
  const sentence = firstSentence(paragraph).replace(/(?<![.])\.$/u, '').trim();
  return truncateAtWord(sentence, max);
}

/**
 * A summary from the first paragraphs: the first one, plus the following ones while it is
 * short and the total stays within `max`; a long first paragraph is shortened.
 */
export function summaryFromParagraphs(paragraphs: ReadonlyArray<string>, max: number, enough = 100): string {
  let summary = '';
  for (const p of paragraphs) {
    const next = summary === '' ? p : `${summary} ${p}`;
    if (summary === '') summary = next;
    else if (next.length <= max) summary = next;
    else break;
    if (summary.length >= enough) break;
  }
  return truncateAtWord(summary, max);
}
