import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import {
  createEventProducer,
  decodeWireRecord,
  isWireFormat,
  LEDGER_SOURCE_TOPICS,
  LedgerNotLoadedError,
  ledgerSchemaPairs,
  rebuildLedger,
  registerEventSchemas,
  topicNames,
  isUndecodable,
  type EventEncoder,
  type ReadinessCheck,
  type Logger,
  type SchemaCatalog,
  type SessionContribution,
  type SessionLedger,
  type SessionState,
  type WireRecord,
} from '../../../../shared/src/index.js';
import type { LedgerMetrics } from '../metrics.js';
import { startBatchConsumer } from '../kafka/start-batch-consumer.js';
import { produceChunks } from './produce-chunks.js';
import { sessionContributions } from './session-contributions.js';
import { sessionStateMessage } from './session-state-message.js';

/** The settings the ledger consumer uses. */
export interface LedgerSettings {
  topicPrefix: string;
  /** The dispatchers' group id: the ledger reads in a group of its own, `<groupId>-ledger`. */
  groupId: string;
  sessionTimeoutMs: number;
}

/** What the ledger consumer needs; the dispatcher's app hands it its own connections. */
export interface LedgerConsumerDeps {
  kafka: Kafka;
  registry: SchemaRegistry;
  catalog: SchemaCatalog;
  /** The ledger in Redis it folds into. */
  ledger: SessionLedger;
  logger: Logger;
  metrics: LedgerMetrics;
  settings: LedgerSettings;
}

/** The session ledger's consumer: source records in, session states in Redis and on the compacted sessions topic. */
export interface LedgerConsumer {
  /** Expects the fleet's topics to exist. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Ready once its group is joined, not while it rebalances, after a crash or once stopped. */
  joined: ReadinessCheck;
}

/** The consumer group of the ledger, beside the dispatchers' own. */
export function ledgerGroupId(dispatcherGroupId: string): string {
  return `${dispatcherGroupId}-ledger`;
}

// A state changed by another replica between our read and our publish is published again; past this many rounds
// the next change of the session publishes it.
const MAX_PUBLISH_ROUNDS = 5;

/**
 * Folds the meeting, recording and archive topics into the session ledger (docs/adr/0011-session-ledger-folds-into-redis-and-a-compacted-topic.md): each
 * batch's contributions go to Redis, then every session they touched is published whole, keyed by its ledger key,
 * on the compacted sessions topic; offsets are resolved only after that. A Redis that lost the ledger is noticed
 * (its run id changed, or the ledger's mark is gone) and the ledger is rebuilt from the sessions topic first.
 */
export function createLedgerConsumer(deps: LedgerConsumerDeps): LedgerConsumer {
  const { logger, metrics, settings } = deps;
  const topics = topicNames(settings.topicPrefix);
  const { ledger } = deps;
  const producer = createEventProducer(deps.kafka);
  const groupId = ledgerGroupId(settings.groupId);
  const subscribed = LEDGER_SOURCE_TOPICS.map((role) => topics[role]);
  let encoder: EventEncoder | undefined;
  let consumer: Consumer | undefined;
  let joined: ReadinessCheck = () => 'the ledger consumer is not started';

  // One rebuild at a time in this process: batches of several partitions may find the ledger lost together.
  let rebuilding: Promise<void> | undefined;
  const rebuild = (why: string) =>
    (rebuilding ??= (async () => {
      const started = Date.now();
      const result = await rebuildLedger({ kafka: deps.kafka, registry: deps.registry, ledger, topic: topics.sessions });
      metrics.ledgerRebuilds.inc();
      logger.info('ledger rebuilt', { why, ...result, tookMs: Date.now() - started, topic: topics.sessions });
    })().finally(() => (rebuilding = undefined)));
  const ensureLoaded = async () => {
    if (!(await ledger.isLoaded())) await rebuild('the ledger is not loaded in this Redis (first start, or Redis restarted or lost it)');
  };
  const withLoadedLedger = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof LedgerNotLoadedError)) throw error;
      await rebuild('Redis lost the ledger while it was in use');
      return work();
    }
  };

  // A produce request holds at most 100 states or 512 KiB of them (one state alone may be larger), far inside
  // the broker's 1 MB per partition batch however the keys fall on partitions.
  const SEND_MAX_RECORDS = 100;
  const SEND_MAX_BYTES = 512 * 1024;
  const send = async (states: SessionState[]) => {
    if (!encoder) throw new Error('the ledger consumer is not started');
    const writer = encoder;
    const messages = states.map((state) => sessionStateMessage(writer, topics.sessions, state));
    for (const chunk of produceChunks(messages, { maxRecords: SEND_MAX_RECORDS, maxBytes: SEND_MAX_BYTES })) {
      await producer.send({ topic: topics.sessions, acks: -1, messages: chunk });
    }
    metrics.sessionsPublished.inc(states.length);
  };

  // Every session a batch touched, published together: their entries read in one round trip, their states in produce
  // requests of up to 100, their marks in one round trip. A state changed by another replica between the read
  // and the mark is still unpublished at the next read, and goes out again.
  const publishCurrent = async (ledgerKeys: string[]) => {
    let pending = ledgerKeys;
    for (let round = 0; round < MAX_PUBLISH_ROUNDS && pending.length > 0; round++) {
      const entries = await withLoadedLedger(() => ledger.entries(pending));
      const states = entries.flatMap((entry) => (entry && !entry.published ? [entry.state] : []));
      if (states.length === 0) return;
      await send(states);
      await ledger.publishedAll(states);
      pending = states.map((state) => state.ledgerKey);
    }
  };

  const decode = async (value: Buffer | null): Promise<WireRecord | undefined> => {
    if (!value || !isWireFormat(value)) return undefined;
    try {
      return await decodeWireRecord(deps.registry, value);
    } catch (error) {
      // As the dispatcher decides: what will never decode is skipped (the dispatcher parks it), the rest retried.
      if (isUndecodable(error)) return undefined;
      throw error;
    }
  };

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
    await ensureLoaded();
    const contributions: SessionContribution[] = [];
    const outcomes: Record<'folded' | 'no_session' | 'ignored' | 'undecodable', number> = { folded: 0, no_session: 0, ignored: 0, undecodable: 0 };
    let last: string | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      const record = await decode(message.value);
      if (!record) outcomes.undecodable++;
      else {
        const reading = sessionContributions(record.recordName, record.value, Number(message.timestamp) * 1000);
        contributions.push(...reading.contributions);
        if (reading.contributions.length === 0) outcomes.ignored++;
        else if (reading.withoutSession) outcomes.no_session++;
        else outcomes.folded++;
      }
      last = message.offset;
    }
    const touched = await withLoadedLedger(() => ledger.add(contributions));
    await publishCurrent(touched);
    // Only now, with every touched session published, may the offsets be committed.
    if (last !== undefined && isRunning() && !isStale()) resolveOffset(last);
    for (const [outcome, count] of Object.entries(outcomes)) metrics.ledgerRecords.inc({ topic: batch.topic, outcome }, count);
    await heartbeat();
  };

  return {
    async start() {
      await producer.connect();
      encoder = await registerEventSchemas(deps.registry, deps.catalog, ledgerSchemaPairs(topics));
      await ensureLoaded();
      ({ consumer, joined } = await startBatchConsumer(deps.kafka, { groupId, topics: subscribed, sessionTimeoutMs: settings.sessionTimeoutMs, eachBatch }));
      logger.info('ledger consuming', { groupId, topics: subscribed, publishing: topics.sessions });
    },
    async stop() {
      await consumer?.disconnect();
      await producer.disconnect();
    },
    joined: () => joined(),
  };
}
