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
  /**
   * How long a caller waits for its ack, in ms: past it, its `send` fails with ACK_TIMEOUT (503). A record already
   * in a produce request may still be written (at-least-once); one still waiting for a request is dropped.
   * Unset: callers wait for the produce request to settle.
   */
  ackTimeoutMs?: number;
  /**
   * How long a produce request that is not full waits, counted from its oldest record, for more records to join
   * (Kafka's linger.ms): fewer, fuller requests at moderate rates, for up to this much more latency. 0: none.
   */
  lingerMs?: number;
  /** Called after each produce request, for metrics. */
  onBatch?: (records: number, seconds: number, ok: boolean) => void;
}

interface Pending {
  topic: string;
  message: Message;
  /** Date.now() when it was handed over. */
  at: number;
  /** Date.now() past which the caller is answered ACK_TIMEOUT. */
  deadline: number;
  settled: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Group commit: concurrent `send` calls share produce requests. While one request is in flight, new records
 * gather; when it is acked, they all go in the next one. Each caller's promise settles when its own record is
 * acked (acks=all), its batch failed, or its deadline passed, so throughput grows with load instead of costing one
 * broker round trip per webhook. One request in flight at a time keeps the order of records, and a failed batch
 * fails every caller in it. Deadlines cost one timer for the whole producer, not one per record: records wait in
 * arrival order with the same timeout, so the oldest waiting record is always the next to expire.
 */
export class GroupCommitProducer {
  private pending: Pending[] = [];
  private inFlight: Pending[] = [];
  private flushing = false;
  private idleWaiters: (() => void)[] = [];
  private deadlineTimer: NodeJS.Timeout | undefined;

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
      const at = Date.now();
      const deadline = this.options.ackTimeoutMs === undefined ? Number.POSITIVE_INFINITY : at + this.options.ackTimeoutMs;
      this.pending.push({ topic, message, at, deadline, settled: false, resolve, reject });
      if (this.deadlineTimer === undefined) this.scheduleDeadline();
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
      const lingerMs = this.options.lingerMs ?? 0;
      while (this.pending.length > 0) {
        if (lingerMs > 0 && this.pending.length < this.options.maxBatchRecords) {
          const wait = (this.pending[0] as Pending).at + lingerMs - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          // Records that expired while lingering are gone.
          if (this.pending.length === 0) break;
        }
        const batch = this.pending.splice(0, this.options.maxBatchRecords);
        this.inFlight = batch;
        await this.produce(batch);
        this.inFlight = [];
      }
    } finally {
      this.flushing = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async produce(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of batch) {
      const messages = byTopic.get(topic);
      if (messages) messages.push(message);
      else byTopic.set(topic, [message]);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const started = process.hrtime.bigint();
    try {
      await this.producer.sendBatch({ topicMessages, acks: -1, timeout: this.options.requestTimeoutMs });
      this.options.onBatch?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9, true);
      for (const item of batch) {
        if (item.settled) continue;
        item.settled = true;
        item.resolve();
      }
    } catch (cause) {
      this.options.onBatch?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9, false);
      const error = new UnavailableError('KAFKA_UNAVAILABLE', 'Kafka did not acknowledge the event', { cause });
      for (const item of batch) {
        if (item.settled) continue;
        item.settled = true;
        item.reject(error);
      }
    }
  }

  /** One timer, set for the oldest unsettled record's deadline (in flight first: it is older than any pending). */
  private scheduleDeadline(): void {
    const next = this.inFlight.find((item) => !item.settled)?.deadline ?? this.pending[0]?.deadline;
    if (next === undefined || next === Number.POSITIVE_INFINITY) return;
    this.deadlineTimer = setTimeout(() => this.expire(), Math.max(0, next - Date.now()));
    // Never what keeps the process alive: drain() waits for the records themselves.
    this.deadlineTimer.unref();
  }

  private expire(): void {
    this.deadlineTimer = undefined;
    const now = Date.now();
    const timeoutMs = this.options.ackTimeoutMs as number;
    const error = new UnavailableError('ACK_TIMEOUT', `Kafka did not acknowledge the event within ${timeoutMs} ms`);
    // Records in flight are failed one event-loop turn later (setImmediate runs after I/O): when the loop was
    // stalled past a deadline, an ack already waiting on the socket is read first and answers them 2xx.
    const late = this.inFlight.filter((item) => !item.settled && item.deadline <= now);
    if (late.length > 0) {
      setImmediate(() => {
        for (const item of late) {
          if (item.settled) continue;
          item.settled = true;
          item.reject(error);
        }
      });
    }
    // Expired records not yet in a produce request are dropped: their callers were answered 503 and will retry.
    let expired = 0;
    while (expired < this.pending.length && (this.pending[expired] as Pending).deadline <= now) expired++;
    for (const item of this.pending.splice(0, expired)) {
      item.settled = true;
      item.reject(error);
    }
    this.scheduleDeadline();
  }
}
