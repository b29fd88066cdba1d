/**
 * E-mail (RFC 822 / MIME) wire copy: agencies and stringers still send stories by mail. MIME
 * decoding (multipart, quoted-printable, encoded words, charsets) is postal-mime's; this file maps
 * a message onto one raw item: Subject → title, From → author, Date → published, Message-ID →
 * guid, the text part (signature removed) or else the HTML part → body.
 */
import PostalMime from 'postal-mime';
import type { RawDocument } from '../model/raw-item.ts';
import { WireError } from '../model/wire-error.ts';

const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]*:[ \t]/;

/** A message starts with header lines, among them Subject and From or Date. */
export function looksLikeEmail(head: string): boolean {
  const text = head.trimStart();
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  if (!HEADER_LINE.test(firstLine)) return false;
  const headers = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  return /^Subject:/im.test(headers) && /^(From|Date):/im.test(headers);
}

/** The part of a plain-text body above the signature delimiter ("-- " on its own line). */
function withoutSignature(text: string): string {
  const at = text.search(/\r?\n-- ?\r?\n/);
  return (at === -1 ? text : text.slice(0, at)).trim();
}

export async function parseEmail(text: string): Promise<RawDocument> {
  let email;
  try {
    email = await PostalMime.parse(text.trimStart());
  } catch (err) {
    throw new WireError('PARSE_ERROR', `unreadable e-mail: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const body = email.text ? withoutSignature(email.text) : '';
  const title = email.subject?.trim();
  if (!title && !body && !email.html) throw new WireError('EMPTY_DOCUMENT', 'the e-mail has neither a subject nor a body');
  const author = email.from?.name || email.from?.address;
  return {
    format: 'email',
    items: [
      {
        guid: email.messageId?.replace(/^<|>$/g, ''),
        title,
        contentText: body || undefined,
        contentHtml: body ? undefined : email.html,
        published: email.date,
        authors: author ? [author] : [],
      },
    ],
  };
}
