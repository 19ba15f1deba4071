import { createProviderApiClient } from './provider-api-client.js';
import type { ProviderClient } from './provider-client.js';
import { providerGet, type ProviderClientDeps, type ProviderLimits } from './provider-client-options.js';

/** Where a RealtimeKit app is and the API token that may read it. */
export interface RealtimeKitTarget {
  /** `https://api.cloudflare.com/client/v4` */
  apiBase: string;
  accountId: string;
  appId: string;
  /** An API token with the Realtime or Realtime Admin permission. */
  apiToken: string;
}

/**
 * A ProviderClient for Cloudflare RealtimeKit: `<apiBase>/accounts/<account>/realtime/kit/<app>/...` with
 * `Authorization: Bearer <token>`. The budget is the account's, shared by every app of it.
 */
export function createRealtimeKitClient(target: RealtimeKitTarget, limits: ProviderLimits, deps: ProviderClientDeps): ProviderClient {
  const prefix = `/accounts/${encodeURIComponent(target.accountId)}/realtime/kit/${encodeURIComponent(target.appId)}`;
  return createProviderApiClient({
    provider: 'realtimekit',
    description: `realtimekit (account ${target.accountId}, app ${target.appId}, ${target.apiBase})`,
    get: providerGet({
      ...deps,
      provider: 'realtimekit',
      account: target.accountId,
      baseUrl: target.apiBase.replace(/\/+$/, '') + prefix,
      authorization: `Bearer ${target.apiToken}`,
      secrets: [target.apiToken],
      limits,
    }),
  });
}
