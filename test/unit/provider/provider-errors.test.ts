import { strict as assert } from 'node:assert';
import { parseRetryAfter, ProviderError } from '../../../shared/src/index.js';
import { providerErrorFromFailure, providerErrorFromStatus } from '../../../shared/src/provider/provider-errors.js';

describe('provider errors', () => {
  it('when the provider answers an error status, then it maps to one code of the error model, final or retriable', () => {
    const cases: [number, string, boolean][] = [
      [401, 'PROVIDER_UNAUTHORIZED', false],
      [403, 'PROVIDER_UNAUTHORIZED', false],
      [404, 'PROVIDER_NOT_FOUND', false],
      [410, 'PROVIDER_NOT_FOUND', false],
      [408, 'PROVIDER_UNAVAILABLE', true],
      [500, 'PROVIDER_UNAVAILABLE', true],
      [503, 'PROVIDER_UNAVAILABLE', true],
      [302, 'PROVIDER_INVALID_ANSWER', false],
      [400, 'PROVIDER_REFUSED', false],
      [422, 'PROVIDER_REFUSED', false],
    ];
    for (const [status, code, retriable] of cases) {
      const error = providerErrorFromStatus(status, 'realtimekit getChat (GET /sessions/s1/chat)', 'why');
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, code, String(status));
      assert.equal(error.retriable, retriable, String(status));
      assert.equal(error.httpStatus, status);
      assert.match(error.message, /^realtimekit getChat \(GET \/sessions\/s1\/chat\) answered/);
    }
  });

  it('when a request times out or the network fails, then it is PROVIDER_UNAVAILABLE and retriable', () => {
    const timeout = providerErrorFromFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'dyte getChat', 250);
    assert.equal(timeout.code, 'PROVIDER_UNAVAILABLE');
    assert.equal(timeout.retriable, true);
    assert.match(timeout.message, /did not answer within 250 ms \(PROVIDER_TIMEOUT_MS\)/);
    const refused = providerErrorFromFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), 'dyte getChat', 250);
    assert.equal(refused.code, 'PROVIDER_UNAVAILABLE');
    assert.match(refused.message, /failed before an answer: ECONNREFUSED/);
  });

  it('when Retry-After holds seconds or an HTTP date, then it gives milliseconds; anything else gives undefined', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now), 3000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-1', now), undefined);
  });
});
