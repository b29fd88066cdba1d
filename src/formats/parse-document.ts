/**
 * Format dispatch: detect (or take the operator's override) and hand the text to its parser.
 */
import type { FormatName, RawDocument } from '../model/raw-item.ts';
import { parseAnpa1312 } from './anpa1312.ts';
import { parseCdf } from './cdf.ts';
import { detectFormat } from './detect-format.ts';
import { parseEmail } from './email.ts';
import { parseIptc7901 } from './iptc7901.ts';
import { parseNewsml1 } from './newsml-1.ts';
import { parseNewsmlG2 } from './newsml-g2.ts';
import { parseNinjs } from './ninjs.ts';
import { parseNitf } from './nitf.ts';
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
    case 'newsml-g2':
      return parseNewsmlG2(text);
    case 'newsml-1.2':
      return parseNewsml1(text);
    case 'nitf':
      return parseNitf(text);
    case 'ninjs':
      return parseNinjs(text);
    case 'iptc7901':
      return parseIptc7901(text);
    case 'anpa1312':
      return parseAnpa1312(text);
    case 'email':
      return parseEmail(text);
    case 'cdf':
      return parseCdf(text);
  }
}
