import type { ConfigOf } from '../config/index.js';
import { ConfigError } from '../errors/index.js';
import type { ProviderClient } from './provider-client.js';
import type { ProviderClientDeps, ProviderLimits } from './provider-client-options.js';
import { createDyteV2Client, type DyteV2Target } from './dyte-v2-client.js';
import type { providerSettings } from './provider-settings.js';
import { createRealtimeKitClient, type RealtimeKitTarget } from './realtimekit-client.js';

/** The values of providerSettings(), as a service's loaded config holds them. */
export type ProviderConfig = ConfigOf<ReturnType<typeof providerSettings>>;

/** The provider the settings choose, with all it needs, or `undefined` when the API is off. */
export type ProviderTarget = ({ provider: 'realtimekit' } & RealtimeKitTarget) | ({ provider: 'dyte' } & DyteV2Target);

const REQUIRED = {
  realtimekit: [
    ['rtkAccountId', 'RTK_ACCOUNT_ID'],
    ['rtkAppId', 'RTK_APP_ID'],
    ['rtkApiToken', 'RTK_API_TOKEN'],
  ],
  dyte: [
    ['dyteOrgId', 'DYTE_ORG_ID'],
    ['dyteApiKey', 'DYTE_API_KEY'],
  ],
} as const;

/**
 * Checks the provider settings as a whole: the chosen provider needs every one of its variables, and credentials
 * set while PROVIDER is none are refused rather than silently unused (the operator meant the API on). Throws a
 * ConfigError naming each variable; never echoes a value.
 */
export function providerTarget(config: ProviderConfig): ProviderTarget | undefined {
  if (config.provider === 'none') {
    const set = [...REQUIRED.realtimekit, ...REQUIRED.dyte].filter(([key]) => config[key] !== undefined).map(([, env]) => env);
    if (set.length > 0) {
      throw new ConfigError([
        `PROVIDER is none but ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set: set PROVIDER=realtimekit or PROVIDER=dyte to use the provider API, or unset ${set.length > 1 ? 'them' : 'it'}`,
      ]);
    }
    return undefined;
  }
  const missing = REQUIRED[config.provider].filter(([key]) => config[key] === undefined).map(([, env]) => env);
  if (missing.length > 0) {
    throw new ConfigError(missing.map((env) => `${env} is required when PROVIDER=${config.provider} (the provider API is half-configured)`));
  }
  if (config.provider === 'realtimekit') {
    return {
      provider: 'realtimekit',
      apiBase: config.rtkApiBase,
      accountId: config.rtkAccountId as string,
      appId: config.rtkAppId as string,
      apiToken: config.rtkApiToken as string,
    };
  }
  return { provider: 'dyte', apiBase: config.dyteApiBase, organizationId: config.dyteOrgId as string, apiKey: config.dyteApiKey as string };
}

/** The timeouts and budget the settings give. */
export function providerLimits(config: ProviderConfig): ProviderLimits {
  return {
    timeoutMs: config.providerTimeoutMs,
    rateLimit: config.providerRateLimit,
    rateWindowMs: config.providerRateWindowMs,
    recordingsRateLimit: config.providerRecordingsRateLimit,
    recordingsRateWindowMs: config.providerRecordingsRateWindowMs,
    maxWaitMs: config.providerMaxWaitMs,
  };
}

/** The provider API client the settings describe, or `undefined` when PROVIDER is none. Throws ConfigError when half-configured. */
export function providerClientFromConfig(config: ProviderConfig, deps: ProviderClientDeps): ProviderClient | undefined {
  const target = providerTarget(config);
  if (!target) return undefined;
  const limits = providerLimits(config);
  return target.provider === 'realtimekit' ? createRealtimeKitClient(target, limits, deps) : createDyteV2Client(target, limits, deps);
}

/** The boot log line: `provider API: off` or `provider API: realtimekit (account …, app …, https://…)`. */
export function describeProviderClient(client: ProviderClient | undefined): string {
  return `provider API: ${client ? client.description : 'off'}`;
}
