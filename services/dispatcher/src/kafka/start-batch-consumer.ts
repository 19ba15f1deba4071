import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { consumerState, type ReadinessCheck } from '../../../../shared/src/index.js';

/** How a dispatcher consumer group reads its topics. */
export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  sessionTimeoutMs: number;
  /** Resolves offsets itself (eachBatchAutoResolve is off): only what is safely handled is committed. */
  eachBatch: (payload: EachBatchPayload) => Promise<void>;
}

/** A running consumer and whether it is in its group now (for readiness). */
export interface BatchConsumer {
  consumer: Consumer;
  joined: ReadinessCheck;
}

/**
 * Connects and runs a consumer the way both of the dispatcher's groups (dispatch and ledger) read: batches, three
 * partitions at a time, offsets resolved by the handler, and a new group starting at the beginning, so records
 * published before the group first ran are not missed.
 */
export async function startBatchConsumer(kafka: Kafka, options: BatchConsumerOptions): Promise<BatchConsumer> {
  const consumer = kafka.consumer({
    groupId: options.groupId,
    maxWaitTimeInMs: 250,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: Math.floor(options.sessionTimeoutMs / 4),
  });
  // Before run: the first join happens inside it.
  const joined = consumerState(consumer, options.groupId);
  await consumer.connect();
  await consumer.subscribe({ topics: options.topics, fromBeginning: true });
  await consumer.run({ eachBatchAutoResolve: false, partitionsConsumedConcurrently: 3, eachBatch: options.eachBatch });
  return { consumer, joined };
}
