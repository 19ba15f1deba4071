import { strict as assert } from 'node:assert';
import type { Producer, ProducerBatch } from 'kafkajs';
import { UnavailableError } from '../../../shared/src/index.js';
import { GroupCommitProducer } from '../../../services/ingress/src/kafka/group-commit-producer.js';
import { waitFor } from '../../helpers/wait-for.js';

/** A stand-in for kafkajs's producer that records batches and lets the test decide when each is acked. */
function fakeProducer() {
  const batches: ProducerBatch[] = [];
  const acks: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const producer = {
    sendBatch: (batch: ProducerBatch) => {
      batches.push(batch);
      return new Promise<unknown>((resolve, reject) => acks.push({ resolve: () => resolve([]), reject }));
    },
  } as unknown as Producer;
  return { producer, batches, acks };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitProducer', () => {
  const options = { maxBatchRecords: 100, maxPendingRecords: 1000, requestTimeoutMs: 1000 };

  it('when requests arrive while a batch is in flight, then they share the next produce request', async () => {
    const fake = fakeProducer();
    const producer = new GroupCommitProducer(fake.producer, options);
    const first = producer.send('t', { value: 'a' });
    await tick();
    assert.equal(fake.batches.length, 1);
    const rest = ['b', 'c', 'd'].map((value) => producer.send(value === 'c' ? 'u' : 't', { value }));
    await tick();
    assert.equal(fake.batches.length, 1, 'no second request while the first is in flight');
    fake.acks[0]?.resolve();
    await first;
    await tick();
    assert.equal(fake.batches.length, 2);
    const second = fake.batches[1];
    assert.deepEqual(second?.topicMessages?.map((t) => [t.topic, t.messages.map((m) => m.value)]), [['t', ['b', 'd']], ['u', ['c']]]);
    assert.equal(second?.acks, -1, 'acks=all');
    fake.acks[1]?.resolve();
    await Promise.all(rest);
  });

  it('when a produce request fails, then every request of that batch gets a retriable 503 error', async () => {
    const fake = fakeProducer();
    const producer = new GroupCommitProducer(fake.producer, options);
    const sends = [producer.send('t', { value: 'a' }), producer.send('t', { value: 'b' })];
    await tick();
    fake.acks[0]?.reject(new Error('broker down'));
    for (const send of sends) {
      await assert.rejects(send, (error: unknown) => error instanceof UnavailableError && error.code === 'KAFKA_UNAVAILABLE' && error.status === 503);
    }
  });

  it('when more records wait than allowed, then new ones are refused at once instead of queueing', async () => {
    const fake = fakeProducer();
    const producer = new GroupCommitProducer(fake.producer, { ...options, maxPendingRecords: 2 });
    const accepted = [producer.send('t', { value: '1' }), producer.send('t', { value: '2' })];
    await assert.rejects(producer.send('t', { value: '3' }), (error: unknown) => (error as UnavailableError).code === 'INGRESS_OVERLOADED');
    await tick();
    fake.acks[0]?.resolve();
    await Promise.all(accepted);
  });

  it('when drained, then it resolves only once every record handed over was produced', async () => {
    const fake = fakeProducer();
    const producer = new GroupCommitProducer(fake.producer, options);
    await producer.drain();
    const send = producer.send('t', { value: 'a' });
    let drained = false;
    const draining = producer.drain().then(() => (drained = true));
    await tick();
    assert.equal(drained, false, 'not while the batch is in flight');
    fake.acks[0]?.resolve();
    await Promise.all([send, draining]);
    assert.equal(drained, true);
  });

  it('when a batch is larger than maxBatchRecords, then it is split', async () => {
    const fake = fakeProducer();
    const producer = new GroupCommitProducer(fake.producer, { ...options, maxBatchRecords: 2 });
    const sends = ['1', '2', '3'].map((value) => producer.send('t', { value }));
    await tick();
    assert.equal(fake.batches[0]?.topicMessages?.[0]?.messages.length, 2);
    fake.acks[0]?.resolve();
    await tick();
    await tick();
    assert.equal(fake.batches[1]?.topicMessages?.[0]?.messages.length, 1);
    fake.acks[1]?.resolve();
    await Promise.all(sends);
  });

  it('when the ack does not come within ackTimeoutMs, then the callers of the batch in flight and of records still waiting get ACK_TIMEOUT, and the waiting ones are never produced', async () => {
    const fake = fakeProducer();
    const producer = new GroupCommitProducer(fake.producer, { ...options, ackTimeoutMs: 100 });
    const inFlight = producer.send('t', { value: 'a' });
    await tick();
    assert.equal(fake.batches.length, 1);
    const waiting = producer.send('t', { value: 'b' });
    const isTimeout = (error: unknown) => error instanceof UnavailableError && error.code === 'ACK_TIMEOUT' && error.status === 503;
    await assert.rejects(inFlight, isTimeout);
    await assert.rejects(waiting, isTimeout);
    assert.equal(producer.pendingCount, 0, 'the expired record left the queue');
    fake.acks[0]?.resolve();
    await producer.drain();
    assert.equal(fake.batches.length, 1, 'the expired waiting record was not sent');
  });

  it('when the ack comes within ackTimeoutMs, then the caller is answered and no later timeout touches it', async () => {
    const fake = fakeProducer();
    const producer = new GroupCommitProducer(fake.producer, { ...options, ackTimeoutMs: 50 });
    const send = producer.send('t', { value: 'a' });
    await tick();
    fake.acks[0]?.resolve();
    await send;
    await new Promise((resolve) => setTimeout(resolve, 80));
    const next = producer.send('t', { value: 'b' });
    await tick();
    fake.acks[1]?.resolve();
    await next;
  });

  it('when lingerMs is set, then records that arrive within it from the first join its produce request', async () => {
    const fake = fakeProducer();
    const producer = new GroupCommitProducer(fake.producer, { ...options, lingerMs: 30 });
    const first = producer.send('t', { value: 'a' });
    await tick();
    assert.equal(fake.batches.length, 0, 'the first record lingers');
    const second = producer.send('t', { value: 'b' });
    await waitFor(() => fake.batches.length === 1, { intervalMs: 5, description: 'the lingering produce request' });
    assert.deepEqual(fake.batches[0]?.topicMessages?.[0]?.messages.map((m) => m.value), ['a', 'b']);
    fake.acks[0]?.resolve();
    await Promise.all([first, second]);
  });
});
