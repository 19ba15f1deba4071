import { Counter, Histogram, type Registry } from 'prom-client';
import type { ProviderRequestEvent } from '../provider/index.js';

/**
 * The outcome label of a provider request: `ok`; `throttled` (the provider answered 429; the budget is paused and
 * the request sent again); `budget_exhausted` (no room in the shared budget within PROVIDER_MAX_WAIT_MS: nothing was
 * sent); else the error code without its prefix: `not_found` (a normal answer for an artifact not held),
 * `unauthorized`, `unavailable`, `refused`, `invalid_answer`, `budget_unavailable`.
 */
export function providerRequestOutcome(event: Pick<ProviderRequestEvent, 'code' | 'status'>): string {
  if (event.code === undefined) return 'ok';
  if (event.code === 'PROVIDER_THROTTLED') return event.status === 429 ? 'throttled' : 'budget_exhausted';
  return event.code.replace(/^PROVIDER_/, '').toLowerCase();
}

/**
 * Registers the provider API's metrics on a service's registry and returns the client's `onRequest` hook that feeds
 * them. Labels are the API, the operation and the outcome (never an id or a link), so the series stay few.
 */
export function registerProviderRequestMetrics(registry: Registry): (event: ProviderRequestEvent) => void {
  const requests = new Counter({
    name: 'dyte_bridge_provider_requests_total',
    help: 'Provider API requests by api (realtimekit, dyte), endpoint (listSessions, getChat, ...) and outcome (ok, throttled: a 429, budget_exhausted, not_found, unauthorized, unavailable, refused, invalid_answer, budget_unavailable)',
    labelNames: ['api', 'endpoint', 'outcome'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'dyte_bridge_provider_request_seconds',
    help: 'Time on the wire of provider API requests that got an answer, by api and endpoint',
    labelNames: ['api', 'endpoint'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const waited = new Histogram({
    name: 'dyte_bridge_provider_budget_wait_seconds',
    help: 'Time provider API requests waited for room in the shared request budget (and for a 429 pause) before they were sent, by api',
    labelNames: ['api'],
    buckets: [0, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return (event) => {
    requests.inc({ api: event.provider, endpoint: event.operation, outcome: providerRequestOutcome(event) });
    if (event.status !== undefined) seconds.observe({ api: event.provider, endpoint: event.operation }, event.durationMs / 1000);
    waited.observe({ api: event.provider }, event.waitedMs / 1000);
  };
}
