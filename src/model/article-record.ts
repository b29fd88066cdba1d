/**
 * The ArticleRecord: the one normalized shape every source becomes.
 *
 * Contract (../shared/ARCHITECTURE.md): camelCase JSON, fields are added and never renamed.
 * All dates are ISO 8601 strings in UTC (`2020-04-10T12:00:00.000Z`).
 */

/** Where a topic assignment came from. */
export type TopicOrigin = 'source' | 'provider' | 'source-map' | 'rule' | 'model';

export interface TopicAssignment {
  /** Topic slug, e.g. `economy`. */
  slug: string;
  /** IPTC Media Topic code of the topic, e.g. `04000000`, or the operator's code; may be empty. */
  code: string;
  /** Confidence in [0, 1]. */
  score: number;
  origin: TopicOrigin;
}

export interface Dateline {
  /** The dateline exactly as it stood in the copy, e.g. `أخبار الآن | موسكو – روسيا (وكالات)`. */
  text: string;
  outlet: string | null;
  city: string | null;
  country: string | null;
  /** Agencies credited in the dateline, as written, e.g. `["وكالات"]`, `["AFP"]`. */
  sources: string[];
  /**
   * The same credits with canonical agency codes, in order, one per agency: `أ ف ب` →
   * `{code: "AFP", raw: "أ ف ب"}`, `وكالات` → `agencies`; an unknown agency keeps its name as code.
   * Build it with `agenciesOf(sources)` (src/normalize/agencies.ts) or `datelineFromParts`.
   */
  agencies: { code: string; raw: string }[];
}

export interface ArticleImage {
  url: string | null;
  caption: string | null;
  credit: string | null;
}

export interface RelatedLink {
  title: string;
  url: string | null;
}

export interface ArticleRecord {
  /** Stable id: derived from sourceId and the item's guid (or url, or content). */
  id: string;
  sourceId: string;
  /** Absolute URL of the story on the publisher's site, when there is one. */
  url: string | null;
  /** The provider's own identifier for the item (guid, NewsML guid, …), or the derived one. */
  guid: string;
  /** BCP 47 language tag, e.g. `ar`, `en`, `fr`; `und` when unknown. */
  language: string;
  direction: 'ltr' | 'rtl';
  headline: string;
  /** Plain-text summary, at most a few sentences. */
  summary: string;
  /** Sanitized HTML body: no script, no event handlers, no javascript: URLs. */
  bodyHtml: string;
  /** The body as plain text, paragraphs separated by a blank line. */
  bodyText: string;
  published: string;
  updated: string;
  authors: string[];
  dateline: Dateline | null;
  images: ArticleImage[];
  related: RelatedLink[];
  topics: TopicAssignment[];
  keywords: string[];
  /** sha256 (hex) of the content fields; equal hashes mean nothing a reader sees has changed. */
  contentHash: string;
  /**
   * Publication status from the provider: `usable` (the default when absent), `withheld` (held
   * back), `canceled` (killed: the article leaves every feed).
   */
  status?: 'usable' | 'withheld' | 'canceled';
  /** The provider's version as written. Versions are ordered by `updated`, never by this. */
  version?: string | null;
  /** ISO 8601 UTC time before which the article stays out of every feed (embargo). */
  embargoUntil?: string | null;
  /** Agency or provider that sent the item, as written. */
  provider?: string | null;
  /** Provider subject codes as received (`medtop:20000256`, `subj:04000000`, …). */
  subjects?: { code: string; scheme?: string; name?: string }[];
  /**
   * Set when this article repeats a story already stored (another outlet carrying the same agency
   * copy): the id of that article. It then appears only in its own source's feed; topic feeds
   * carry the first one.
   */
  duplicateOf?: string | null;
}
