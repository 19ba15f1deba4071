import { strict as assert } from 'node:assert';
import { Registry } from 'prom-client';
import { providerRequestOutcome, registerProviderRequestMetrics } from '../../../../shared/src/index.js';
import { parseMetrics } from '../../../helpers/scrape-metrics.js';

describe('provider request metrics', () => {
  it('when a request ends, then its outcome tells a 429 from a budget with no room and names every other failure', () => {
    assert.equal(providerRequestOutcome({}), 'ok');
    assert.equal(providerRequestOutcome({ status: 200 }), 'ok');
    assert.equal(providerRequestOutcome({ status: 429, code: 'PROVIDER_THROTTLED' }), 'throttled');
    assert.equal(providerRequestOutcome({ code: 'PROVIDER_THROTTLED' }), 'budget_exhausted');
    assert.equal(providerRequestOutcome({ status: 404, code: 'PROVIDER_NOT_FOUND' }), 'not_found');
    assert.equal(providerRequestOutcome({ status: 401, code: 'PROVIDER_UNAUTHORIZED' }), 'unauthorized');
    assert.equal(providerRequestOutcome({ code: 'PROVIDER_UNAVAILABLE' }), 'unavailable');
    assert.equal(providerRequestOutcome({ code: 'PROVIDER_BUDGET_UNAVAILABLE' }), 'budget_unavailable');
    assert.equal(providerRequestOutcome({ status: 200, code: 'PROVIDER_INVALID_ANSWER' }), 'invalid_answer');
  });

  it('when the hook is fed, then requests are counted by api, endpoint and outcome, and only answered ones are timed', async () => {
    const registry = new Registry();
    const observe = registerProviderRequestMetrics(registry);
    observe({ provider: 'realtimekit', operation: 'getChat', status: 200, durationMs: 120, waitedMs: 0 });
    observe({ provider: 'realtimekit', operation: 'getChat', status: 429, code: 'PROVIDER_THROTTLED', durationMs: 5, waitedMs: 0 });
    observe({ provider: 'realtimekit', operation: 'listSessions', code: 'PROVIDER_THROTTLED', durationMs: 0, waitedMs: 30_000 });
    const scrape = parseMetrics(await registry.metrics());
    assert.equal(scrape.sum('dyte_bridge_provider_requests_total', { api: 'realtimekit', endpoint: 'getChat', outcome: 'ok' }), 1);
    assert.equal(scrape.sum('dyte_bridge_provider_requests_total', { endpoint: 'getChat', outcome: 'throttled' }), 1);
    assert.equal(scrape.sum('dyte_bridge_provider_requests_total', { endpoint: 'listSessions', outcome: 'budget_exhausted' }), 1);
    assert.equal(scrape.sum('dyte_bridge_provider_request_seconds_count', { endpoint: 'getChat' }), 2);
    assert.equal(scrape.sum('dyte_bridge_provider_request_seconds_count', { endpoint: 'listSessions' }), undefined);
    assert.equal(scrape.sum('dyte_bridge_provider_budget_wait_seconds_count', { api: 'realtimekit' }), 3);
  });
});
