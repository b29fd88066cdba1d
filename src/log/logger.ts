/**
 * pino everywhere: one root logger, a child per job (sourceId, jobId). Secrets are redacted.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export function createLogger(level: LevelWithSilent = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wirefeed' },
      redact: {
        paths: ['redisUrl', '*.redisUrl', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'password', '*.password'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    (destination ?? pino.destination({ dest: 1, sync: false })) as pino.DestinationStream,
  );
}

/** Hides the password of a Redis URL for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:[redacted]@');
}
