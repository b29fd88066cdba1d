/**
 * Conditional request evaluation (RFC 9110 §13): If-None-Match wins over If-Modified-Since.
 */
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
    const since = Date.parse(ims);
    const modified = Date.parse(lastModified);
    return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
  }
  return false;
}
