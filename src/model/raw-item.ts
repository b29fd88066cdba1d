/**
 * The common raw shape every format parser (src/formats) produces, before normalization.
 * Parsers copy what the document says and do not interpret it: dates stay strings, HTML stays
 * HTML, datelines and trailers inside text stay in the text (src/normalize extracts them).
 */
import type { ArticleImage, Dateline, RelatedLink } from './article-record.ts';

export type FormatName =
  | 'rss'
  | 'atom'
  | 'rdf'
  | 'json-feed'
  | 'plain-text'
  | 'newsml-g2'
  | 'newsml-1.2'
  | 'nitf'
  | 'ninjs'
  | 'iptc7901'
  | 'anpa1312'
  | 'email'
  | 'cdf';

/** Every format name, for CLI and config validation. */
export const FORMAT_NAMES: readonly FormatName[] = [
  'rss', 'atom', 'rdf', 'json-feed', 'plain-text', 'newsml-g2', 'newsml-1.2', 'nitf', 'ninjs', 'iptc7901', 'anpa1312', 'email', 'cdf',
];

/** A provider subject code as found: `medtop:04000000`, `subj:04000000`, `N2:LEN` … */
export interface RawSubject {
  /** The code with its scheme prefix as written (`medtop:20000256`), or the bare code. */
  code: string;
  /** Scheme alias or URI when the format gives it apart (`medtop`, `subj`, `http://cv.iptc.org/newscodes/mediatopic/`). */
  scheme?: string;
  name?: string;
}

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
  /** Provider subject codes (NewsML-G2 subject qcodes, NITF tobject.subject, ninjs subjects). */
  subjects?: RawSubject[];
  /**
   * Publication status: `usable` (default), `withheld` (held back), `canceled` (killed: the item
   * must leave every feed). NewsML-G2 pubStatus, NITF management-status, ninjs pubstatus.
   */
  status?: 'usable' | 'withheld' | 'canceled';
  /** Provider version as written. Not assumed to grow: ordering uses `updated`. */
  version?: string;
  /** Embargo end as written: the item must not be published before it. */
  embargo?: string;
  /** Urgency / priority as written (1 = most urgent). */
  urgency?: number;
  /** Agency or provider that sent the item (NewsML provider, IPTC 7901 source, `AP`, `dpa`…). */
  provider?: string;
  /** Editorial note to editors, never shown to readers ("not for publication" lines). */
  editorNote?: string;
  /** Slugline / keyword line as written. */
  slugline?: string;
}

export interface RawDocument {
  format: FormatName;
  title?: string;
  /** The document's own link (feed home page), used as a base for relative links. */
  link?: string;
  language?: string;
  /**
   * What had to be repaired for the document to be read (`'stray close tag'`, `'bare
   * ampersand'`…, see src/formats/xml-repair.ts REPAIRS); absent when it was read as sent.
   */
  repaired?: string[];
  items: RawItem[];
}
