export * from './provider-client.js';
export { ProviderError, parseRetryAfter, type ProviderErrorCode } from './provider-errors.js';
export { ProviderFields } from './provider-fields.js';
export { createRedisRateLimiter, type ProviderRateLimiter, type RateWindow } from './provider-rate-limiter.js';
export type { ProviderRequestEvent } from './provider-http.js';
export { DEFAULT_BUDGET_KEY_PREFIX, type ProviderClientDeps, type ProviderLimits } from './provider-client-options.js';
export { createRealtimeKitClient, type RealtimeKitTarget } from './realtimekit-client.js';
export { createDyteV2Client, type DyteV2Target } from './dyte-v2-client.js';
export { isLoopbackHost, providerSettings } from './provider-settings.js';
export {
  describeProviderClient,
  providerClientFromConfig,
  providerLimits,
  providerTarget,
  type ProviderConfig,
  type ProviderTarget,
} from './provider-client-from-config.js';
