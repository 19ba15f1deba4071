import { createPublicKey, type KeyObject } from 'node:crypto';
import { redactUrl, UnavailableError } from '../../../../shared/src/index.js';
import { parsePublicKeyUrl } from './public-key-url.js';

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

/** What the client of a webhook is told when the key cannot be had: nothing about where it comes from. */
const UNAVAILABLE_MESSAGE = 'the webhook public key is unavailable; retry later';

/**
 * A key fetched from Dyte's `/.well-known/webhooks.json` (`{"data":{"publicKey":"-----BEGIN PUBLIC KEY-----..."}}`),
 * cached. Every load, the first included and whether it succeeds or fails, starts an interval of
 * `minRefreshIntervalMs` in which no other load starts: until it passes, a failed load is answered again from
 * memory and a failed signature does not refetch, so forged requests cannot turn into a flood of fetches.
 * Concurrent callers join the load under way. The URL's userinfo is sent as Basic credentials; the URL itself is
 * never in an answer, and only without userinfo and query in the error's cause (for the logs).
 */
export function urlKeySource(
  url: string,
  options: { fetchTimeoutMs?: number; minRefreshIntervalMs?: number; fetchImpl?: typeof fetch; now?: () => number } = {},
): PublicKeySource {
  const target = parsePublicKeyUrl(url);
  const fetchImpl = options.fetchImpl ?? fetch;
  const now = options.now ?? Date.now;
  const minRefreshIntervalMs = options.minRefreshIntervalMs ?? 60_000;
  let cached: KeyObject | undefined;
  let lastLoadAt = Number.NEGATIVE_INFINITY;
  let lastFailure: UnavailableError | undefined;
  let inFlight: Promise<KeyObject> | undefined;

  // Throws plain Errors naming the step that failed; `load` wraps them in the one answer clients get.
  const fetchKey = async (): Promise<KeyObject> => {
    let response: Response;
    try {
      response = await fetchImpl(target.fetchUrl, {
        headers: target.authorization ? { authorization: target.authorization } : {},
        signal: AbortSignal.timeout(options.fetchTimeoutMs ?? 2000),
      });
    } catch (cause) {
      throw new Error(`GET ${target.display} failed: ${(cause as Error).message}`, { cause });
    }
    if (response.url) {
      // A redirect must not take the key to plain http.
      try {
        parsePublicKeyUrl(response.url);
      } catch {
        throw new Error(`GET ${target.display} was redirected to ${redactUrl(response.url)}, which is not https`);
      }
    }
    if (!response.ok) throw new Error(`GET ${target.display} answered ${response.status}`);
    const body = (await response.json().catch(() => undefined)) as { data?: { publicKey?: unknown } } | undefined;
    const pem = body?.data?.publicKey;
    if (typeof pem !== 'string') throw new Error(`the answer of GET ${target.display} has no data.publicKey string`);
    try {
      return createPublicKey(pem);
    } catch (cause) {
      throw new Error(`data.publicKey from ${target.display} is not a PEM public key`, { cause });
    }
  };

  const load = (): Promise<KeyObject> => {
    inFlight ??= (async () => {
      lastLoadAt = now();
      try {
        cached = await fetchKey();
        lastFailure = undefined;
        return cached;
      } catch (cause) {
        lastFailure = new UnavailableError('PUBLIC_KEY_UNAVAILABLE', UNAVAILABLE_MESSAGE, { cause });
        throw lastFailure;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
  const loadedRecently = () => now() - lastLoadAt < minRefreshIntervalMs;

  return {
    async get() {
      if (cached) return cached;
      if (inFlight) return inFlight;
      if (lastFailure && loadedRecently()) throw lastFailure;
      return load();
    },
    async refresh() {
      // A load under way (started by a concurrent request that also failed) is waited for, not skipped.
      if (inFlight) {
        await inFlight;
        return;
      }
      if (loadedRecently()) {
        if (lastFailure) throw lastFailure;
        return;
      }
      await load();
    },
  };
}
