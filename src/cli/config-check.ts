/** `wirefeed config check`: the start's validation, without starting. */
import { ConfigError, loadConfig } from '../config/load-config.ts';

export function configCheck(dir: string): number {
  try {
    const config = loadConfig(dir);
    const enabled = config.sources.filter((s) => s.enabled).length;
    process.stdout.write(
      `${config.configDir}: configuration is valid — ${config.sources.length} sources (${enabled} enabled), ${config.topics.length} topics\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} in the configuration:\n`);
      for (const p of err.problems) process.stderr.write(`  ${p}\n`);
      return 1;
    }
    throw err;
  }
}
