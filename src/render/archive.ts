/**
 * RFC 5005 §4 ("Archived Feeds") in the rendered documents: the subscription feed names its
 * newest archive page (`prev-archive`); an archive page names the subscription feed (`current`),
 * the older page (`prev-archive`) and the newer one (`next-archive`), and says it is an archive
 * (`<fh:archive/>`). RSS carries the links as `atom:link`, as it does `self` and `hub`
 * (RFC 5005 Appendix B).
 */
import type { FeedFormat } from './feed-catalog.ts';
import { escapeXmlAttribute } from './xml-text.ts';

/** The feed-history namespace of `fh:archive`. */
export const FH_NAMESPACE = 'http://purl.org/syndication/history/1.0';

export type FeedUrls = Record<FeedFormat, string>;

/** Where a document stands in its feed's archive. */
export type FeedPaging =
  /** The subscription document; `prevArchive`: the newest full archive page, when there is one. */
  | { kind: 'current'; prevArchive?: FeedUrls }
  /** Archive page: `current` the subscription document; `prevArchive` absent on page 1. */
  | { kind: 'archive'; current: FeedUrls; prevArchive?: FeedUrls; nextArchive: FeedUrls };

/** Path of archive page `page` of the feed at `feedPath` (`/feeds/economy` → `/feeds/economy/archive/3`), without extension. */
export function archivePath(feedPath: string, page: number): string {
  return `${feedPath}/archive/${page}`;
}

/** The absolute URLs of archive page `page` in every format. */
export function archiveUrls(publicUrl: string, feedPath: string, page: number): FeedUrls {
  const base = `${publicUrl}${archivePath(feedPath, page)}`;
  return { rss: `${base}.rss`, atom: `${base}.atom`, json: `${base}.json` };
}

const LINK_TYPES: Record<'rss' | 'atom', string> = { rss: 'application/rss+xml', atom: 'application/atom+xml' };

/** The links of `paging` in order (`current`, `prev-archive`, `next-archive`), for one format. */
export function pagingLinks(paging: FeedPaging | undefined, format: FeedFormat): { rel: string; href: string }[] {
  if (!paging) return [];
  const links: { rel: string; href: string }[] = [];
  if (paging.kind === 'archive') links.push({ rel: 'current', href: paging.current[format] });
  if (paging.prevArchive) links.push({ rel: 'prev-archive', href: paging.prevArchive[format] });
  if (paging.kind === 'archive') links.push({ rel: 'next-archive', href: paging.nextArchive[format] });
  return links;
}

/**
 * Writes the paging links (and `<fh:archive/>` on an archive page) into a rendered RSS or Atom
 * document, right after its `self` link. The head of a Wirefeed document, up to the first item or
 * entry, holds no CDATA and no unescaped `<` (every text there is escaped), so its first `self`
 * link is found by a plain match. The root must declare `fh` (the renderers do, on archive pages).
 */
export function withPagingLinks(xml: string, format: 'rss' | 'atom', paging: FeedPaging | undefined): string {
  const links = pagingLinks(paging, format);
  if (links.length === 0 && paging?.kind !== 'archive') return xml;
  const headEnd = [format === 'rss' ? '<item>' : '<entry', format === 'rss' ? '</channel>' : '</feed>']
    .map((t) => xml.indexOf(t))
    .filter((i) => i >= 0)
    .reduce((a, b) => Math.min(a, b), xml.length);
  const self = /\n([ \t]*)<(?:atom:)?link\b[^>]*\brel="self"[^>]*\/>/.exec(xml.slice(0, headEnd));
  if (!self) throw new Error(`no self link in the ${format} document to put the archive links after`);
  const indent = self[1]!;
  const element = format === 'rss' ? 'atom:link' : 'link';
  const added = links.map(
    (l) => `\n${indent}<${element} rel="${l.rel}" type="${LINK_TYPES[format]}" href="${escapeXmlAttribute(l.href)}"/>`,
  );
  if (paging?.kind === 'archive') added.push(`\n${indent}<fh:archive/>`);
  const at = self.index + self[0].length;
  return `${xml.slice(0, at)}${added.join('')}${xml.slice(at)}`;
}
