import { AppError } from '../errors/index.js';

/** Every code a provider API failure can carry. */
export type ProviderErrorCode =
  /** 401/403: the credentials were refused. Final: retrying with the same ones never helps. */
  | 'PROVIDER_UNAUTHORIZED'
  /** 404/410: the provider does not hold the resource (unknown, or past its retention). Final. */
  | 'PROVIDER_NOT_FOUND'
  /** 429, or the shared budget had no room within the wait allowed. Retriable after `retryAfterMs`. */
  | 'PROVIDER_THROTTLED'
  /** 5xx, 408, a network failure or a timeout. Retriable. */
  | 'PROVIDER_UNAVAILABLE'
  /** Another 4xx: the provider refused the request itself (a bad id, a parameter it does not know). Final. */
  | 'PROVIDER_REFUSED'
  /** An answer that is not the documented `{success: true, data}` shape, a redirect, or one too large. Final. */
  | 'PROVIDER_INVALID_ANSWER'
  /** The shared request budget in Redis could not be read in time. Retriable. */
  | 'PROVIDER_BUDGET_UNAVAILABLE';

const RETRIABLE: Record<ProviderErrorCode, boolean> = {
  PROVIDER_UNAUTHORIZED: false,
  PROVIDER_NOT_FOUND: false,
  PROVIDER_THROTTLED: true,
  PROVIDER_UNAVAILABLE: true,
  PROVIDER_REFUSED: false,
  PROVIDER_INVALID_ANSWER: false,
  PROVIDER_BUDGET_UNAVAILABLE: true,
};

/**
 * A provider API call failed. The message names the provider, the operation and the rule broken, never a
 * credential; `httpStatus` is the provider's answer when there was one.
 */
export class ProviderError extends AppError {
  declare readonly code: ProviderErrorCode;
  /** The provider's HTTP status, when it answered. */
  readonly httpStatus: number | undefined;
  /** For PROVIDER_THROTTLED: how long to wait before trying again. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ProviderErrorCode, message: string, options: { httpStatus?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { code, retriable: RETRIABLE[code], status: RETRIABLE[code] ? 503 : 502, cause: options.cause });
    this.httpStatus = options.httpStatus;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The error a non-2xx answer means (429 is handled before, with its Retry-After). `what` is e.g. "realtimekit GET /sessions". */
export function providerErrorFromStatus(status: number, what: string, detail: string): ProviderError {
  const said = detail === '' ? '' : `: ${detail}`;
  if (status === 401 || status === 403) {
    return new ProviderError('PROVIDER_UNAUTHORIZED', `${what} answered ${status}, the credentials were refused${said}`, { httpStatus: status });
  }
  if (status === 404 || status === 410) {
    return new ProviderError('PROVIDER_NOT_FOUND', `${what} answered ${status}, the provider does not hold it (unknown or past retention)${said}`, {
      httpStatus: status,
    });
  }
  if (status === 429) return new ProviderError('PROVIDER_THROTTLED', `${what} answered 429${said}`, { httpStatus: status });
  if (status === 408 || status >= 500) {
    return new ProviderError('PROVIDER_UNAVAILABLE', `${what} answered ${status}${said}`, { httpStatus: status });
  }
  if (status >= 300 && status < 400) {
    return new ProviderError('PROVIDER_INVALID_ANSWER', `${what} answered a redirect (${status}), which the API never sends`, { httpStatus: status });
  }
  return new ProviderError('PROVIDER_REFUSED', `${what} answered ${status}, the request was refused${said}`, { httpStatus: status });
}

/** The error a request that got no answer means: a timeout or a network failure, both retriable. */
export function providerErrorFromFailure(error: unknown, what: string, timeoutMs: number): ProviderError {
  if (error instanceof ProviderError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') {
    return new ProviderError('PROVIDER_UNAVAILABLE', `${what} did not answer within ${timeoutMs} ms (PROVIDER_TIMEOUT_MS)`, { cause: error });
  }
  // undici says "fetch failed" and puts the reason (ECONNREFUSED, a TLS error...) in the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const reason = cause instanceof Error ? (((cause as { code?: unknown }).code as string | undefined) ?? cause.message) : String(cause);
  return new ProviderError('PROVIDER_UNAVAILABLE', `${what} failed before an answer: ${reason}`, { cause: error });
}

/**
 * Milliseconds a Retry-After header asks for: delta-seconds or an HTTP date (RFC 9110). `undefined` when absent or
 * unreadable, so the caller applies its own default.
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, date - now);
}
