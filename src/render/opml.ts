/**
 * OPML 2.0 subscription lists (http://opml.org/spec2.opml), written directly: the format is five
 * elements deep and needs nothing from a library.
 */
import { cleanText, escapeXml, escapeXmlAttribute } from './xml-text.ts';

/** One feed in a subscription list. */
export interface OpmlEntry {
  text: string;
  title: string;
  xmlUrl: string;
  htmlUrl?: string;
  /**
   * The format at `xmlUrl`. The outline's `type` attribute is `rss` whatever this says: OPML 2.0
   * defines subscription outlines as type `rss`, and importers skip outlines of other types.
   */
  type: 'rss' | 'atom' | 'json';
  language?: string;
  /** Groups the entry under an outline of this name; entries without one stay at the top level. */
  category?: string;
}

/** The `<head>` of a subscription list. */
export interface OpmlHead {
  title: string;
  dateCreated: Date;
  ownerName?: string;
}

const INDENT = '  ';

/**
 * Renders a subscription list. Entries keep their order; a category's group stands where its
 * first entry would.
 */
export function renderOpml(head: OpmlHead, entries: readonly OpmlEntry[]): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<opml version="2.0">', `${INDENT}<head>`];
  lines.push(`${INDENT.repeat(2)}<title>${textOf(head.title)}</title>`);
  if (!Number.isNaN(head.dateCreated.getTime())) {
    lines.push(`${INDENT.repeat(2)}<dateCreated>${head.dateCreated.toUTCString()}</dateCreated>`);
  }
  const owner = head.ownerName ? cleanText(head.ownerName).trim() : '';
  if (owner) lines.push(`${INDENT.repeat(2)}<ownerName>${escapeXml(owner)}</ownerName>`);
  lines.push(`${INDENT}</head>`);

  const groups = new Map<string, OpmlEntry[]>();
  const order: (OpmlEntry | string)[] = [];
  for (const entry of entries) {
    const category = entry.category ? cleanText(entry.category).trim() : '';
    if (!category) {
      order.push(entry);
      continue;
    }
    const group = groups.get(category);
    if (group) {
      group.push(entry);
    } else {
      groups.set(category, [entry]);
      order.push(category);
    }
  }

  if (order.length === 0) {
    lines.push(`${INDENT}<body/>`);
  } else {
    lines.push(`${INDENT}<body>`);
    for (const item of order) {
      if (typeof item !== 'string') {
        lines.push(INDENT.repeat(2) + subscription(item));
        continue;
      }
      // A group is `text` alone: any other attribute would need a `type` to say what it means.
      lines.push(`${INDENT.repeat(2)}<outline text="${attributeOf(item)}">`);
      for (const entry of groups.get(item) ?? []) lines.push(INDENT.repeat(3) + subscription(entry));
      lines.push(`${INDENT.repeat(2)}</outline>`);
    }
    lines.push(`${INDENT}</body>`);
  }
  lines.push('</opml>');
  return lines.join('\n') + '\n';
}

function subscription(entry: OpmlEntry): string {
  const attributes: [string, string | undefined][] = [
    ['type', 'rss'],
    ['text', entry.text],
    ['title', entry.title],
    ['xmlUrl', entry.xmlUrl],
    ['htmlUrl', entry.htmlUrl],
    ['language', entry.language],
  ];
  const written = attributes
    // `text` is required even when empty; the optional attributes are left out when empty.
    .filter((pair): pair is [string, string] => pair[0] === 'text' || (pair[1] !== undefined && attributeOf(pair[1]) !== ''))
    .map(([name, value]) => ` ${name}="${attributeOf(value)}"`);
  return `<outline${written.join('')}/>`;
}

function textOf(value: string): string {
  return escapeXml(cleanText(value).trim());
}

/** Attribute values are one line: a line break in a title is layout, not content. */
function attributeOf(value: string): string {
  return escapeXmlAttribute(cleanText(value).replace(/\s+/g, ' ').trim());
}
