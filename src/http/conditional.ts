/**
 * Conditional request evaluation (RFC 9110 §13): If-None-Match wins over If-Modified-Since; and
 * the choice of a content coding by Accept-Encoding (§12.5.3), whose answer has its own ETag.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850 = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * An HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, or the obsolete RFC 850 and asctime forms) as epoch
 * milliseconds; NaN for anything else — an ISO date is not an HTTP-date, and a conditional header
 * that carries no valid date is ignored.
 */
export function parseHttpDate(value: string): number {
  const v = value.trim();
  const at = (y: number, mon: string, d: number, h: number, mi: number, s: number) => {
    const m = MONTHS.indexOf(mon);
    if (m < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return Number.NaN;
    return Date.UTC(y, m, d, h, mi, s);
  };
  let g = IMF_FIXDATE.exec(v);
  if (g) return at(+g[3]!, g[2]!, +g[1]!, +g[4]!, +g[5]!, +g[6]!);
  g = RFC850.exec(v);
  // Two-digit years, without a clock of our own: 70–99 are 19xx, 00–69 are 20xx.
  if (g) return at(+g[3]! + (+g[3]! >= 70 ? 1900 : 2000), g[2]!, +g[1]!, +g[4]!, +g[5]!, +g[6]!);
  g = ASCTIME.exec(v);
  if (g) return at(+g[6]!, g[1]!, +g[2]!.trim(), +g[3]!, +g[4]!, +g[5]!);
  return Number.NaN;
}
export function isNotModified(
  headers: { 'if-none-match'?: string; 'if-modified-since'?: string },
  etag: string,
  lastModified: string,
): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    // Weak comparison: W/"x" matches "x".
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes(etag.replace(/^W\//, ''));
  }
  const ims = headers['if-modified-since'];
  if (ims !== undefined) {
    const since = parseHttpDate(ims);
    const modified = parseHttpDate(lastModified);
    return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
  }
  return false;
}

/** A coding the server can answer with: the stored compressed forms, and identity. */
export type Coding = 'br' | 'gzip' | 'identity';

/**
 * The coding to answer with (RFC 9110 §12.5.3) among `available` (listed in the server's order of
 * preference, e.g. br, gzip): the one of highest q-value the request accepts, ties going to the
 * earlier one, identity last. No header: identity. A coding not listed takes the q of `*` if
 * there is one, else 0, except identity, acceptable unless `identity;q=0` (or `*;q=0` without an
 * `identity` entry) but, when not listed, only if no coding listed is. `x-gzip` is gzip. null
 * when nothing available is acceptable (406).
 */
export function chooseEncoding(header: string | undefined, available: readonly Exclude<Coding, 'identity'>[]): Coding | null {
  if (header === undefined) return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^q=([0-9](?:\.[0-9]{0,3})?)$/.exec(p);
      if (m) weight = Math.min(1, Number(m[1]));
    }
    const coding = name === 'x-gzip' ? 'gzip' : name;
    // A coding listed twice: the higher weight stands.
    q.set(coding, Math.max(q.get(coding) ?? 0, weight));
  }
  const star = q.get('*');
  // Identity not listed is acceptable, but after any coding listed with a q above 0 (the least is 0.001).
  const weightOf = (c: Coding) => q.get(c) ?? star ?? (c === 'identity' ? 0.0001 : 0);
  let best: Coding | null = null;
  let bestQ = 0;
  for (const c of [...available, 'identity' as const]) {
    const w = weightOf(c);
    if (w > bestQ) {
      best = c;
      bestQ = w;
    }
  }
  return best;
}
