import type { Message, Producer, TopicMessages } from 'kafkajs';
import { UnavailableError } from '../../../../shared/src/index.js';

/** Options of the group-commit producer. */
export interface GroupCommitOptions {
  /** Most records in one produce request. */
  maxBatchRecords: number;
  /** Most records waiting for a produce request; past it, `send` fails at once (503) instead of queueing. */
  maxPendingRecords: number;
  /** Broker-side timeout of one produce request, in ms. */
  requestTimeoutMs: number;
  /** Called after each produce request, for metrics. */
  onBatch?: (records: number, seconds: number, ok: boolean) => void;
}

interface Pending {
  topic: string;
  message: Message;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Group commit: concurrent `send` calls share produce requests. While one request is in flight, new records
 * gather; when it is acked, they all go in the next one. Each caller's promise settles when its own record is
 * acked (acks=all) or its batch failed, so throughput grows with load instead of costing one broker round trip
 * per webhook. One request in flight at a time keeps the order of records, and a failed batch fails every caller in it.
 */
export class GroupCommitProducer {
  private pending: Pending[] = [];
  private flushing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly producer: Producer,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Records waiting for a produce request. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Resolves once the broker acknowledged `message` on `topic` with acks=all. */
  send(topic: string, message: Message): Promise<void> {
    if (this.pending.length >= this.options.maxPendingRecords) {
      return Promise.reject(
        new UnavailableError('INGRESS_OVERLOADED', `more than ${this.options.maxPendingRecords} records wait for Kafka`, {
          retryAfterSeconds: 2,
        }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ topic, message, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the requests of the same tick join the first batch.
        setImmediate(() => void this.flushLoop());
      }
    });
  }

  /** Resolves when every record handed to `send` so far has been produced or failed. */
  drain(): Promise<void> {
    if (!this.flushing && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.options.maxBatchRecords);
        await this.produce(batch);
      }
    } finally {
      this.flushing = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async produce(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of batch) {
      const messages = byTopic.get(topic) ?? [];
      messages.push(message);
      byTopic.set(topic, messages);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const started = process.hrtime.bigint();
    try {
      await this.producer.sendBatch({ topicMessages, acks: -1, timeout: this.options.requestTimeoutMs });
      this.options.onBatch?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9, true);
      for (const item of batch) item.resolve();
    } catch (cause) {
      this.options.onBatch?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9, false);
      const error = new UnavailableError('KAFKA_UNAVAILABLE', 'Kafka did not acknowledge the event', { cause });
      for (const item of batch) item.reject(error);
    }
  }
}
