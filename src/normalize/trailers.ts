/**
 * Trailers: what publishers append after the story — the image credit (`مصدر الصورة: REUTERS`,
 * `Photo: AP`, `Crédit photo : AFP`) and "read also" pointers (`إقرأ أيضاً:` with the related
 * title on the same or the following lines, `Read more:`, `Lire aussi :`). They are metadata, not
 * story: a reader of the feed must not see them as the last paragraphs.
 *
 * Labels are compared after {@link foldForMatching}, so `إقرأ أيضاً`, `اقرأ أيضا` and `اقرا ايضا`
 * are one label, as are `Crédit photo` and `credit photo`.
 */
import type { ArticleImage, RelatedLink } from '../model/article-record.ts';
import { foldForMatching } from './fold-text.ts';

/** One unit of trailing copy: a line of plain text, or one block (paragraph, list) of HTML. */
export interface TrailerUnit {
  /** The unit's text; an HTML block may hold several lines (`<br>`, list items). */
  text: string;
  /** Links inside an HTML block, to give related titles their URL. */
  links?: ReadonlyArray<{ text: string; href: string }>;
  /**
   * Story content whatever its text says (an HTML block holding an image: its caption may read
   * "Photo: Reuters", but dropping it would drop the picture).
   */
  opaque?: boolean;
}

export interface TrailerResult {
  /** Indexes of the units that were trailers or pointers, not story. */
  removed: ReadonlySet<number>;
  /** Credited images, in reading order. */
  images: ArticleImage[];
  /** Related stories, in reading order. */
  related: RelatedLink[];
}

const CREDIT_LABELS = new Set(
  [
    'مصدر الصورة', 'الصورة', 'صورة', 'الصور', 'حقوق الصورة', 'تصوير', 'المصدر الصورة',
    'photo', 'photos', 'photo credit', 'photo credits', 'photograph', 'image', 'image credit',
    'image source', 'picture', 'pictures', 'pic', 'credit', 'credits', 'illustration',
    'crédit photo', 'crédits photo', 'crédit', 'crédits', 'foto', 'fotos', 'bild',
  ].map(foldForMatching),
);

const RELATED_LABELS = new Set(
  [
    'إقرأ أيضاً', 'اقرأ أيضا', 'اقرأ كذلك', 'اقرأ المزيد', 'إقرأ المزيد', 'شاهد أيضاً',
    'اقرأ أيضا على', 'مواضيع ذات صلة', 'أخبار ذات صلة', 'ذات صلة', 'قد يهمك أيضا', 'قد يهمك',
    'read more', 'read also', 'also read', 'see also', 'related', 'related stories',
    'related articles', 'related coverage', 'related content', 'more on this story',
    'lire aussi', 'à lire aussi', 'lire également', 'à lire également', 'voir aussi',
    'à voir aussi', 'à lire', 'sur le même sujet', 'leer más', 'lea también',
  ].map(foldForMatching),
);

/** Related titles are short single lines; body paragraphs end with a full stop. */
const MAX_TITLE_CHARS = 200;
const MAX_TITLE_WORDS = 30;
/** How many unlabelled lines may follow one "read also" label. */
const MAX_TITLES_PER_LABEL = 6;
const URL_AT_END = /\(?\s*<?(https?:\/\/[^\s<>()]+)>?\s*\)?$/u;

type Label = { kind: 'credit' | 'related'; value: string };

/**
 * Finds the credits and "read also" pointers in a story given as units in reading order: the
 * trailers closing it, and the pointers publishers drop between paragraphs (BBC Arabic puts
 * `اقرأ أيضا: …` lines mid-story). The caller removes the units listed in `removed`.
 */
export function extractTrailers(units: ReadonlyArray<TrailerUnit>): TrailerResult {
  const tail = scanTail(units);
  const inside = scanInside(units.slice(0, tail.keep));
  const removed = new Set(inside.removed);
  for (let i = tail.keep; i < units.length; i++) removed.add(i);
  return {
    removed,
    images: [...inside.images, ...tail.images],
    related: [...inside.related, ...tail.related],
  };
}

/**
 * Mid-story pointers: a labelled credit line, a "read also" line with its title, or a bare
 * "read also" label claiming the title-like units right below it.
 */
function scanInside(units: ReadonlyArray<TrailerUnit>): { removed: number[]; images: ArticleImage[]; related: RelatedLink[] } {
  const removed: number[] = [];
  const images: ArticleImage[] = [];
  const related: RelatedLink[] = [];
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] as TrailerUnit;
    if (unit.opaque === true) continue;
    const [first = '', ...more] = linesOf(unit);
    const label = first === '' ? null : matchLabel(first);
    if (label === null) continue;
    if (label.kind === 'credit') {
      if (label.value === '' || more.length > 0) continue;
      images.push(toImage(label.value));
      removed.push(i);
      continue;
    }
    const titles: RelatedLink[] = [];
    if (label.value !== '') titles.push(toRelated(label.value, unit));
    for (const line of more) titles.push(toRelated(line, unit));
    let j = i + 1;
    if (titles.length === 0) {
      while (j < units.length && j - i <= MAX_TITLES_PER_LABEL && isTitleLike(units[j] as TrailerUnit)) {
        const below = units[j] as TrailerUnit;
        for (const line of linesOf(below)) titles.push(toRelated(line, below));
        j++;
      }
    }
    if (titles.length === 0) continue;
    related.push(...titles);
    for (let k = i; k < j; k++) removed.push(k);
    i = j - 1;
  }
  return { removed, images, related };
}

/**
 * Trailers closing the story. Walks back from the end; stops at the first unit that is neither
 * a trailer label, nor a title claimed by a "read also" label above it.
 */
function scanTail(units: ReadonlyArray<TrailerUnit>): { keep: number; images: ArticleImage[]; related: RelatedLink[] } {
  const images: ArticleImage[] = [];
  const related: RelatedLink[] = [];
  let keep = units.length;
  // Units below the current position that may be titles of a "read also" label higher up.
  let pending: TrailerUnit[] = [];

  for (let i = units.length - 1; i >= 0; i--) {
    const unit = units[i] as TrailerUnit;
    if (unit.opaque === true) break;
    const [first = '', ...more] = linesOf(unit);
    if (first === '') {
      if (pending.length === 0) keep = i;
      continue;
    }
    const label = matchLabel(first);
    if (label?.kind === 'related') {
      const titles: RelatedLink[] = [];
      if (label.value !== '') titles.push(toRelated(label.value, unit));
      for (const line of more) titles.push(toRelated(line, unit));
      for (const p of pending) for (const line of linesOf(p)) titles.push(toRelated(line, p));
      if (titles.length === 0) break; // a bare label with nothing under it is not ours to drop
      related.unshift(...titles);
      pending = [];
      keep = i;
      continue;
    }
    if (label?.kind === 'credit' && more.length === 0) {
      if (label.value === '' && pending.length === 1 && linesOf(pending[0]!).length === 1) {
        // "Photo:" with the credit on the next line.
        images.unshift(toImage(linesOf(pending[0]!)[0]!));
      } else if (label.value !== '' && pending.length === 0) {
        images.unshift(toImage(label.value));
      } else {
        break;
      }
      pending = [];
      keep = i;
      continue;
    }
    if (label === null && pending.length < MAX_TITLES_PER_LABEL && isTitleLike(unit)) {
      pending.unshift(unit);
      continue;
    }
    break;
  }
  return { keep, images, related };
}

/** Recognizes a trailer label line: `LABEL: value`, `LABEL : value`, `(LABEL: value)`, `LABEL`. */
function matchLabel(line: string): Label | null {
  const inner = line.replace(/^[([]\s*(.*?)\s*[)\]]$/u, '$1');
  const colon = /^(.{1,40}?)\s*[:：]\s*(.*)$/u.exec(inner);
  // Without a colon only the first words can be a label: folding a whole paragraph to look at
  // its first three words was a tenth of the time spent normalizing long wire copy.
  const labelText = colon ? (colon[1] as string) : inner.split(/\s+/u, 6).join(' ');
  const value = colon ? (colon[2] as string).trim() : '';
  const folded = foldForMatching(labelText);
  if (folded === '') return null;
  // "Related: the minister also said …" is story; titles do not end in a full stop.
  if (RELATED_LABELS.has(folded)) return value === '' || isTitleLike({ text: value }) ? { kind: 'related', value } : null;
  if (!colon) {
    // "إقرأ أيضا اتهام مديري أوبرا باريس": a two-word label run into its title, no colon.
    const words = folded.split(' ');
    for (const n of [3, 2]) {
      if (words.length > n && RELATED_LABELS.has(words.slice(0, n).join(' '))) {
        const title = inner.trim().split(/\s+/u).slice(n).join(' ').replace(/^[-–—|]+\s*/u, '');
        if (isTitleLike({ text: title })) return { kind: 'related', value: title };
      }
    }
  }
  // A credit needs its colon: "Photo" alone is too common a word to drop.
  // "Credit: Moody's cut the rating." is a sentence, not a credit.
  const sentence = /[.!?؟]$/u.test(value) && value.split(/\s+/).length > 4;
  if (colon && CREDIT_LABELS.has(folded) && !sentence) return { kind: 'credit', value };
  return null;
}

function linesOf(unit: TrailerUnit): string[] {
  return unit.text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

function isTitleLike(unit: TrailerUnit): boolean {
  const lines = linesOf(unit);
  return (
    unit.opaque !== true &&
    lines.length > 0 &&
    lines.every(
      (l) =>
        l.length <= MAX_TITLE_CHARS &&
        l.split(/\s+/).length <= MAX_TITLE_WORDS &&
        // Titles may ask or exclaim, but a full stop, colon or comma ends body copy.
        !/[.:,،;؛]$/u.test(l.replace(URL_AT_END, '').trim() || l),
    )
  );
}

function toRelated(line: string, unit: TrailerUnit): RelatedLink {
  const urlMatch = URL_AT_END.exec(line);
  let title = line;
  let url: string | null = null;
  if (urlMatch) {
    url = urlMatch[1] as string;
    title = line.slice(0, urlMatch.index).replace(/[\s\-–—|:]+$/u, '').trim() || url;
  }
  if (url === null && unit.links) {
    const key = collapse(title);
    url = unit.links.find((l) => collapse(l.text) === key)?.href ?? null;
  }
  return { title, url };
}

/** `REUTERS` → a credit; a longer value is a caption, possibly ending in a `(credit)`. */
function toImage(value: string): ArticleImage {
  // A full stop after a lone initial ("AP Photo/J. Scott Applewhite") does not end a sentence.
  if (value.length <= 80 && !/(?<!(?:^|[\s/(])\p{L})[.!?؟]\s/u.test(value)) return { url: null, caption: null, credit: value };
  const credit = /\(([^()]{1,60})\)$/u.exec(value);
  return credit
    ? { url: null, caption: value.slice(0, credit.index).trim(), credit: (credit[1] as string).trim() }
    : { url: null, caption: value, credit: null };
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
