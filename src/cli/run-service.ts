/** `start` / `serve` / `worker`: load config, start the roles, stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from '../config/load-config.ts';
import { createLogger } from '../log/logger.ts';
import { startService, type Roles } from '../queue/lifecycle.ts';
import { RedisUnavailableError } from '../queue/private-redis.ts';

export async function runService(configDir: string, roles: Roles): Promise<number> {
  let config;
  try {
    config = loadConfig(configDir);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`wirefeed: cannot start, ${err.problems.length} problem(s) in the configuration:\n`);
      for (const p of err.problems) process.stderr.write(`  ${p}\n`);
      return 1;
    }
    throw err;
  }
  const logger = createLogger(config.settings.logLevel);
  let service;
  try {
    service = await startService(config, roles, logger);
  } catch (err) {
    logger.flush();
    if (err instanceof RedisUnavailableError) {
      process.stderr.write(`wirefeed: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`wirefeed: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  // One document must never take the service down: log what escaped and keep running.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void service.stop(signal).then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return 0;
}
