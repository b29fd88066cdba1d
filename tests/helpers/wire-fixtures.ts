/**
 * Shared by the wire-format tests: the third-party agency corpus read in place from
 * ../shared/corpora/wire (never copied here; see its INDEX.md), the project's own fixtures, and
 * small probes of parsed items.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RawItem } from '../../src/model/raw-item.ts';

const CORPUS = new URL('../../../shared/corpora/wire/', import.meta.url);
const OWN = new URL('../fixtures/formats/', import.meta.url);

/** A skip reason when any of the corpus files is absent (../shared missing), else false. */
export function corpusSkip(...files: string[]): string | false {
  const missing = files.find((f) => !existsSync(new URL(f, CORPUS)));
  return missing === undefined ? false : `shared wire corpus absent: ${fileURLToPath(new URL(missing, CORPUS))}`;
}

export const corpus = (file: string): string => readFileSync(new URL(file, CORPUS), 'utf8');
export const own = (file: string): string => readFileSync(new URL(file, OWN), 'utf8');

/** Number of `<p>` elements in a body. */
export const paragraphs = (html: string | undefined): number => (html ?? '').match(/<p[\s>]/g)?.length ?? 0;
/** Inner HTML of the first `<p>`. */
export const firstParagraph = (html: string | undefined): string => /<p[^>]*>([\s\S]*?)<\/p>/.exec(html ?? '')?.[1] ?? '';
/** The subject codes of an item, in order. */
export const codes = (item: RawItem | undefined): string[] => (item?.subjects ?? []).map((s) => s.code);
