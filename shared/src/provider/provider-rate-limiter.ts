import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { ProviderError } from './provider-errors.js';

/** One limit of the provider: at most `limit` requests in any `windowMs`. */
export interface RateWindow {
  /** Names the window in Redis and in messages: `all`, `recordings`. */
  name: string;
  limit: number;
  windowMs: number;
}

// Sliding-window log, one sorted set per window, all checked and recorded in one atomic step, on Redis's clock (one
// clock for every replica). A request is admitted only when every window it counts against has room, and is then
// recorded in all of them; otherwise the answer is how long until the fullest window frees a place, and nothing is
// recorded. A pause (after a 429) blocks everything until it ends.
// KEYS[1] pause key, KEYS[2..] one sorted set per window; ARGV[1] member, then limit and window (ms) per window.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if paused > now then return paused - now end
local wait = 0
for i = 2, #KEYS do
  local limit = tonumber(ARGV[i * 2 - 2])
  local window = tonumber(ARGV[i * 2 - 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    local free = tonumber(oldest[2]) + window - now + 1
    if free > wait then wait = free end
  end
end
if wait > 0 then return wait end
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[i * 2 - 1]))
end
return 0
`;

// Pauses the budget for ARGV[1] ms from now, never shortening a longer pause already set.
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ms = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > current then redis.call('SET', KEYS[1], until_ms, 'PX', tonumber(ARGV[1])) end
return until_ms - now
`;

/** The request budget of one provider account, shared through Redis by every client that uses the same key. */
export interface ProviderRateLimiter {
  /**
   * Waits until every window in `windows` has room, then takes a place in each. Resolves with the milliseconds
   * waited; fails with PROVIDER_THROTTLED when the room would come after `maxWaitMs`, with
   * PROVIDER_BUDGET_UNAVAILABLE when Redis does not answer in time.
   */
  acquire(windows: readonly RateWindow[], maxWaitMs: number): Promise<number>;
  /** Stops every request of the account for `ms` (a 429's Retry-After), across replicas. */
  pause(ms: number): Promise<void>;
}

/**
 * A ProviderRateLimiter in Redis. `key` names the account's budget (`{…}` keeps its keys in one cluster slot);
 * clients on several replicas with the same key share one budget. `redisTimeoutMs` bounds each Redis call: the
 * fleet's connections wait through a Redis restart, a provider call must not.
 */
export function createRedisRateLimiter(options: { redis: Redis; key: string; redisTimeoutMs: number }): ProviderRateLimiter {
  const { redis, redisTimeoutMs } = options;
  const base = `{${options.key}}`;
  const pauseKey = `${base}:paused-until`;
  const instance = randomBytes(6).toString('hex');
  let sequence = 0;

  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ProviderError('PROVIDER_BUDGET_UNAVAILABLE', `the shared provider request budget in Redis did not answer within ${redisTimeoutMs} ms`)),
        redisTimeoutMs,
      );
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw new ProviderError('PROVIDER_BUDGET_UNAVAILABLE', `the shared provider request budget in Redis could not be read: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async acquire(windows, maxWaitMs) {
      const started = Date.now();
      const keys = [pauseKey, ...windows.map((w) => `${base}:${w.name}`)];
      const limits = windows.flatMap((w) => [String(w.limit), String(w.windowMs)]);
      for (;;) {
        const member = `${instance}:${++sequence}`;
        const wait = Number(await call(() => redis.eval(ACQUIRE, keys.length, ...keys, member, ...limits)));
        const waited = Date.now() - started;
        if (wait <= 0) return waited;
        if (waited + wait > maxWaitMs) {
          throw new ProviderError(
            'PROVIDER_THROTTLED',
            `the provider request budget (${windows.map((w) => `${w.limit} per ${w.windowMs} ms`).join(', ')}) has no room for ${wait} ms, longer than the ${maxWaitMs} ms a request may wait (PROVIDER_MAX_WAIT_MS)`,
            { retryAfterMs: wait },
          );
        }
        // A little jitter, so that replicas woken by the same free place do not all ask at the same instant.
        await sleep(wait + Math.floor(Math.random() * Math.min(50, wait / 4 + 1)));
      }
    },
    async pause(ms) {
      await call(() => redis.eval(PAUSE, 1, pauseKey, String(Math.max(1, Math.ceil(ms)))));
    },
  };
}
