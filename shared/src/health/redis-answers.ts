import type { Redis } from 'ioredis';
import type { ReadinessCheck } from './readiness.js';

/** Ready when the connection is up and Redis answers PING (a Redis that hangs times out in the probe). */
export function redisAnswers(redis: Redis): ReadinessCheck {
  return async () => {
    if (redis.status !== 'ready') return `Redis connection is ${redis.status}`;
    const answer = await redis.ping();
    return answer === 'PONG' ? undefined : `Redis answered PING with ${answer}`;
  };
}
