import { enumSetting, integerSetting, optionalStringSetting, urlSetting, type Setting } from '../config/index.js';

const API_BASE_RULE = 'a https:// URL (http:// only for a loopback host: 127.0.0.1, ::1, localhost)';

/** True for a host name that can only be this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

// The credentials travel to this URL: plain http only where no network is crossed (tests, make run's stand-in).
function apiBaseSetting(options: { env: string; doc: string; default: string }): Setting<string> {
  const url = urlSetting({ ...options, protocols: ['https:', 'http:'] });
  return {
    ...url,
    format: API_BASE_RULE,
    parse: (raw) => {
      let value: string;
      try {
        value = url.parse(raw);
      } catch {
        throw new Error(API_BASE_RULE);
      }
      const parsed = new URL(value);
      if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) throw new Error(API_BASE_RULE);
      if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') {
        throw new Error(`${API_BASE_RULE}, without user, password, query or fragment`);
      }
      return value;
    },
  };
}

const secret = <T>(setting: Setting<T>): Setting<T> => ({ ...setting, secret: true });

/**
 * The settings of the provider API client (RealtimeKit or Dyte v2), for the services that use it to spread into
 * their config schema. Off (`PROVIDER=none`) unless chosen; `providerTarget` checks that the chosen provider's
 * variables are all set.
 */
export function providerSettings() {
  return {
    provider: enumSetting({
      env: 'PROVIDER',
      doc: 'Provider API for fresh links and reconciliation: none (off), realtimekit or dyte',
      default: 'none',
      values: ['none', 'realtimekit', 'dyte'] as const,
    }),
    rtkApiBase: apiBaseSetting({ env: 'RTK_API_BASE', doc: 'Base URL of the RealtimeKit API', default: 'https://api.cloudflare.com/client/v4' }),
    rtkAccountId: optionalStringSetting({ env: 'RTK_ACCOUNT_ID', doc: 'Cloudflare account id of the RealtimeKit app (PROVIDER=realtimekit)' }),
    rtkAppId: optionalStringSetting({ env: 'RTK_APP_ID', doc: 'RealtimeKit app id (PROVIDER=realtimekit)' }),
    rtkApiToken: secret(
      optionalStringSetting({ env: 'RTK_API_TOKEN', doc: 'Cloudflare API token with the Realtime (or Realtime Admin) permission (PROVIDER=realtimekit; never logged)' }),
    ),
    dyteApiBase: apiBaseSetting({ env: 'DYTE_API_BASE', doc: "Base URL of Dyte's v2 API", default: 'https://api.dyte.io/v2' }),
    dyteOrgId: optionalStringSetting({ env: 'DYTE_ORG_ID', doc: 'Dyte organization id (PROVIDER=dyte)' }),
    dyteApiKey: secret(optionalStringSetting({ env: 'DYTE_API_KEY', doc: 'Dyte API key (PROVIDER=dyte; never logged)' })),
    providerTimeoutMs: integerSetting({
      env: 'PROVIDER_TIMEOUT_MS',
      doc: 'Longest one provider API request may take, answer included; then it fails as PROVIDER_UNAVAILABLE',
      default: 10_000,
      min: 100,
      max: 120_000,
    }),
    providerRateLimit: integerSetting({
      env: 'PROVIDER_RATE_LIMIT',
      doc: 'Provider API requests allowed per PROVIDER_RATE_WINDOW_MS, shared by every replica through Redis (RealtimeKit: 250 per 10 s)',
      default: 250,
      min: 1,
      max: 1_000_000,
    }),
    providerRateWindowMs: integerSetting({ env: 'PROVIDER_RATE_WINDOW_MS', doc: 'The window of PROVIDER_RATE_LIMIT', default: 10_000, min: 100, max: 3_600_000 }),
    providerRecordingsRateLimit: integerSetting({
      env: 'PROVIDER_RECORDINGS_RATE_LIMIT',
      doc: 'Recordings API requests allowed per PROVIDER_RECORDINGS_RATE_WINDOW_MS, on top of PROVIDER_RATE_LIMIT (RealtimeKit: 1000 per 60 s)',
      default: 1000,
      min: 1,
      max: 1_000_000,
    }),
    providerRecordingsRateWindowMs: integerSetting({
      env: 'PROVIDER_RECORDINGS_RATE_WINDOW_MS',
      doc: 'The window of PROVIDER_RECORDINGS_RATE_LIMIT',
      default: 60_000,
      min: 100,
      max: 3_600_000,
    }),
    providerMaxWaitMs: integerSetting({
      env: 'PROVIDER_MAX_WAIT_MS',
      doc: "Longest a request waits for room in the shared budget or for a 429's Retry-After before failing as PROVIDER_THROTTLED",
      default: 30_000,
      min: 0,
      max: 3_600_000,
    }),
  };
}
