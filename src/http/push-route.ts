/**
 * HTTP push intake: `POST /ingest/{sourceId}` with the document as the body, for sources declared
 * `type: push`. The document is read (decoded, format detected, parsed) before it is accepted, so
 * a sender learns at once that a body is unreadable (400) instead of finding it in a log later.
 *
 * Order, cheapest refusal first: the source and the token are checked when the headers arrive
 * (onRequest), before a byte of the body is read; a Content-Length over the source's `maxBytes`
 * is refused there too; a body without one is counted while it streams in and refused the moment
 * it passes the cap. A refusal before the whole body is read closes the connection, so the rest of
 * the upload is neither buffered nor drained. Every refusal is one JSON log line (source, status,
 * cause, remote address — never the token); every acceptance one info line.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WirefeedConfig } from '../config/load-config.ts';
import type { PushSourceConfig } from '../config/schema.ts';
import { decodeBody } from '../fetch/decode-body.ts';
import { parseDocument } from '../formats/parse-document.ts';
import { errorText, isWireError } from '../model/wire-error.ts';
import { enqueueIngest, ingestJobId, type IngestJobData, type Queues } from '../queue/registry.ts';

/** Seconds a sender is asked to wait when the queue (Redis) is unavailable. */
const RETRY_AFTER_S = 5;
/** Longest source id echoed in a log line (the id of a 404 is whatever the sender wrote). */
const MAX_LOGGED_ID = 100;

type PushRequest = FastifyRequest<{ Params: { sourceId: string } }>;
type PushLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return b.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** An error the body reader hands fastify; the scope's error handler answers it. */
class Refusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the body into one Buffer, at most `cap` bytes: past the cap it stops reading at once
 * (the stream is paused and left; fastify answers with `Connection: close`).
 */
function readCapped(payload: Readable, cap: number, sourceId: string, done: (err: Error | null, body?: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = () => {
    payload.off('data', onData);
    payload.off('end', onEnd);
    payload.off('error', onError);
  };
  function onData(chunk: Buffer) {
    received += chunk.length;
    if (received > cap) {
      finish();
      payload.pause();
      done(new Refusal(413, 'BODY_TOO_LARGE', `document of more than ${cap} bytes is over the cap of ${cap} for source ${sourceId}`));
      return;
    }
    chunks.push(chunk);
  }
  function onEnd() {
    finish();
    done(null, Buffer.concat(chunks, received));
  }
  function onError(err: Error) {
    finish();
    done(new Refusal(400, 'BODY_INCOMPLETE', `source ${sourceId}: the body was not received whole (${err.message})`));
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
}

/**
 * @param log where refusals (warn) and acceptances (info) go; default the app's logger. The
 *   server passes a `component: 'push'` child.
 */
export function registerPushRoute(
  app: FastifyInstance,
  config: WirefeedConfig,
  queues: Pick<Queues, 'ingest'>,
  now: () => Date,
  log: PushLog = app.log,
): void {
  const sources = new Map(
    config.sources.filter((s): s is PushSourceConfig => s.type === 'push' && s.enabled).map((s) => [s.id, s]),
  );
  const capOf = (s: PushSourceConfig) => s.maxBytes ?? config.settings.fetch.maxBytes;

  /** Answers a refusal and logs it, once; `detail` goes to the log only. */
  const refuse = (req: FastifyRequest, reply: FastifyReply, status: number, cause: string, message: string, detail?: object) => {
    const source = ((req.params as { sourceId?: string }).sourceId ?? '').slice(0, MAX_LOGGED_ID);
    const fields = { source, status, cause, remote: req.ip, error: message, ...detail };
    // A 503 is an outage already reported by the queue's connection: a warning like any refusal.
    if (status >= 500 && status !== 503) log.error(fields, `push refused: source ${source}: ${status} ${cause}`);
    else log.warn(fields, `push refused: source ${source}: ${status} ${cause}`);
    if (status === 503) reply.header('retry-after', String(RETRY_AFTER_S));
    return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
  };

  app.register(async (scope) => {
    // Any media type: the body is a document in whatever format the source sends.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (req, payload, done) => {
      const id = (req.params as { sourceId: string }).sourceId;
      const source = sources.get(id)!; // onRequest answered 404 otherwise
      readCapped(payload as Readable, capOf(source), id, done);
    });
    scope.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
      if (err instanceof Refusal) return refuse(req, reply, err.statusCode, err.reason, err.message);
      // fastify's own: 415 for an invalid Content-Type, 400 for a Content-Length that lies…
      const status = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
      if (status < 500) return refuse(req, reply, status, err.code ?? 'BAD_REQUEST', err.message);
      return refuse(req, reply, status, 'INTERNAL', 'internal error', { err });
    });

    scope.post<{ Params: { sourceId: string } }>(
      '/ingest/:sourceId',
      {
        // Before the body is read: who is asking, for which source, for how many bytes.
        onRequest: async (req: PushRequest, reply) => {
          // The body has not been read: close the connection rather than drain it.
          const early = (status: number, cause: string, message: string) => {
            if (hasBody(req)) reply.header('connection', 'close');
            return refuse(req, reply, status, cause, message);
          };
          const source = sources.get(req.params.sourceId);
          if (!source) return early(404, 'UNKNOWN_SOURCE', `no push source "${req.params.sourceId}"`);
          const token = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '')?.[1];
          if (token === undefined) return early(401, 'NO_TOKEN', 'missing Authorization: Bearer <token>');
          if (!sameToken(token, config.pushTokens.get(source.id) ?? '')) return early(403, 'WRONG_TOKEN', 'wrong token for this source');
          const declared = Number(req.headers['content-length'] ?? 0);
          if (declared > capOf(source)) {
            return early(413, 'BODY_TOO_LARGE', `document of ${declared} bytes is over the cap of ${capOf(source)} for source ${source.id}`);
          }
          // The sender waits for this before uploading (see the server's checkContinue).
          if (/100-continue/i.test(req.headers.expect ?? '')) reply.raw.writeContinue();
        },
      },
      async (req: PushRequest, reply) => {
        const source = sources.get(req.params.sourceId)!;
        const bytes = req.body as Buffer | undefined;
        if (!bytes || bytes.length === 0) return refuse(req, reply, 400, 'EMPTY_DOCUMENT', `source ${source.id}: empty body`);
        const contentType = req.headers['content-type'] ?? null;
        let body: string;
        let format: string;
        let items: number;
        try {
          body = decodeBody(bytes, contentType);
          const doc = await parseDocument(body, { format: source.format, contentType });
          if (doc.items.length === 0) return refuse(req, reply, 400, 'EMPTY_DOCUMENT', `source ${source.id}: the ${doc.format} document holds no item`);
          ({ format } = doc);
          items = doc.items.length;
        } catch (err) {
          if (isWireError(err)) return refuse(req, reply, 400, err.code, `source ${source.id}: ${errorText(err)}`);
          throw err;
        }
        const data: IngestJobData = { sourceId: source.id, body, contentType, url: null, receivedAt: now().toISOString() };
        let jobId: string;
        let requeued: boolean;
        try {
          // A resend of a document that failed for good is queued afresh, not answered with the dead job.
          ({ id: jobId, requeued } = await enqueueIngest(queues.ingest, data, ingestJobId(source.id, body)));
        } catch (err) {
          const detail = { queueError: err instanceof Error ? err.message : String(err) };
          return refuse(req, reply, 503, 'QUEUE_UNAVAILABLE', `source ${source.id}: the document could not be queued (queue unavailable); try again in ${RETRY_AFTER_S} s`, detail);
        }
        log.info({ source: source.id, jobId, requeued, bytes: bytes.length, format, items, remote: req.ip }, `push accepted: source ${source.id}: ${bytes.length} bytes, job ${jobId}${requeued ? ' (queued again after it had failed)' : ''}`);
        return reply.code(202).send({ accepted: true, jobId });
      },
    );
  });
}
