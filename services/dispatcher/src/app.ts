import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Redis } from 'ioredis';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import {
  ARCHIVE_JOB_RECORD,
  ARTIFACT_EVENT_TOPICS,
  createExpiryPriorities,
  ensureTopics,
  fleetTopicSpecs,
  kafkaReachable,
  readinessProbe,
  redisAnswers,
  openArchiveQueues,
  sessionLedger,
  topicNames,
  type ArchiveJobData,
  type ArchiveQueues,
  type Logger,
  type ParkedRecord,
  type ProviderClient,
  type ReadinessCheck,
  type ReadinessReport,
  type SchemaCatalog,
  type Service,
  type SessionLedger,
  type Tracing,
} from '../../../shared/src/index.js';
import { createRecordDispatcher, enqueueDispatches } from './dispatch-record.js';
import { readConsumerLag } from './kafka/consumer-lag.js';
import { startBatchConsumer } from './kafka/start-batch-consumer.js';
import { createLedgerConsumer } from './ledger/ledger-consumer.js';
import { createDispatcherMetrics, type DispatcherMetrics } from './metrics.js';
import { ledgerSources, type ArchivedArtifactsSource, type IncompleteSessionsSource } from './reconcile/ledger-sources.js';
import { readLastSweep } from './reconcile/last-sweep.js';
import { queueJobStore } from './reconcile/reconcile-job-store.js';
import { createReconcileSweep, type ReconcileSweepSettings } from './reconcile/reconcile-sweep.js';

/** The settings the dispatcher uses. */
export interface DispatcherSettings extends ReconcileSweepSettings {
  topicPrefix: string;
  topicPartitions: number;
  topicReplicationFactor: number;
  /** Unset: the broker's `min.insync.replicas`. */
  topicMinInsyncReplicas?: number | undefined;
  archiveQueue: string;
  groupId: string;
  sessionTimeoutMs: number;
  jobAttempts: number;
  /** Seconds after which an artifact announced and not archived makes its session count as incomplete. */
  ledgerIncompleteAfterSeconds: number;
}

/** What the dispatcher needs; `main.ts` builds it. */
export interface DispatcherDeps {
  kafka: Kafka;
  registry: SchemaRegistry;
  /** A connection for the queues (BullMQ needs maxRetriesPerRequest: null). */
  redis: Redis;
  /**
   * A connection for the session ledger alone (default: `redis`). BullMQ defines its scripts as commands on the
   * queues' connection, and ioredis copies every one of them onto each MULTI it starts there: the ledger, which
   * sends a few per session, spent most of its CPU on that and on the garbage it made.
   */
  ledgerRedis?: Redis;
  catalog: SchemaCatalog;
  logger: Logger;
  settings: DispatcherSettings;
  /** The provider's API, when configured: the reconcile sweep asks it what the provider holds. */
  provider?: ProviderClient;
  /** Replaces the session ledger's incomplete sessions, which the sweep reports even without a provider (tests). */
  incompleteSessions?: IncompleteSessionsSource;
  /** Replaces what the session ledger knows archived, which the sweep never fetches again (tests). */
  archived?: ArchivedArtifactsSource;
  /** Spans of the records read (ids always; exported only when configured); untraced export by default. */
  tracing?: Tracing;
  /** The clock the job priorities' bases move with (docs/adr/0017); tests move it. */
  now?: () => number;
}

/** How often the dispatcher looks whether the priority bases are due to move, besides at every batch it adds. */
const PRIORITY_ROLL_MS = 60_000;

/** The dispatcher: Kafka records about artifacts in, BullMQ download jobs out. */
export interface DispatcherApp {
  metrics: DispatcherMetrics;
  /** The download queue and the parked queue, for the admin board. */
  queues: ArchiveQueues;
  /** The session ledger the dispatcher keeps (docs/adr/0011-session-ledger-folds-into-redis-and-a-compacted-topic.md). */
  ledger: SessionLedger;
  /** Whether it can do its work now: Kafka answers, Redis answers, both consumer groups joined (GET /readyz). */
  readiness(): Promise<ReadinessReport>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads the meeting and recording topics in a consumer group and adds one download job per artifact. A batch's
 * offsets are resolved only after its jobs are in Redis, so a crash re-reads them, and the job ids make the
 * re-read add nothing twice.
 */
export function createDispatcherApp(deps: DispatcherDeps): DispatcherApp {
  const { logger, settings } = deps;
  const topics = topicNames(settings.topicPrefix);
  const queues = openArchiveQueues(deps.redis, settings.archiveQueue);
  const priorities = createExpiryPriorities(deps.redis, queues.archive, deps.now ? { now: deps.now } : {});
  let roll: NodeJS.Timeout | undefined;
  let consumer: Consumer | undefined;
  let admin: Admin | undefined;
  const subscribed = ARTIFACT_EVENT_TOPICS.map((role) => topics[role]);
  const ledger = sessionLedger(deps.ledgerRedis ?? deps.redis, settings.topicPrefix);
  // The sweep reconciles against the provider's API when there is one, and reports the ledger's incomplete sessions
  // either way; what the ledger knows archived is never fetched again.
  const ledgerSide = ledgerSources(ledger);
  const sweepOn = settings.reconcileIntervalSeconds > 0;
  const metrics = createDispatcherMetrics({
    consumerLag: async () => (admin ? readConsumerLag(admin, settings.groupId, subscribed) : []),
    queues,
    logger,
    incompleteSessions: {
      olderThanSeconds: settings.ledgerIncompleteAfterSeconds,
      count: () => ledger.countIncomplete({ olderThanSeconds: settings.ledgerIncompleteAfterSeconds }),
    },
    ...(sweepOn
      ? { reconcile: { queue: settings.archiveQueue, intervalSeconds: settings.reconcileIntervalSeconds, lastSweep: () => readLastSweep(deps.redis, settings.archiveQueue) } }
      : {}),
  });
  const ledgerConsumer = createLedgerConsumer({ ...deps, ledger, metrics, settings });
  const sweep: Service | undefined = sweepOn
    ? createReconcileSweep({
        redis: deps.redis,
        ...(deps.provider ? { provider: deps.provider } : {}),
        incompleteSessions: deps.incompleteSessions ?? ledgerSide.incompleteSessions,
        archived: deps.archived ?? ledgerSide.archived,
        jobs: queueJobStore({ queues, redis: deps.redis, archiveQueue: settings.archiveQueue, jobAttempts: settings.jobAttempts, priorities }),
        metrics: metrics.reconcile,
        logger: logger.child({ part: 'reconcile' }),
        settings,
      })
    : undefined;

  let dispatchJoined: ReadinessCheck = () => 'the dispatch consumer is not started';
  const kafkaProbe = kafkaReachable(deps.kafka);
  const readiness = readinessProbe({
    kafka: kafkaProbe.check,
    redis: redisAnswers(deps.redis),
    dispatching: () => dispatchJoined(),
    ledger: ledgerConsumer.joined,
  });

  const dispatchOne = createRecordDispatcher({
    registry: deps.registry,
    jobType: deps.catalog.type(ARCHIVE_JOB_RECORD),
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
  });

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
    const jobs: ArchiveJobData[] = [];
    const parkedRecords: ParkedRecord[] = [];
    let ignored = 0;
    let withJobs = 0;
    // Each record that gave jobs, logged once its jobs are in Redis, with its trace ids.
    const added: { trace: { traceId: string; spanId: string }; offset: string; jobIds: string[] }[] = [];
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const dispatch = await dispatchOne(message, batch.topic, batch.partition);
      if ('jobs' in dispatch) {
        if (dispatch.jobs.length === 0) ignored++;
        else {
          withJobs++;
          added.push({ trace: dispatch.trace, offset: message.offset, jobIds: dispatch.jobs.map((job) => job.artifact.jobId) });
        }
      }
      if ('parked' in dispatch) {
        logger.child(dispatch.trace).warn('record parked', { topic: batch.topic, partition: batch.partition, offset: message.offset, reason: dispatch.parked });
        parkedRecords.push({ topic: batch.topic, partition: batch.partition, offset: message.offset, reason: dispatch.parked });
      } else {
        jobs.push(...dispatch.jobs);
      }
    }
    await enqueueDispatches(
      { queue: queues.archive, parked: queues.parked, redis: deps.redis, archiveQueue: settings.archiveQueue, jobAttempts: settings.jobAttempts, priorities },
      jobs,
      parkedRecords,
    );
    // Only now, with the jobs safely in Redis, may the offsets be committed.
    const last = batch.messages.at(-1);
    if (last && isRunning() && !isStale()) resolveOffset(last.offset);
    // Counted once the records are in Redis, so a batch that failed and is read again is not counted twice.
    metrics.records.inc({ topic: batch.topic, outcome: 'jobs' }, withJobs);
    metrics.records.inc({ topic: batch.topic, outcome: 'parked' }, parkedRecords.length);
    metrics.records.inc({ topic: batch.topic, outcome: 'ignored' }, ignored);
    for (const job of jobs) metrics.jobs.inc({ kind: job.artifact.kind });
    for (const record of added) {
      logger.child(record.trace).info('jobs added', { topic: batch.topic, partition: batch.partition, offset: record.offset, jobIds: record.jobIds });
    }
    await heartbeat();
    if (jobs.length > 0) logger.info('dispatched', { topic: batch.topic, partition: batch.partition, jobs: jobs.length });
  };

  return {
    metrics,
    queues,
    ledger,
    readiness,
    async start() {
      await ensureTopics(deps.kafka, fleetTopicSpecs(settings));
      await ledgerConsumer.start();
      admin = deps.kafka.admin();
      await admin.connect();
      ({ consumer, joined: dispatchJoined } = await startBatchConsumer(deps.kafka, { groupId: settings.groupId, topics: subscribed, sessionTimeoutMs: settings.sessionTimeoutMs, eachBatch }));
      logger.info('consuming', { groupId: settings.groupId, topics: subscribed });
      if (sweep) await sweep.start();
      else logger.info('reconcile sweep off', { reason: 'RECONCILE_INTERVAL_SECONDS is 0' });
      // The bases also move while no batch comes, so that waiting links come into the millisecond tier in time.
      roll = setInterval(() => void priorities.current().catch((error: unknown) => logger.warn('priority bases not moved', { error })), PRIORITY_ROLL_MS);
      roll.unref();
    },
    async stop() {
      clearInterval(roll);
      await sweep?.stop();
      await consumer?.disconnect();
      await ledgerConsumer.stop();
      await admin?.disconnect();
      await kafkaProbe.close();
      await queues.close();
    },
  };
}
