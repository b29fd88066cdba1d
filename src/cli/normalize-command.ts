/**
 * `wirefeed normalize FILE|-`: how an operator inspects what a source's documents become. Prints
 * one ArticleRecord per line (JSON Lines) on stdout; problems go to stderr.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { TOP_LEVEL_TOPICS } from '../classify/top-level-topics.ts';
import { ConfigError, loadConfig, type WirefeedConfig } from '../config/load-config.ts';
import type { SourceConfig } from '../config/schema.ts';
import { decodeBody } from '../fetch/decode-body.ts';
import { ingestDocument } from '../ingest/ingest-document.ts';
import { createPipeline } from '../ingest/pipeline.ts';
import { FORMAT_NAMES as FORMATS, type FormatName } from '../model/raw-item.ts';
import { errorText, isWireError } from '../model/wire-error.ts';


async function readInput(file: string): Promise<Buffer> {
  if (file !== '-') return readFile(file);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function normalizeCommand(
  file: string,
  opts: { format?: string; sourceId: string; baseUrl?: string; contentType?: string; config: string },
): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`wirefeed normalize: ${message}\n`);
    return 1;
  };
  if (opts.format && !FORMATS.includes(opts.format as FormatName)) {
    return fail(`unknown format "${opts.format}" (formats: ${FORMATS.join(', ')})`);
  }
  // Topics and source settings come from the configuration when there is one.
  let config: Pick<WirefeedConfig, 'sources' | 'topics'>;
  if (existsSync(opts.config)) {
    try {
      config = loadConfig(opts.config);
    } catch (err) {
      if (err instanceof ConfigError) return fail(`${opts.config}: invalid configuration:\n  ${err.problems.join('\n  ')}`);
      throw err;
    }
  } else {
    config = { sources: [], topics: TOP_LEVEL_TOPICS.map((t) => ({ ...t, rules: {}, builtin: true })) };
  }
  const source: SourceConfig = config.sources.find((s) => s.id === opts.sourceId) ?? {
    id: opts.sourceId,
    type: 'directory',
    path: '.',
    every: 5000,
    topics: [],
    categories: {},
    enabled: true,
  };

  const name = file === '-' ? 'standard input' : file;
  let bytes: Buffer;
  try {
    bytes = await readInput(file);
  } catch (err) {
    return fail(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const outcome = await ingestDocument(
      {
        body: decodeBody(bytes, opts.contentType ?? null),
        contentType: opts.contentType,
        url: opts.baseUrl,
        format: (opts.format as FormatName | undefined) ?? source.format,
        // As a directory source would see the file: the same ids as the service gives.
        fileName: file === '-' ? undefined : basename(file),
      },
      source,
      createPipeline(config),
      new Date(),
    );
    for (const s of outcome.skipped) process.stderr.write(`wirefeed normalize: ${name}: item ${s.index} skipped: ${s.reason}\n`);
    process.stdout.write(outcome.articles.map((a) => `${JSON.stringify(a)}\n`).join(''));
    return 0;
  } catch (err) {
    if (isWireError(err)) return fail(`${name}: ${errorText(err)}`);
    throw err;
  }
}
