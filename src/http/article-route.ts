/**
 * `/articles/{id}` (the article's page, HTML) and `/articles/{id}.json` (its record): stored bytes
 * only, rendered when the article was stored (workers/ingest-worker.ts). An embargoed story is
 * not found until its time; a withdrawn (canceled) one answers 410 Gone with a short page saying
 * so, and its record is no longer served. Redis down: 503 with Retry-After at once.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ARTICLE_ID } from '../render/article-url.ts';
import type { PageStore, StoredPage, StoredRecord } from '../store/page-store.ts';
import { isNotModified } from './conditional.ts';

/** Pages change when a story is corrected: caches come back within two minutes. */
const MAX_AGE_S = 120;
const RETRY_AFTER_S = 10;
/** The page has no script and loads nothing from elsewhere but the story's images. */
const PAGE_CSP = "default-src 'none'; img-src https: http:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";

type Request = FastifyRequest<{ Params: { file: string } }>;

function notFound(req: Request, reply: FastifyReply) {
  return reply.code(404).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(`no such article: ${req.url}\n`);
}

function unavailable(reply: FastifyReply) {
  return reply
    .code(503)
    .header('retry-after', String(RETRY_AFTER_S))
    .header('cache-control', 'no-store')
    .type('text/plain; charset=utf-8')
    .send('article unavailable for now: its store cannot be read\n');
}

function sendFresh(req: Request, reply: FastifyReply, stored: StoredPage | StoredRecord, body: string, contentType: string) {
  reply.header('etag', stored.etag).header('last-modified', stored.lastModified).header('cache-control', `public, max-age=${MAX_AGE_S}`);
  if (isNotModified(req.headers as Record<string, string>, stored.etag, stored.lastModified)) return reply.code(304).send();
  return reply.type(contentType).send(body);
}

/** Registers both routes on `app`; `now` is the clock embargoes are judged by. */
export function registerArticleRoutes(app: FastifyInstance, pages: PageStore, now: () => number = Date.now): void {
  app.get<{ Params: { file: string } }>('/articles/:file', async (req, reply) => {
    const file = req.params.file;
    const json = file.endsWith('.json');
    const id = json ? file.slice(0, -'.json'.length) : file;
    if (!ARTICLE_ID.test(id)) return notFound(req, reply);
    let stored: StoredPage | StoredRecord | null;
    try {
      stored = json ? await pages.record(id) : await pages.get(id);
    } catch {
      // The cause is for operators (/readyz and the log name it), not for a reader.
      return unavailable(reply);
    }
    // Not stored, or under embargo (its existence is not told before its time).
    if (!stored || stored.availableAt > now()) return notFound(req, reply);
    if (stored.status === 410) {
      reply.code(410).header('cache-control', `public, max-age=${MAX_AGE_S}`);
      if (json) return reply.type('text/plain; charset=utf-8').send('this story was withdrawn by its source\n');
      return reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send((stored as StoredPage).body);
    }
    if (json) {
      reply.header('content-security-policy', JSON_CSP);
      return sendFresh(req, reply, stored, (stored as StoredRecord).json, 'application/json; charset=utf-8');
    }
    reply.header('content-security-policy', PAGE_CSP);
    return sendFresh(req, reply, stored, (stored as StoredPage).body, 'text/html; charset=utf-8');
  });
}
