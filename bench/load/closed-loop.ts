import autocannon from 'autocannon';
import type { WebhookRequest } from './webhook-request.js';

/** What a closed-loop run measured. */
export interface ClosedLoopResult {
  /** 2xx answers per second, from the start to the last answer. */
  perSecond: number;
  ok: number;
  notOk: number;
  errors: number;
  seconds: number;
  statusCodes: Record<string, number>;
}

/**
 * Saturates a server with `connections` keep-alive connections, each sending its next request as soon as the
 * last one is answered (autocannon), for `amount` requests, or for `seconds` when no amount is given. With an
 * amount every request is answered before it returns, so counts can be checked against what the server did.
 */
export async function closedLoop(request: WebhookRequest, options: { connections: number; amount?: number; seconds?: number }): Promise<ClosedLoopResult> {
  let ok = 0;
  let last = 0;
  const started = performance.now();
  const instance = autocannon({
    url: request.url,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    connections: options.connections,
    pipelining: 1,
    timeout: 10,
    sampleInt: 100,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? 5 }),
  });
  instance.on('response', (_client, statusCode) => {
    if (statusCode >= 200 && statusCode < 300) {
      ok += 1;
      last = performance.now();
    }
  });
  const result = await instance;
  const seconds = ((last || performance.now()) - started) / 1000;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count]));
  return { perSecond: ok / seconds, ok, notOk: result.non2xx, errors: result.errors, seconds, statusCodes };
}
