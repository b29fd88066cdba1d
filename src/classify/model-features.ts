/**
 * Features for the topic model: folded, lightly stemmed word unigrams and bigrams, per passage.
 * Shared by inference (model.ts) and training (scripts/train-classifier.ts) so both see exactly
 * the same tokens. Pure: no I/O.
 */
import { foldForMatching } from '../normalize/fold-text.ts';

/**
 * How much text the model reads. A story's topics are settled by its first screens; reading a
 * 2 MB body would cost 250× a normal one for no better answer.
 */
export const MAX_BODY_CHARS = 8192;
export const MAX_HEADLINE_CHARS = 512;
/** Passages longer than this (a body without paragraph breaks) are cut into windows of this many tokens. */
const MAX_PASSAGE_TOKENS = 80;
/** Passages shorter than this are merged into the next one: a one-line paragraph is not evidence. */
const MIN_PASSAGE_TOKENS = 12;

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

/** Folded text → stems, function words and numbers dropped. */
export function stemTokens(folded: string): string[] {
  const out: string[] = [];
  if (!folded) return out;
  for (const raw of folded.split(' ')) {
    if (raw.length < 2 || raw.length > 40 || STOPWORDS.has(raw) || /^\d+$/.test(raw)) continue;
    const stem = ARABIC_LETTER.test(raw) ? stemArabic(raw) : stemLatin(raw);
    if (stem.length >= 2 && !STOPWORDS.has(stem)) out.push(stem);
  }
  return out;
}

/** Unigrams and adjacent bigrams (`a b`) of a passage's stems. */
export function passageFeatures(stems: readonly string[]): string[] {
  const out: string[] = stems.slice();
  for (let i = 1; i < stems.length; i++) out.push(`${stems[i - 1]} ${stems[i]}`);
  return out;
}

export interface TextInput {
  headline?: unknown;
  body?: unknown;
}

/** Paragraph marker that survives folding (lowercase ASCII, no stop word, never a stem). */
const PARA = 'qxparaq';

/** Cuts at the last whitespace before `max` so no word is split. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  return text.slice(0, cut > max / 2 ? cut : max);
}

/**
 * Splits a story into passages of stems: the headline, then the body's paragraphs (blank or single
 * line breaks), long ones windowed and short ones merged forward. Reads at most
 * {@link MAX_BODY_CHARS} of body. Never throws: non-string fields count as empty.
 */
export function textPassages(input: TextInput): string[][] {
  const headline = typeof input.headline === 'string' ? cap(input.headline, MAX_HEADLINE_CHARS) : '';
  const body = typeof input.body === 'string' ? cap(input.body, MAX_BODY_CHARS) : '';
  const passages: string[][] = [];
  const h = stemTokens(foldForMatching(headline));
  if (h.length) passages.push(h);
  // Fold once (it is the costly step), keeping paragraph breaks as a marker word folding leaves alone.
  const foldedParas = foldForMatching(body.replace(/\n+/g, ` ${PARA} `)).split(PARA);
  let pending: string[] = [];
  for (const para of foldedParas) {
    const stems = stemTokens(para.trim());
    if (!stems.length) continue;
    pending = pending.length ? pending.concat(stems) : stems;
    if (pending.length < MIN_PASSAGE_TOKENS) continue;
    for (let i = 0; i < pending.length; i += MAX_PASSAGE_TOKENS) {
      const w = pending.slice(i, i + MAX_PASSAGE_TOKENS);
      // A short tail joins the window before it.
      if (w.length < MIN_PASSAGE_TOKENS && passages.length && i > 0) passages[passages.length - 1]!.push(...w);
      else passages.push(w);
    }
    pending = [];
  }
  if (pending.length) {
    // A short last paragraph joins the body passage before it (not the headline).
    if (passages.length > (h.length ? 1 : 0)) passages[passages.length - 1]!.push(...pending);
    else passages.push(pending);
  }
  return passages;
}
