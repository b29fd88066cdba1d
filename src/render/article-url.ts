/**
 * Where an article's own page lives (`/articles/{id}` HTML, `/articles/{id}.json` the record):
 * built here only, for the feeds (the link of an item without a source URL), the index page and
 * the HTTP routes.
 */

/** Article ids are hex digests (src/normalize/identity.ts): safe in a path as they are. */
export const ARTICLE_ID = /^[0-9a-f]{8,64}$/;

export function articlePagePath(id: string): string {
  return `/articles/${encodeURIComponent(id)}`;
}

export function articlePageUrl(publicUrl: string, id: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${articlePagePath(id)}`;
}

export function articleJsonUrl(publicUrl: string, id: string): string {
  return `${articlePageUrl(publicUrl, id)}.json`;
}
