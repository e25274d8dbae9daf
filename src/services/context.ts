import type { Config } from '../config';
import type { Db } from '../store/db';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { EmailTemplate } from '../domain/email-template';
import type { Classifier } from './classifier-pool';
import type { ReceivedPosts } from './received-queue';

/** What every use case needs. Time comes from `now` so tests and the domain stay deterministic. */
export interface ServiceContext {
  db: Db;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  emailTemplates: EmailTemplate[];
  /** Classifies posts off the main thread (src/services/classifier-pool.ts). */
  classifier: Classifier;
  /** Mentions a flood left received, classified as the requests leave time (src/services/received-queue.ts). */
  received: ReceivedPosts;
  /** Wakes the outbox worker after a commit that queued Slack effects. */
  kickOutbox: () => void;
}
