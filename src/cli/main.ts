/**
 * The `wirefeed` command: start (everything in one process), serve and worker (roles apart, on
 * any number of machines sharing one Redis), config check, dlq, normalize, classify.
 */
import { Command, InvalidArgumentError } from 'commander';
import { VERSION } from '../config/load-config.ts';
import { FORMAT_NAMES } from '../model/raw-item.ts';
import { QUEUE_NAMES, type QueueName } from '../queue/registry.ts';
import { classifyCommand } from './classify-command.ts';
import { configCheck } from './config-check.ts';
import { DLQ_ACTIONS, dlqCommand } from './dlq-command.ts';
import { normalizeCommand } from './normalize-command.ts';
import { runService } from './run-service.ts';
import { sourcesCommand } from './sources-command.ts';

const DEFAULT_CONFIG = process.env.WIREFEED_CONFIG ?? './config';

function parseQueues(value: string): QueueName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(QUEUE_NAMES as readonly string[]).includes(n)) {
      throw new InvalidArgumentError(`unknown queue "${n}" (queues: ${QUEUE_NAMES.join(', ')})`);
    }
  }
  return names as QueueName[];
}

const program = new Command()
  .name('wirefeed')
  .description('News-feed syndication worker: sources in, topic feeds (RSS, Atom, JSON Feed) out.')
  .version(VERSION);

program
  .command('start')
  .description('run the HTTP server and every worker in one process')
  .option('-c, --config <dir>', 'configuration directory', DEFAULT_CONFIG)
  .action(async (opts: { config: string }) => {
    process.exitCode = await runService(opts.config, { http: true, queues: QUEUE_NAMES, scheduler: true });
  });

program
  .command('serve')
  .description('run only the HTTP server (needs REDIS_URL shared with the workers)')
  .option('-c, --config <dir>', 'configuration directory', DEFAULT_CONFIG)
  .action(async (opts: { config: string }) => {
    process.exitCode = await runService(opts.config, { http: true, queues: [], scheduler: false });
  });

program
  .command('worker')
  .description('run workers only (needs REDIS_URL shared with the server)')
  .option('-c, --config <dir>', 'configuration directory', DEFAULT_CONFIG)
  .option('-q, --queues <names>', `queues to work on, comma-separated (${QUEUE_NAMES.join(',')})`, parseQueues, [...QUEUE_NAMES])
  .option('--no-scheduler', 'do not manage the job schedulers (let another process do it)')
  .action(async (opts: { config: string; queues: QueueName[]; scheduler: boolean }) => {
    process.exitCode = await runService(opts.config, { http: false, queues: opts.queues, scheduler: opts.scheduler });
  });

const config = program.command('config').description('configuration tools');
config
  .command('check')
  .description('validate the configuration and print every error at once')
  .option('-c, --config <dir>', 'configuration directory', DEFAULT_CONFIG)
  .action((opts: { config: string }) => {
    process.exitCode = configCheck(opts.config);
  });

program
  .command('dlq')
  .description('dead letters: documents and items that could not be ingested (7 days), with source, bytes and cause — list (default), show ID, retry ID…, drop ID…')
  .argument('[action]', `${DLQ_ACTIONS.join(' | ')} (default list)`)
  .argument('[ids...]', 'dead letter ids (from the list)')
  .option('-c, --config <dir>', 'configuration directory (Redis URL and prefix)', DEFAULT_CONFIG)
  .option('--retry [ids...]', 'as `retry ids…` (every dead letter without ids)')
  .option('--remove [ids...]', 'as `drop ids…` (every dead letter without ids)')
  .option('--json', 'one JSON object per line')
  .option('-n, --limit <n>', 'at most this many, newest first', (v) => Number.parseInt(v, 10), 1000)
  .action(async (action: string | undefined, ids: string[], opts: { config: string; retry?: string[] | true; remove?: string[] | true; json?: boolean; limit: number }) => {
    process.exitCode = await dlqCommand(action, ids, opts);
  });

program
  .command('sources')
  .description('each source as the fetchers see it: type, URL (configured / polled), state, last poll and status, next poll and why')
  .option('-c, --config <dir>', 'configuration directory (Redis URL and prefix)', DEFAULT_CONFIG)
  .option('--json', 'one JSON object per line')
  .action(async (opts: { config: string; json?: boolean }) => {
    process.exitCode = await sourcesCommand(opts);
  });

program
  .command('normalize')
  .description('print the article records of a document as JSON Lines (FILE, or - for stdin)')
  .argument('<file>', 'document to normalize, or - for standard input')
  .option('-f, --format <format>', `skip detection: ${FORMAT_NAMES.join(', ')}`)
  .option('-s, --source-id <id>', 'source id (its settings apply when it is configured)', 'cli')
  .option('-b, --base-url <url>', 'base URL for relative links')
  .option('-t, --content-type <type>', 'Content-Type the document came with (charset)')
  .option('-c, --config <dir>', 'configuration directory (topics, sources)', DEFAULT_CONFIG)
  .action(async (file: string, opts: { format?: string; sourceId: string; baseUrl?: string; contentType?: string; config: string }) => {
    process.exitCode = await normalizeCommand(file, opts);
  });

program
  .command('classify')
  .description('read JSON Lines {id, headline, body, language?, subjects?} on stdin, print {id, topics} per line (model + rules + provider codes)')
  .option('-e, --eval <file>', 'JSON Lines with labels: print per-topic precision, recall, F1 and macro-F1')
  .option('-x, --explain', "print each topic's score with the words and rules that raised or lowered it")
  .option('-m, --model <file>', 'model file (default: the shipped assets/model/topics.json)')
  .option('--model-only', 'the model alone, without the rules of topics.yaml')
  .option('-c, --config <dir>', 'configuration directory (its topics.yaml rules apply)', DEFAULT_CONFIG)
  .action(async (opts: { eval?: string; model?: string; explain?: boolean; modelOnly?: boolean; config: string }) => {
    process.exitCode = await classifyCommand(opts);
  });

await program.parseAsync(process.argv);
