/**
 * HTTP push intake: `POST /ingest/{sourceId}` with the document as the body, for sources declared
 * `type: push`. The document is read (decoded, format detected, parsed) before it is accepted, so
 * a sender learns at once that a body is unreadable (400) instead of finding it in a log later.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WirefeedConfig } from '../config/load-config.ts';
import type { PushSourceConfig } from '../config/schema.ts';
import { decodeBody } from '../fetch/decode-body.ts';
import { parseDocument } from '../formats/parse-document.ts';
import { isWireError } from '../model/wire-error.ts';
import { JOB, ingestJobId, type IngestJobData, type Queues } from '../queue/registry.ts';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function problem(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
}

export function registerPushRoute(app: FastifyInstance, config: WirefeedConfig, queues: Queues, now: () => Date): void {
  const sources = new Map(
    config.sources.filter((s): s is PushSourceConfig => s.type === 'push' && s.enabled).map((s) => [s.id, s]),
  );
  const capOf = (s: PushSourceConfig) => s.maxBytes ?? config.settings.fetch.maxBytes;
  const routeLimit = Math.max(config.settings.fetch.maxBytes, ...[...sources.values()].map(capOf));

  app.register(async (scope) => {
    // Any media type: the body is a document in whatever format the source sends.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: routeLimit }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
      if (err.statusCode === 413) return problem(reply, 413, `document over the size cap of ${routeLimit} bytes`);
      return problem(reply, err.statusCode ?? 500, err.message);
    });

    scope.post<{ Params: { sourceId: string } }>(
      '/ingest/:sourceId',
      { bodyLimit: routeLimit },
      async (req: FastifyRequest<{ Params: { sourceId: string } }>, reply) => {
        const source = sources.get(req.params.sourceId);
        if (!source) return problem(reply, 404, `no push source "${req.params.sourceId}"`);
        const auth = req.headers.authorization;
        if (!auth) return problem(reply, 401, 'missing Authorization: Bearer <token>');
        const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
        if (!sameToken(token, config.pushTokens.get(source.id) ?? '')) return problem(reply, 403, 'wrong token for this source');

        const bytes = req.body as Buffer | undefined;
        if (!bytes || bytes.length === 0) return problem(reply, 400, `source ${source.id}: empty body`);
        if (bytes.length > capOf(source)) return problem(reply, 413, `document of ${bytes.length} bytes is over the cap of ${capOf(source)} for source ${source.id}`);
        const contentType = req.headers['content-type'] ?? null;
        const body = decodeBody(bytes, contentType);
        try {
          const doc = await parseDocument(body, { format: source.format, contentType });
          if (doc.items.length === 0) return problem(reply, 400, `source ${source.id}: the ${doc.format} document holds no item`);
        } catch (err) {
          if (isWireError(err)) return problem(reply, 400, `source ${source.id}: ${err.code}: ${err.message}`);
          throw err;
        }
        const data: IngestJobData = { sourceId: source.id, body, contentType, url: null, receivedAt: now().toISOString() };
        const job = await queues.ingest.add(JOB.ingest, data, { jobId: ingestJobId(source.id, body) });
        return reply.code(202).send({ accepted: true, jobId: job.id });
      },
    );
  });
}
