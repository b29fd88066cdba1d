/** What every processor is handed: the config compiled once, stores, queues, logger, clock. */
import type { WirefeedConfig } from '../src/config/load-config.ts';
import type { ClaimOwner } from '../src/fetch/claim-owner.ts';
import type { Pipeline } from '../src/ingest/pipeline.ts';
import type { Logger } from '../src/log/logger.ts';
import type { Queues } from '../src/queue/registry.ts';
import type { ArticleStore } from '../src/store/article-store.ts';
import type { DeadLetterStore } from '../src/store/dead-letters.ts';
import type { DuplicateIndex } from '../src/store/duplicate-index.ts';
import type { FeedStore } from '../src/store/feed-store.ts';
import type { PollLeases } from '../src/store/poll-lease.ts';
import type { SourceStateStore } from '../src/store/source-state.ts';

export interface WorkerDeps {
  config: WirefeedConfig;
  pipeline: Pipeline;
  queues: Queues;
  articles: ArticleStore;
  duplicates: DuplicateIndex;
  /** Documents and items that could not be ingested (`wirefeed dlq`). */
  deadLetters: DeadLetterStore;
  feeds: FeedStore;
  sourceState: SourceStateStore;
  /** One poll per source at a time. */
  leases: PollLeases;
  /** This process as the owner of its directory claims (heartbeat; judges other owners). */
  claimOwner: ClaimOwner;
  logger: Logger;
  now(): Date;
  /** Aborted on shutdown: in-flight fetches stop. */
  signal: AbortSignal;
}
