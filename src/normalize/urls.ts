/** URL resolution for links found in items and bodies. */

const WEB_SCHEMES = new Set(['http:', 'https:']);

/**
 * Resolves `href` against `base` and returns it only if it is a web (http/https) URL.
 * Feeds give relative links, protocol-relative links and the occasional `javascript:`; a
 * reader must only ever get an absolute web address.
 *
 * @returns the absolute URL, or `null` when it cannot be made absolute or is not http(s).
 */
export function absoluteWebUrl(href: string | undefined | null, base?: string | null): string | null {
  if (href == null) return null;
  // Whitespace inside URLs is a line-wrapping artefact of feeds, never meaningful.
  const trimmed = href.replace(/[\s\u00A0]+/g, '');
  if (trimmed === '') return null;
  const url = tryUrl(trimmed, base ?? undefined) ?? tryUrl(trimmed);
  return url !== null && WEB_SCHEMES.has(url.protocol) ? url.href : null;
}

/**
 * Resolves a link inside article HTML: absolute against `base` when possible, otherwise left as
 * written (the sanitizer then decides whether its scheme is allowed).
 */
export function resolveHref(href: string, base?: string | null): string {
  const trimmed = href.trim();
  if (trimmed === '' || trimmed.startsWith('#') || base == null) return trimmed;
  const baseUrl = tryUrl(base);
  if (baseUrl === null || !WEB_SCHEMES.has(baseUrl.protocol)) return trimmed;
  return tryUrl(trimmed, baseUrl.href)?.href ?? trimmed;
}

function tryUrl(href: string, base?: string): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}
