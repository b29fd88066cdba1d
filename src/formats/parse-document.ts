/**
 * Format dispatch: detect (or take the operator's override) and hand the text to its parser.
 */
import type { FormatName, RawDocument } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';
import { detectFormat } from './detect-format.ts';
import { parseJsonFeed } from './json-feed.ts';
import { parsePlainText } from './plain-text.ts';
import { parseFeedXml } from './rss-atom.ts';

export interface ParseOptions {
  /** Skip detection (sources.yaml `format:`, CLI `--format`). */
  format?: FormatName;
  contentType?: string | null;
}

/** Parses a decoded document into raw items. Throws WireError (NOT_A_FEED, PARSE_ERROR, EMPTY_DOCUMENT). */
export async function parseDocument(text: string, opts: ParseOptions = {}): Promise<RawDocument> {
  const format = opts.format ?? detectFormat(text, opts.contentType);
  switch (format) {
    case 'rss':
    case 'atom':
    case 'rdf':
      return parseFeedXml(text, format);
    case 'json-feed':
      return parseJsonFeed(text);
    case 'plain-text':
      return parsePlainText(text);
    default:
      throw new WireError('NOT_A_FEED', `the ${format} format is not supported yet`);
  }
}
