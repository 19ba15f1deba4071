import { createProviderApiClient } from './provider-api-client.js';
import type { ProviderClient } from './provider-client.js';
import { providerGet, type ProviderClientDeps, type ProviderLimits } from './provider-client-options.js';

/** Where Dyte's v2 API is and the organization's credentials. */
export interface DyteV2Target {
  /** `https://api.dyte.io/v2` */
  apiBase: string;
  organizationId: string;
  apiKey: string;
}

/**
 * A ProviderClient for Dyte's v2 API (in maintenance mode since Cloudflare acquired Dyte): `<apiBase>/sessions/...`
 * with HTTP Basic `organizationId:apiKey`. The budget is the organization's.
 */
export function createDyteV2Client(target: DyteV2Target, limits: ProviderLimits, deps: ProviderClientDeps): ProviderClient {
  const basic = Buffer.from(`${target.organizationId}:${target.apiKey}`).toString('base64');
  return createProviderApiClient({
    provider: 'dyte',
    description: `dyte (organization ${target.organizationId}, ${target.apiBase})`,
    get: providerGet({
      ...deps,
      provider: 'dyte',
      account: target.organizationId,
      baseUrl: target.apiBase.replace(/\/+$/, ''),
      authorization: `Basic ${basic}`,
      secrets: [target.apiKey, basic],
      limits,
    }),
  });
}
