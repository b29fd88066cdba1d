/**
 * Index-based skips over markup that holds no elements, shared by the format sniffer and the XML
 * repair pass: both walk a document once, never searching the same text twice.
 */

/** The index just past the first `end` at or after `i`; the text's length when there is none. */
export function skipPast(s: string, i: number, end: string): number {
  const at = s.indexOf(end, i);
  return at === -1 ? s.length : at + end.length;
}

/** The index just past the `<!DOCTYPE …>` (or other `<!…>` declaration) at `i`, past an internal subset `[ … ]` and quoted literals that may hold `>`. */
export function skipDoctype(s: string, i: number): number {
  let inSubset = false;
  let quote: string | null = null;
  for (let j = i + 2; j < s.length; j++) {
    const c = s[j];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[') {
      inSubset = true;
    } else if (c === ']') {
      inSubset = false;
    } else if (c === '>' && !inSubset) {
      return j + 1;
    }
  }
  return s.length;
}
