import { strict as assert } from 'node:assert';
import type { Producer, ProducerBatch, ProducerRecord, RecordMetadata } from 'kafkajs';
import { oneSendAtATime } from '../../../../shared/src/index.js';

/** A producer whose sends finish when the test says so, counting how many run at once. */
function fakeProducer() {
  const pending: { finish: (error?: Error) => void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const start = (): Promise<RecordMetadata[]> => {
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    return new Promise((resolve, reject) => {
      pending.push({ finish: (error) => { running--; if (error) reject(error); else resolve([]); } });
    });
  };
  const producer = {
    send: (_record: ProducerRecord) => start(),
    sendBatch: (_batch: ProducerBatch) => start(),
    connect: async () => 'connected',
  } as unknown as Producer;
  return { producer, pending, mostAtOnce: () => mostAtOnce };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('oneSendAtATime', () => {
  it('when sends and batches are called together, then they reach kafkajs one at a time, in call order', async () => {
    const fake = fakeProducer();
    const producer = oneSendAtATime(fake.producer);
    const done: string[] = [];
    const calls = [
      producer.send({ topic: 't', messages: [] }).then(() => done.push('a')),
      producer.sendBatch({ topicMessages: [] }).then(() => done.push('b')),
      producer.send({ topic: 't', messages: [] }).then(() => done.push('c')),
    ];
    for (let i = 0; i < 3; i++) {
      await settle();
      assert.equal(fake.pending.length, i + 1, 'the next send starts only when the previous one finished');
      fake.pending[i]?.finish();
    }
    await Promise.all(calls);
    assert.deepEqual(done, ['a', 'b', 'c']);
    assert.equal(fake.mostAtOnce(), 1);
  });

  it('when a send fails, then its caller gets the error and the next send still runs', async () => {
    const fake = fakeProducer();
    const producer = oneSendAtATime(fake.producer);
    const failed = producer.send({ topic: 't', messages: [] });
    const next = producer.send({ topic: 't', messages: [] });
    await settle();
    fake.pending[0]?.finish(new Error('NOT_LEADER_OR_FOLLOWER'));
    await assert.rejects(failed, /NOT_LEADER_OR_FOLLOWER/);
    await settle();
    fake.pending[1]?.finish();
    await next;
  });

  it('when other methods are called, then they are the producer’s own', async () => {
    const fake = fakeProducer();
    assert.equal(await oneSendAtATime(fake.producer).connect(), 'connected');
  });
});
