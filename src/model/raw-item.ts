/**
 * The common raw shape every format parser (src/formats) produces, before normalization.
 * Parsers copy what the document says and do not interpret it: dates stay strings, HTML stays
 * HTML, datelines and trailers inside text stay in the text (src/normalize extracts them).
 */
import type { ArticleImage, Dateline, RelatedLink } from './article-record.ts';

export type FormatName = 'rss' | 'atom' | 'rdf' | 'json-feed' | 'plain-text';

export interface RawItem {
  guid?: string;
  url?: string;
  title?: string;
  /** Summary / description as found: HTML or plain text. */
  summary?: string;
  /** Body as HTML (RSS content:encoded, Atom content, JSON Feed content_html). */
  contentHtml?: string;
  /** Body as plain text (wire copy, JSON Feed content_text). Paragraphs separated by blank lines. */
  contentText?: string;
  /** Publication date exactly as written in the document. */
  published?: string;
  /** Last update date exactly as written in the document. */
  updated?: string;
  authors?: string[];
  /** Categories / tags as written (RSS category, Atom category term, JSON Feed tags). */
  categories?: string[];
  /** Language declared for the item (or inherited from the document), as written. */
  language?: string;
  images?: ArticleImage[];
  related?: RelatedLink[];
  /** A dateline given structurally by the format (text formats leave it inside contentText). */
  dateline?: Dateline;
}

export interface RawDocument {
  format: FormatName;
  title?: string;
  /** The document's own link (feed home page), used as a base for relative links. */
  link?: string;
  language?: string;
  items: RawItem[];
}
