import type { Producer } from 'kafkajs';

/**
 * The same producer, with its `send` and `sendBatch` calls queued so that one runs at a time.
 *
 * kafkajs 2.2.4 numbers an idempotent producer's batches per partition, but serializes its requests per broker and
 * undoes the numbers of a failed request by subtracting them. Two sends in flight for one partition across a leader
 * change (one to the old leader, one to the new) can then go out with the same sequence number, and the broker
 * acknowledges the second as a duplicate of the first without writing it: a record reported as sent that is not
 * on Kafka (docs/adr/0013). With one send at a time the numbering stays exact; `maxInFlightRequests: 1` alone does
 * not give that, it only limits requests per broker connection.
 */
export function oneSendAtATime(producer: Producer): Producer {
  let last: Promise<unknown> = Promise.resolve();
  const queued = <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  };
  return {
    ...producer,
    send: (record) => queued(() => producer.send(record)),
    sendBatch: (batch) => queued(() => producer.sendBatch(batch)),
  };
}
