import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import {
  ARCHIVE_JOB_RECORD,
  archiveSchemaPairs,
  createEventProducer,
  createExpiryPriorities,
  ensureTopics,
  fleetTopicSpecs,
  kafkaReachable,
  openArchiveQueues,
  readinessProbe,
  redisAnswers,
  registerEventSchemas,
  streamSchemaPairs,
  topicNames,
  type ArchiveJobData,
  type Logger,
  type ProviderClient,
  type ReadinessReport,
  type SchemaCatalog,
  type Tracing,
} from '../../../shared/src/index.js';
import { parseList } from './download/url-policy.js';
import { createDownloaderMetrics, type DownloaderMetrics } from './metrics.js';
import { deadlineBackoff, processArchiveJob, type ArchiveJobResult } from './process-archive-job.js';
import { transferRate } from './refresh/transfer-rate.js';
import { resultPublisher } from './results/result-publisher.js';
import type { ArchiveStore } from './store/archive-store.js';
import { streamPublisher } from './streams/stream-publisher.js';

/** The settings the downloader uses. */
export interface DownloaderSettings {
  topicPrefix: string;
  topicPartitions: number;
  topicReplicationFactor: number;
  /** Unset: the broker's `min.insync.replicas`. */
  topicMinInsyncReplicas?: number | undefined;
  archiveQueue: string;
  concurrency: number;
  allowedHosts: string;
  allowHttp: boolean;
  allowedAddresses: string;
  /** Unset: the scheme's own port only. */
  allowedPorts?: number[] | undefined;
  maxBytes: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
  minBytesPerSecond: number;
  minRateWindowMs: number;
  lockMs: number;
  progressIntervalMs: number;
  /** Publish the content of archived chats, transcripts, summaries (each on unless turned off). */
  streamChat: boolean;
  streamTranscript: boolean;
  streamSummary: boolean;
  streamSummaryMaxBytes: number;
  streamBatchRecords: number;
  streamMaxRecordBytes: number;
}

/** What the downloader needs; `main.ts` builds it. */
export interface DownloaderDeps {
  kafka: Kafka;
  registry: SchemaRegistry;
  redis: Redis;
  catalog: SchemaCatalog;
  store: ArchiveStore;
  logger: Logger;
  settings: DownloaderSettings;
  /** The provider API, for fresh links when a job's link expires or is refused; undefined: off, such a job fails as EXPIRED. */
  provider?: ProviderClient | undefined;
  /** Spans of the download attempts (ids always; exported only when configured); untraced by default. */
  tracing?: Tracing;
}

/** The downloader: BullMQ workers that archive artifacts and report each outcome on the archive topic. */
export interface DownloaderApp {
  metrics: DownloaderMetrics;
  /** Whether it can do its work now: Kafka and Redis answer, the worker takes jobs (GET /readyz). */
  readiness(): Promise<ReadinessReport>;
  start(): Promise<void>;
  /** Stops taking jobs, waits for the active ones, then flushes the producer. */
  stop(): Promise<void>;
}

/** Builds the downloader without connecting: `start` does that. */
export function createDownloaderApp(deps: DownloaderDeps): DownloaderApp {
  const { logger, settings } = deps;
  const topics = topicNames(settings.topicPrefix);
  const topic = topics.archive;
  const producer = createEventProducer(deps.kafka);
  const policy = {
    allowedHosts: parseList(settings.allowedHosts),
    allowHttp: settings.allowHttp,
    allowedAddresses: parseList(settings.allowedAddresses),
    allowedPorts: settings.allowedPorts ?? [],
  };
  let worker: Worker<ArchiveJobData, ArchiveJobResult> | undefined;
  // Only read by the metrics (job counts, earliest expiry); the worker takes the jobs.
  const queues = openArchiveQueues(deps.redis, settings.archiveQueue);
  const metrics = createDownloaderMetrics({ queues, logger });
  const kafkaProbe = kafkaReachable(deps.kafka);
  const readiness = readinessProbe({
    // The results go to Kafka: a job done while it is away is retried until they can be published.
    kafka: kafkaProbe.check,
    redis: redisAnswers(deps.redis),
    working: () => (!worker ? 'the worker is not started' : worker.closing ? 'the worker is closing' : worker.isRunning() ? undefined : 'the worker is not running'),
  });

  return {
    metrics,
    readiness,
    async start() {
      await deps.store.check?.();
      logger.info('starting: connecting to Kafka');
      await producer.connect();
      await ensureTopics(deps.kafka, fleetTopicSpecs(settings));
      logger.info('starting: registering the archive schemas');
      const encoder = await registerEventSchemas(deps.registry, deps.catalog, [...archiveSchemaPairs(topics), ...streamSchemaPairs(topics)]);
      const streamKinds = { chat: settings.streamChat, transcript: settings.streamTranscript, summary: settings.streamSummary };
      const processorDeps = {
        store: deps.store,
        publisher: resultPublisher(producer, encoder, topic),
        jobType: deps.catalog.type(ARCHIVE_JOB_RECORD),
        fetch: {
          policy,
          maxBytes: settings.maxBytes,
          connectTimeoutMs: settings.connectTimeoutMs,
          idleTimeoutMs: settings.idleTimeoutMs,
          totalTimeoutMs: settings.totalTimeoutMs,
          minRate: { bytesPerSecond: settings.minBytesPerSecond, windowMs: settings.minRateWindowMs },
          progressIntervalMs: settings.progressIntervalMs,
        },
        logger,
        observer: metrics.observer,
        provider: deps.provider,
        transferRate: transferRate(),
        ...(deps.tracing ? { tracing: deps.tracing } : {}),
        streams: streamPublisher({
          producer,
          encoder,
          topics,
          store: deps.store,
          settings: {
            kinds: streamKinds,
            summaryMaxBytes: settings.streamSummaryMaxBytes,
            batchRecords: settings.streamBatchRecords,
            maxRecordBytes: settings.streamMaxRecordBytes,
          },
          observer: metrics.streams,
        }),
        priorities: createExpiryPriorities(deps.redis, queues.archive),
      };
      const refreshable = deps.provider !== undefined;
      worker = new Worker<ArchiveJobData, ArchiveJobResult>(settings.archiveQueue, (job) => processArchiveJob(job, processorDeps), {
        connection: deps.redis,
        concurrency: settings.concurrency,
        lockDuration: settings.lockMs,
        stalledInterval: Math.max(1000, Math.floor(settings.lockMs / 2)),
        // A downloader killed mid-file leaves its job stalled; it is taken over and resumed, a few times at most.
        maxStalledCount: 3,
        settings: { backoffStrategy: (attemptsMade, _type, _error, job) => deadlineBackoff(attemptsMade, job as never, refreshable) },
      });
      worker.on('error', (error) => logger.error('worker error', { error }));
      logger.info('starting: connecting the worker to Redis');
      await worker.waitUntilReady();
      logger.info('downloading', {
        queue: settings.archiveQueue,
        concurrency: settings.concurrency,
        topic,
        allowedHosts: policy.allowedHosts,
        allowedPorts: policy.allowedPorts.length > 0 ? policy.allowedPorts : 'default',
        linkRefresh: refreshable ? 'on (provider API)' : 'off (no provider API)',
        streams: Object.entries(streamKinds).map(([kind, on]) => `${kind} ${on ? 'on' : 'off'}`).join(', '),
      });
    },
    async stop() {
      await worker?.close();
      await producer.disconnect();
      await kafkaProbe.close();
      await queues.close();
    },
  };
}
