import type { Redis } from 'ioredis';
import type { ProviderName } from './provider-client.js';
import { createProviderHttp, type ProviderGet, type ProviderRequestEvent } from './provider-http.js';
import { createRedisRateLimiter } from './provider-rate-limiter.js';

/** Timeouts and the request budget of a provider client (PROVIDER_TIMEOUT_MS, PROVIDER_RATE_*, PROVIDER_MAX_WAIT_MS). */
export interface ProviderLimits {
  timeoutMs: number;
  /** Requests per `rateWindowMs` across the whole API (RealtimeKit: 250 per 10 s). */
  rateLimit: number;
  rateWindowMs: number;
  /** Requests per `recordingsRateWindowMs` to the recordings API, on top (RealtimeKit: 1000 per 60 s). */
  recordingsRateLimit: number;
  recordingsRateWindowMs: number;
  /** Longest a request waits for the budget, or for a 429's Retry-After, before failing as PROVIDER_THROTTLED. */
  maxWaitMs: number;
}

/** What a provider client is given rather than makes: the Redis that holds the shared budget, and hooks. */
export interface ProviderClientDeps {
  /** Holds the request budget shared by every replica. */
  redis: Redis;
  /** Prefix of the budget's Redis keys; replicas that share a budget must share it. */
  budgetKeyPrefix?: string;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
  /** Called after every request, for metrics. */
  onRequest?: (event: ProviderRequestEvent) => void;
}

/** The fleet's budget keys: one budget per provider account, whatever service or replica spends it. */
export const DEFAULT_BUDGET_KEY_PREFIX = 'dyte-bridge:provider-budget';

/** The HTTP layer of a client, with its budget in Redis under `<prefix>:<provider>:<account>`. */
export function providerGet(
  options: { provider: ProviderName; account: string; baseUrl: string; authorization: string; secrets: string[]; limits: ProviderLimits } & ProviderClientDeps,
): ProviderGet {
  const { limits } = options;
  const key = `${options.budgetKeyPrefix ?? DEFAULT_BUDGET_KEY_PREFIX}:${options.provider}:${options.account}`;
  return createProviderHttp({
    provider: options.provider,
    baseUrl: options.baseUrl,
    authorization: options.authorization,
    secrets: options.secrets,
    timeoutMs: limits.timeoutMs,
    limiter: createRedisRateLimiter({ redis: options.redis, key, redisTimeoutMs: limits.timeoutMs }),
    windows: [{ name: 'all', limit: limits.rateLimit, windowMs: limits.rateWindowMs }],
    recordingWindows: [{ name: 'recordings', limit: limits.recordingsRateLimit, windowMs: limits.recordingsRateWindowMs }],
    maxWaitMs: limits.maxWaitMs,
    // Without a Retry-After, wait out one whole window: by then the provider's own count has room again.
    defaultRetryAfterMs: limits.rateWindowMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
}
