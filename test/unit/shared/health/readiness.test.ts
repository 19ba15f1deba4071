import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { consumerState, readinessProbe } from '../../../../shared/src/index.js';

describe('readinessProbe', () => {
  it('when every check passes, then it is ready; when one fails or throws, then not, with each reason by name', async () => {
    assert.deepEqual(await readinessProbe({ a: () => undefined, b: async () => undefined })(), { ready: true, checks: { a: { ok: true }, b: { ok: true } } });
    const report = await readinessProbe({ a: () => undefined, b: () => 'Redis connection is reconnecting', c: () => Promise.reject(new Error('ECONNREFUSED')) })();
    assert.deepEqual(report, {
      ready: false,
      checks: { a: { ok: true }, b: { ok: false, reason: 'Redis connection is reconnecting' }, c: { ok: false, reason: 'ECONNREFUSED' } },
    });
  });

  it('when a check hangs, then it is not ready after the timeout, and later probes join the hanging check instead of starting another', async () => {
    let started = 0;
    const probe = readinessProbe({ hung: () => (started++, new Promise<undefined>(() => undefined)) }, 50);
    const first = await probe();
    const second = await probe();
    assert.deepEqual(first.checks.hung, { ok: false, reason: 'no answer within 50 ms' });
    assert.equal(second.ready, false);
    assert.equal(started, 1, 'asked once');
  });

  it("when a reason quotes a URL with its password, then the report does not", async () => {
    const report = await readinessProbe({ redis: () => Promise.reject(new Error('connect to redis://:hunter2@cache.example:6379 failed')) })();
    const reason = report.checks.redis && !report.checks.redis.ok ? report.checks.redis.reason : '';
    assert.ok(!reason.includes('hunter2') && reason.includes('cache.example'), reason);
  });
});

describe('consumerState', () => {
  // Only the events kafkajs emits, on an emitter: the real consumer is exercised by the integration tests.
  const fakeConsumer = () => {
    const emitter = new EventEmitter();
    const events = { GROUP_JOIN: 'consumer.group_join', REBALANCING: 'consumer.rebalancing', CRASH: 'consumer.crash', STOP: 'consumer.stop', DISCONNECT: 'consumer.disconnect' };
    return { emitter, consumer: { events, on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener) } as unknown as Consumer, events };
  };

  it('when the group is joined, then ready; while it rebalances, after a crash and once stopped, then not, until it joins again', () => {
    const { emitter, consumer, events } = fakeConsumer();
    const state = consumerState(consumer, 'g1');
    assert.match(String(state()), /group g1 not joined yet/);
    emitter.emit(events.GROUP_JOIN, { payload: {} });
    assert.equal(state(), undefined);
    emitter.emit(events.REBALANCING, { payload: {} });
    assert.match(String(state()), /rebalancing/);
    emitter.emit(events.GROUP_JOIN, { payload: {} });
    emitter.emit(events.CRASH, { payload: { error: new Error('The group coordinator is not available'), groupId: 'g1', restart: true } });
    assert.match(String(state()), /crashed \(The group coordinator is not available\); kafkajs restarts it/);
    emitter.emit(events.GROUP_JOIN, { payload: {} });
    assert.equal(state(), undefined, 'ready again once the restarted consumer joined');
    emitter.emit(events.STOP, { payload: {} });
    assert.match(String(state()), /stopped/);
  });
});
