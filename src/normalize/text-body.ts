/**
 * Plain-text bodies (wire copy, JSON Feed `content_text`): paragraphs, then the dateline lifted
 * from the top and the trailers from the bottom.
 */
import type { ArticleImage, Dateline, RelatedLink } from '../model/article-record.ts';
import { matchInlineDateline, parseStandaloneDateline } from './dateline.ts';
import { cleanText, collapseLine, isBlankLine } from './text-hygiene.ts';
import { extractTrailers } from './trailers.ts';

export interface TextBody {
  /** Story paragraphs, each one line of clean text. */
  paragraphs: string[];
  dateline: Dateline | null;
  /** The dateline's calendar date when it names a complete one. */
  datelineDate: Date | null;
  images: ArticleImage[];
  related: RelatedLink[];
}

/** Wire end-of-story marks: `###`, `-30-`, `-0-`, `(END)`, `NNNN`, `***`. */
const END_MARK = /^(?:[#*=_~]{3,}|-+\s*(?:0|30)\s*-+|\(?\s*(?:end|fin|انتهى)\s*\)?|nnnn)$/iu;
const INDENTED = /^(?:\t| {2,}|\u00A0{2,})\S/u;

/**
 * Splits plain text into paragraphs and lifts out the dateline and the trailers.
 * Paragraphs are separated by blank (or whitespace-only) lines; inside one, hard-wrapped lines
 * are joined with a space and an indented line starts a new paragraph (ANPA-style copy).
 * Copy without any blank line is read as one paragraph per line, unless its lines are a
 * hard-wrapped column. Trailing end marks (`###`, `-30-`) are dropped.
 */
export function processTextBody(text: string): TextBody {
  const paragraphs = splitParagraphs(cleanText(text));

  let dateline: Dateline | null = null;
  let datelineDate: Date | null = null;
  const firstPara = paragraphs[0];
  const firstLine = firstPara?.[0];
  if (firstPara !== undefined && firstLine !== undefined) {
    const standalone = parseStandaloneDateline(firstLine);
    const inline = standalone === null ? matchInlineDateline(firstLine) : null;
    const found = standalone ?? inline;
    if (found !== null) {
      dateline = found.dateline;
      datelineDate = found.date;
      const rest = inline === null ? '' : firstLine.slice(inline.length).trim();
      if (rest === '') firstPara.shift();
      else firstPara[0] = rest;
      if (firstPara.length === 0) paragraphs.shift();
    }
  }

  // Trailers are found line by line ("Read more:" then its title on the next line), then the
  // paragraph structure of what is kept is restored.
  const lines = paragraphs.flatMap((p, index) => p.map((line) => ({ line, index })));
  while (lines.length > 0 && END_MARK.test(lines[lines.length - 1]!.line)) lines.pop();
  const trailers = extractTrailers(lines.map((l) => ({ text: l.line })));
  const kept = lines.filter((_, i) => !trailers.removed.has(i));
  while (kept.length > 0 && END_MARK.test(kept[kept.length - 1]!.line)) kept.pop();

  const out: string[] = [];
  let current = -1;
  for (const { line, index } of kept) {
    if (index !== current) {
      out.push(line);
      current = index;
    } else {
      out[out.length - 1] += ` ${line}`;
    }
  }
  return { paragraphs: out, dateline, datelineDate, images: trailers.images, related: trailers.related };
}

/** Paragraphs as lists of collapsed, non-empty lines. */
export function splitParagraphs(text: string): string[][] {
  const rawLines = text.split('\n');
  const groups: string[][] = [];
  let group: string[] = [];
  for (const line of rawLines) {
    if (isBlankLine(line)) {
      if (group.length > 0) groups.push(group);
      group = [];
    } else {
      group.push(line);
    }
  }
  if (group.length > 0) groups.push(group);

  // No blank line anywhere: one paragraph per line, unless the lines are a hard-wrapped column.
  const only = groups[0];
  if (groups.length === 1 && only !== undefined && only.length > 1 && !isHardWrapped(only)) {
    return only.map((l) => [collapseLine(l)]);
  }

  const paragraphs: string[][] = [];
  for (const g of groups) {
    const someFlush = g.some((l) => !INDENTED.test(l));
    let para: string[] = [];
    for (const line of g) {
      if (someFlush && INDENTED.test(line) && para.length > 0) {
        paragraphs.push(para);
        para = [];
      }
      para.push(collapseLine(line));
    }
    if (para.length > 0) paragraphs.push(para);
  }
  return paragraphs;
}

/**
 * Copy wrapped at a fixed column has lines of similar length that stop mid-sentence; copy with
 * one paragraph per line has lines that end sentences.
 */
function isHardWrapped(lines: string[]): boolean {
  const body = lines.slice(0, -1).map((l) => l.trim());
  const wrapped = body.filter((l) => l.length >= 40 && l.length <= 100 && !/[.!?؟:"”»]$/u.test(l));
  return wrapped.length >= body.length * 0.8;
}
