/**
 * A start-tag rewriter for XML that is already well-formed.
 *
 * The feed adapter post-processes the `feed` library's output with it. String replacement would
 * also hit look-alike markup inside CDATA sections (an article body may well contain `<link/>`),
 * so this walks the document's tokens and offers only real start tags to the visitor.
 */
import { escapeXmlAttribute } from './xml-text.ts';

/** A start tag as the visitor sees it. */
export interface StartTag {
  readonly name: string;
  /** Names of the open ancestors, outermost first (`['feed', 'entry']` for an entry's link). */
  readonly parents: readonly string[];
  /** Attribute values exactly as written (still escaped), in document order. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly selfClosing: boolean;
}

/**
 * What to do with a start tag: drop the whole element, or set attributes (the value is plain text
 * and gets escaped; `null` removes the attribute). An attribute already present keeps its place; new ones are appended.
 */
export type TagPatch = { readonly remove: true } | { readonly set: Readonly<Record<string, string | null>> };

const ATTRIBUTE = /\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/y;

/**
 * Rewrites the start tags of `xml` as `visit` says; text, CDATA sections, comments and processing
 * instructions are copied untouched. Throws on input that is not well-formed enough to tokenize.
 */
export function patchStartTags(xml: string, visit: (tag: StartTag) => TagPatch | undefined): string {
  const out: string[] = [];
  const open: string[] = [];
  // Depth of `open` at which a removed element started; output is suppressed until it closes.
  let removedAt = -1;
  let i = 0;
  const emit = (chunk: string): void => {
    if (removedAt < 0) out.push(chunk);
  };

  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      emit(xml.slice(i));
      break;
    }
    emit(xml.slice(i, lt));
    const skipTo = (terminator: string): number => {
      const end = xml.indexOf(terminator, lt);
      if (end < 0) throw new SyntaxError(`unterminated markup at offset ${lt}`);
      return end + terminator.length;
    };

    if (xml.startsWith('<![CDATA[', lt)) {
      i = skipTo(']]>');
      emit(xml.slice(lt, i));
    } else if (xml.startsWith('<!--', lt)) {
      i = skipTo('-->');
      emit(xml.slice(lt, i));
    } else if (xml.startsWith('<?', lt)) {
      i = skipTo('?>');
      emit(xml.slice(lt, i));
    } else if (xml.startsWith('<!', lt)) {
      i = skipTo('>');
      emit(xml.slice(lt, i));
    } else if (xml.startsWith('</', lt)) {
      i = skipTo('>');
      emit(xml.slice(lt, i));
      open.pop();
      if (removedAt >= 0 && open.length === removedAt) {
        removedAt = -1;
      }
    } else {
      const tag = readStartTag(xml, lt);
      i = tag.end;
      const patch = removedAt < 0 ? visit({ ...tag, parents: [...open] }) : undefined;
      if (patch && 'remove' in patch) {
        // Take the indentation that preceded the element with it.
        const last = out.length - 1;
        if (last >= 0) out[last] = out[last]!.replace(/\r?\n[ \t]*$/, '');
        if (!tag.selfClosing) removedAt = open.length;
      } else if (patch) {
        emit(writeStartTag(tag.name, tag.attributes, patch.set, tag.selfClosing));
      } else {
        emit(xml.slice(lt, i));
      }
      if (!tag.selfClosing) open.push(tag.name);
    }
  }
  return out.join('');
}

interface ParsedStartTag {
  name: string;
  attributes: Map<string, string>;
  selfClosing: boolean;
  end: number;
}

function readStartTag(xml: string, lt: number): ParsedStartTag {
  const nameMatch = /^[^\s/>]+/.exec(xml.slice(lt + 1, lt + 256));
  if (!nameMatch) throw new SyntaxError(`malformed start tag at offset ${lt}`);
  const name = nameMatch[0];
  const attributes = new Map<string, string>();
  let pos = lt + 1 + name.length;
  for (;;) {
    ATTRIBUTE.lastIndex = pos;
    const m = ATTRIBUTE.exec(xml);
    if (!m) break;
    attributes.set(m[1]!, m[2]!.slice(1, -1));
    pos = ATTRIBUTE.lastIndex;
  }
  const close = /^\s*(\/?)>/.exec(xml.slice(pos, pos + 64));
  if (!close) throw new SyntaxError(`malformed start tag <${name}> at offset ${lt}`);
  return { name, attributes, selfClosing: close[1] === '/', end: pos + close[0].length };
}

function writeStartTag(
  name: string,
  written: ReadonlyMap<string, string>,
  set: Readonly<Record<string, string | null>>,
  selfClosing: boolean,
): string {
  const parts = [`<${name}`];
  for (const [key, raw] of written) {
    const value = key in set ? set[key] : undefined;
    if (value === undefined) {
      parts.push(` ${key}="${raw.replace(/"/g, '&quot;')}"`);
    } else if (value !== null) {
      parts.push(` ${key}="${escapeXmlAttribute(value)}"`);
    }
  }
  for (const [key, value] of Object.entries(set)) {
    if (value !== null && !written.has(key)) parts.push(` ${key}="${escapeXmlAttribute(value)}"`);
  }
  return parts.join('') + (selfClosing ? '/>' : '>');
}
