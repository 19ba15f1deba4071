import type { Consumer } from 'kafkajs';
import type { ReadinessCheck } from './readiness.js';

/**
 * Follows a consumer's events: ready once it joined its group, not ready while it rebalances, after a crash (until
 * kafkajs restarts it and it joins again) and once it stopped. Call before `consumer.run`, to see the first join.
 */
export function consumerState(consumer: Consumer, groupId: string): ReadinessCheck {
  let state = `group ${groupId} not joined yet`;
  const { GROUP_JOIN, REBALANCING, CRASH, STOP, DISCONNECT } = consumer.events;
  consumer.on(GROUP_JOIN, () => (state = ''));
  consumer.on(REBALANCING, () => (state = `group ${groupId} is rebalancing`));
  consumer.on(CRASH, (event) => {
    const { error, restart } = event.payload;
    state = `consumer of group ${groupId} crashed (${error.message})${restart ? '; kafkajs restarts it' : '; not restarted'}`;
  });
  consumer.on(STOP, () => (state = `consumer of group ${groupId} stopped`));
  consumer.on(DISCONNECT, () => (state = `consumer of group ${groupId} disconnected`));
  return () => (state === '' ? undefined : state);
}
