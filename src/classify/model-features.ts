/**
 * Features for the topic model: folded, lightly stemmed word unigrams and bigrams (bigrams never
 * cross the headline's or a paragraph's end).
 * Shared by inference (model.ts) and training (scripts/train-classifier.ts) so both see exactly
 * the same tokens. Pure: no I/O.
 */
import { foldParagraphs } from '../normalize/fold-scan.ts';

/**
 * How much text the model reads. A story's topics are settled by its first screens; reading a
 * 2 MB body would cost 250× a normal one for no better answer.
 */
export const MAX_BODY_CHARS = 8192;
export const MAX_HEADLINE_CHARS = 512;

/** Function words (folded). Kept short: the model weighs the rest. */
const STOPWORDS = new Set(
  (
    // Arabic (folded: no hamza on alef, ة → ه, ى → ي)
    'في من علي الي عن ان او ثم قد لا لم لن ما ماذا مع هذا هذه ذلك تلك التي الذي الذين اللذين هو هي هم هن ' +
    'كان كانت يكون تكون كما بعد قبل بين حيث حتي عند منذ خلال اي كل بعض غير لكن لقد وقد وان وفي ومن واضاف ' +
    'وقال قال اضاف اكد ايضا فقط اذا اما الا له لها لهم به بها فيه فيها عليه عليها منه منها انه انها الان ' +
    'يوم امس اليوم الجمعه السبت الاحد الاثنين الثلاثاء الاربعاء الخميس وهو وهي وكان وكانت ' +
    // English
    'the a an and or of to in on at by for with from as is are was were be been being it its this that these ' +
    'those he she they we you i his her their our your not no but if then than so which who whom whose what when ' +
    'where why how all any each more most other some such only own same too very can will just also has have had ' +
    'do does did said says say would could should may might about after before over under into out up down new ' +
    // French
    'le la les un une des du de d l et ou en au aux ce cet cette ces il elle ils elles on nous vous je tu son sa ' +
    'ses leur leurs est sont a ont etait ete etre avoir par pour avec sans dans sur sous pas ne que qui quoi dont ' +
    'plus mais donc ni car se s y lui meme aussi selon apres avant entre'
  ).split(' '),
);

const ARABIC_LETTER = /[\u0621-\u064A]/;
/** Proclitics: conjunction + preposition + article, longest first. */
const AR_PREFIXES = ['وبال', 'وال', 'بال', 'كال', 'فال', 'ولل', 'لل', 'ال'];
/** Enclitics and inflections, longest first (ة is already folded to ه). */
const AR_SUFFIXES = ['يين', 'يون', 'ها', 'هم', 'هما', 'كم', 'نا', 'ات', 'ون', 'ين', 'ان', 'يه', 'ه', 'ي'];

/**
 * Light Arabic stem: drop the article and clitics, inflectional suffixes and the nisba ending, so
 * `الاقتصادية`, `اقتصادي` and `واقتصاد` meet. Hamza on the line is spelled `ي` so the folded `وبايي`
 * (وبائي) and `وباء` meet too.
 */
function stemArabic(token: string): string {
  let t = token.replace(/ء/g, 'ي');
  if (t.length > 4 && t.startsWith('و') && !t.startsWith('وال') && !t.startsWith('ولل')) t = t.slice(1);
  for (const p of AR_PREFIXES) {
    if (t.startsWith(p) && t.length - p.length >= 3) {
      t = t.slice(p.length);
      break;
    }
  }
  for (const s of AR_SUFFIXES) {
    if (t.endsWith(s) && t.length - s.length >= 3) {
      t = t.slice(0, -s.length);
      break;
    }
  }
  return t;
}

/** Latin stem: plural and common inflections off, then a prefix of at most 7 letters (`economic`, `economie`, `economy` → `econom…`). */
function stemLatin(token: string): string {
  let t = token;
  if (t.length > 4 && t.endsWith('ies')) t = t.slice(0, -3) + 'y';
  else if (t.length > 3 && t.endsWith('s') && !t.endsWith('ss')) t = t.slice(0, -1);
  if (t.length > 6 && t.endsWith('ing')) t = t.slice(0, -3);
  else if (t.length > 5 && t.endsWith('ed')) t = t.slice(0, -2);
  return t.length > 7 ? t.slice(0, 7) : t;
}

const DIGITS = /^\d+$/;

/** A folded word's stem, or null for a function word, a number or a word too short or too long to mean anything. */
export function stemWord(raw: string): string | null {
  if (raw.length < 2 || raw.length > 40 || STOPWORDS.has(raw) || DIGITS.test(raw)) return null;
  const stem = ARABIC_LETTER.test(raw) ? stemArabic(raw) : stemLatin(raw);
  return stem.length >= 2 && !STOPWORDS.has(stem) ? stem : null;
}

/** Folded words → stems, function words and numbers dropped. */
export function stemWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of words) {
    const stem = stemWord(raw);
    if (stem !== null) out.push(stem);
  }
  return out;
}

/** Unigrams and adjacent bigrams (`a b`) of a segment's stems. */
export function segmentFeatures(stems: readonly string[]): string[] {
  const out: string[] = stems.slice();
  for (let i = 1; i < stems.length; i++) out.push(`${stems[i - 1]} ${stems[i]}`);
  return out;
}

export interface TextInput {
  headline?: unknown;
  body?: unknown;
}

/**
 * The folded words of a story: the headline's, and the body's per paragraph (blank or single line
 * breaks). Reads at most {@link MAX_HEADLINE_CHARS} of headline and {@link MAX_BODY_CHARS} of body,
 * never splitting a word. Never throws: non-string fields count as empty.
 */
export function foldedStory(input: TextInput): { headline: string[]; paragraphs: string[][] } {
  const headline = typeof input.headline === 'string' && input.headline ? foldParagraphs(input.headline, MAX_HEADLINE_CHARS).flat() : [];
  const paragraphs = typeof input.body === 'string' && input.body ? foldParagraphs(input.body, MAX_BODY_CHARS) : [];
  return { headline, paragraphs };
}

/** A story as segments of stems, the headline's then each paragraph's (what training reads). */
export function storySegments(input: TextInput): string[][] {
  const { headline, paragraphs } = foldedStory(input);
  return [headline, ...paragraphs].map(stemWords).filter((x) => x.length > 0);
}
