import type { ProviderName } from './provider-client.js';
import { parseRetryAfter, ProviderError, providerErrorFromFailure, providerErrorFromStatus } from './provider-errors.js';
import { isObject } from './provider-fields.js';
import type { ProviderRateLimiter, RateWindow } from './provider-rate-limiter.js';

/** What one request to the provider did, for metrics and logs (never a credential, never a link). */
export interface ProviderRequestEvent {
  provider: ProviderName;
  /** e.g. `getChat`, `listSessions`. */
  operation: string;
  /** The provider's HTTP status, when it answered. */
  status?: number;
  /** The error code, when the request failed. */
  code?: string;
  /** Time on the wire. */
  durationMs: number;
  /** Time spent waiting for the shared budget (and for a 429's pause) before it was sent. */
  waitedMs: number;
}

/** How the HTTP layer of a provider client behaves. */
export interface ProviderHttpOptions {
  provider: ProviderName;
  /** The API base and the path prefix of the account, e.g. `https://api.cloudflare.com/client/v4/accounts/A/realtime/kit/B`. */
  baseUrl: string;
  /** The value of the Authorization header. Kept in this closure only: never in an error, a log or an object field. */
  authorization: string;
  /** Credentials to scrub from any text the provider sends back before it goes into a message. */
  secrets: readonly string[];
  timeoutMs: number;
  limiter: ProviderRateLimiter;
  /** Every request counts against these. */
  windows: readonly RateWindow[];
  /** Requests under /recordings also count against these. */
  recordingWindows: readonly RateWindow[];
  /** Longest a request may wait for the budget or for a 429's pause, in all. */
  maxWaitMs: number;
  /** Pause after a 429 that names no Retry-After. */
  defaultRetryAfterMs: number;
  fetch?: typeof fetch;
  onRequest?: (event: ProviderRequestEvent) => void;
}

/** A GET of the provider's API that answers `{success: true, data}`: the whole answer, checked. */
export type ProviderGet = (request: { operation: string; path: string; query?: Record<string, string | undefined> }) => Promise<Record<string, unknown>>;

// Answers are JSON documents of a few KiB (a page of sessions); anything far larger is not the API.
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
// A Retry-After beyond this is not believed: the budget is paused this long at most.
const MAX_PAUSE_MS = 15 * 60_000;

/**
 * The provider's HTTP layer: each GET waits for room in the shared budget, carries the credentials, times out after
 * `timeoutMs` (headers and body), refuses redirects and oversized answers, and turns every failure into a
 * ProviderError. A 429 pauses the shared budget for its Retry-After and the request is sent again once the pause is
 * over, as long as that stays within `maxWaitMs`.
 */
export function createProviderHttp(options: ProviderHttpOptions): ProviderGet {
  const doFetch = options.fetch ?? fetch;
  const scrub = (text: string) => options.secrets.reduce((out, secret) => (secret === '' ? out : out.split(secret).join('[redacted]')), text);

  return async ({ operation, path, query }) => {
    const url = new URL(options.baseUrl + path);
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const what = `${options.provider} ${operation} (GET ${path})`;
    const windows = path.startsWith('/recordings') ? [...options.windows, ...options.recordingWindows] : options.windows;
    const started = Date.now();
    for (;;) {
      const left = options.maxWaitMs - (Date.now() - started);
      let waitedMs = Date.now() - started;
      let sentAt = Date.now();
      let status: number | undefined;
      try {
        waitedMs += await options.limiter.acquire(windows, Math.max(0, left));
        sentAt = Date.now();
        const response = await doFetch(url, {
          headers: { authorization: options.authorization, accept: 'application/json' },
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        status = response.status;
        if (response.status === 429) {
          await response.body?.cancel();
          const pauseMs = Math.min(MAX_PAUSE_MS, parseRetryAfter(response.headers.get('retry-after')) ?? options.defaultRetryAfterMs);
          await options.limiter.pause(pauseMs);
          if (Date.now() - started + pauseMs > options.maxWaitMs) {
            throw new ProviderError('PROVIDER_THROTTLED', `${what} answered 429: retry after ${pauseMs} ms (the shared budget is paused until then)`, {
              httpStatus: 429,
              retryAfterMs: pauseMs,
            });
          }
          options.onRequest?.({ provider: options.provider, operation, status, code: 'PROVIDER_THROTTLED', durationMs: Date.now() - sentAt, waitedMs });
          continue;
        }
        const text = await readCapped(response, what);
        if (response.status < 200 || response.status > 299) throw providerErrorFromStatus(response.status, what, scrub(errorDetail(text)));
        const body = parseAnswer(text, what, scrub);
        options.onRequest?.({ provider: options.provider, operation, status, durationMs: Date.now() - sentAt, waitedMs });
        return body;
      } catch (error) {
        const failure = providerErrorFromFailure(error, what, options.timeoutMs);
        options.onRequest?.({ provider: options.provider, operation, status, code: failure.code, durationMs: Date.now() - sentAt, waitedMs });
        throw failure;
      }
    }
  };
}

async function readCapped(response: Response, what: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw new ProviderError('PROVIDER_INVALID_ANSWER', `${what} answered ${declared} bytes, more than ${MAX_ANSWER_BYTES} an API answer may have`);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await response.body.cancel().catch(() => undefined);
      throw new ProviderError('PROVIDER_INVALID_ANSWER', `${what} answered more than ${MAX_ANSWER_BYTES} bytes, more than an API answer may have`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseAnswer(text: string, what: string, scrub: (text: string) => string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProviderError('PROVIDER_INVALID_ANSWER', `${what} answered something that is not JSON`);
  }
  if (!isObject(body)) throw new ProviderError('PROVIDER_INVALID_ANSWER', `${what} answered JSON that is not an object`);
  if (body.success !== true) throw new ProviderError('PROVIDER_INVALID_ANSWER', `${what} answered 2xx without "success": true${scrub(detailOf(body))}`);
  if (!('data' in body) || body.data === null || typeof body.data !== 'object') {
    throw new ProviderError('PROVIDER_INVALID_ANSWER', `${what} answered without a "data" object or array`);
  }
  return body;
}

// The provider's own words about an error, short: RealtimeKit `{error: {message}}`, Cloudflare `{errors: [{message}]}`.
function errorDetail(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    return isObject(body) ? detailOf(body).replace(/^: /, '') : '';
  } catch {
    return '';
  }
}

function detailOf(body: Record<string, unknown>): string {
  const first = Array.isArray(body.errors) ? body.errors[0] : body.error;
  const message = isObject(first) ? first.message : typeof first === 'string' ? first : body.message;
  return typeof message === 'string' && message !== '' ? `: ${message.slice(0, 200)}` : '';
}
