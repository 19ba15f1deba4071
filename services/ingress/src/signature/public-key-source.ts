import { createPublicKey, type KeyObject } from 'node:crypto';
import { UnavailableError } from '../../../../shared/src/index.js';

/** Where the webhook public key comes from; `refresh` asks for a new one after a failed verification. */
export interface PublicKeySource {
  /** The current key; throws UnavailableError when it cannot be had right now. */
  get(): Promise<KeyObject>;
  /**
   * Fetches the key again if that is possible and allowed now, or waits for a fetch already under way; after it,
   * `get` answers the newest key.
   */
  refresh(): Promise<void>;
}

/** A key given as PEM in the environment or a file: parsed once, never changes. */
export function staticKeySource(pem: string): PublicKeySource {
  const key = createPublicKey(pem);
  return { get: async () => key, refresh: async () => undefined };
}

/**
 * A key fetched from Dyte's `/.well-known/webhooks.json` (`{"data":{"publicKey":"-----BEGIN PUBLIC KEY-----..."}}`),
 * cached, and fetched again at most once per `minRefreshIntervalMs` when a signature fails, so forged requests
 * cannot turn into a flood of fetches.
 */
export function urlKeySource(
  url: string,
  options: { fetchTimeoutMs?: number; minRefreshIntervalMs?: number; fetchImpl?: typeof fetch } = {},
): PublicKeySource {
  const fetchImpl = options.fetchImpl ?? fetch;
  const minRefreshIntervalMs = options.minRefreshIntervalMs ?? 60_000;
  let cached: { key: KeyObject; pem: string } | undefined;
  let lastFetchAt = 0;
  let inFlight: Promise<{ key: KeyObject; pem: string }> | undefined;

  const load = async () => {
    lastFetchAt = Date.now();
    let response: Response;
    try {
      response = await fetchImpl(url, { signal: AbortSignal.timeout(options.fetchTimeoutMs ?? 2000) });
    } catch (cause) {
      throw new UnavailableError('PUBLIC_KEY_UNAVAILABLE', `could not fetch the webhook public key from ${url}`, { cause });
    }
    if (!response.ok) {
      throw new UnavailableError('PUBLIC_KEY_UNAVAILABLE', `the webhook public key endpoint ${url} answered ${response.status}`);
    }
    const body = (await response.json().catch(() => undefined)) as { data?: { publicKey?: unknown } } | undefined;
    const pem = body?.data?.publicKey;
    if (typeof pem !== 'string') {
      throw new UnavailableError('PUBLIC_KEY_UNAVAILABLE', `the answer of ${url} has no data.publicKey string`);
    }
    try {
      return { key: createPublicKey(pem), pem };
    } catch (cause) {
      throw new UnavailableError('PUBLIC_KEY_UNAVAILABLE', `data.publicKey from ${url} is not a PEM public key`, { cause });
    }
  };
  const fetchOnce = () => {
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return {
    async get() {
      cached ??= await fetchOnce();
      return cached.key;
    },
    async refresh() {
      // A fetch under way (started by a concurrent request that also failed) is waited for, not skipped.
      if (inFlight) {
        cached = await inFlight;
        return;
      }
      if (Date.now() - lastFetchAt < minRefreshIntervalMs) return;
      cached = await fetchOnce();
    },
  };
}
