/** Sizes in config: a number of bytes, or `512kB`, `10MB`, `1GB` (powers of 1024). */
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses `10MB` → 10485760. Returns null when the text is not a size. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!m) return null;
  const bytes = Number(m[1]) * UNIT_BYTES[(m[2] ?? 'b').toLowerCase()]!;
  return Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : null;
}
