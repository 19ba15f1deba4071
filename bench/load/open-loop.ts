import { Agent, request as httpRequest } from 'node:http';
import * as hdr from 'hdr-histogram-js';
import type { WebhookRequest } from './webhook-request.js';

/** What an open-loop run measured; latencies in milliseconds. */
export interface OpenLoopResult {
  rate: number;
  sent: number;
  ok: number;
  notOk: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  /** Requests per second actually sent (below `rate` if the generator could not keep up). */
  achievedRate: number;
}

/**
 * Sends requests at a fixed arrival rate whatever the server does (open loop), over at most `maxSockets` keep-alive
 * connections (as wrk2 does), and measures each latency from the moment the request was due, not when it went out,
 * so a stalled server cannot hide its queueing (no coordinated omission). The first `warmupSeconds` run at the same
 * rate on the same connections but are not in the latencies (wrk2's calibration period): the connections are
 * opened and the JIT warm before measuring. Every answer counts in ok/notOk/errors. Waits for every answer.
 */
export async function openLoop(
  target: WebhookRequest,
  options: { rate: number; seconds: number; maxSockets?: number; warmupSeconds?: number },
): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 512 });
  const warmupMs = (options.warmupSeconds ?? 0) * 1000;
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const url = new URL(target.url);
  const total = Math.round(options.rate * (options.seconds + warmupMs / 1000));
  const headers = { ...target.headers, 'content-length': String(target.body.length) };
  let sent = 0;
  let ok = 0;
  let notOk = 0;
  let errors = 0;
  let answered = 0;
  const start = performance.now();
  let lastSentAt = start;
  let finish: () => void = () => undefined;
  const allAnswered = new Promise<void>((resolve) => (finish = resolve));
  const settle = (dueAt: number, status: number | undefined) => {
    if (dueAt >= start + warmupMs) histogram.recordValue(Math.max(1, Math.round((performance.now() - dueAt) * 1000)));
    if (status === undefined) errors += 1;
    else if (status >= 200 && status < 300) ok += 1;
    else notOk += 1;
    if (++answered === total) finish();
  };
  const send = (dueAt: number) => {
    const req = httpRequest({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => settle(dueAt, res.statusCode));
    });
    req.on('error', () => settle(dueAt, undefined));
    req.end(target.body);
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * options.rate) + 1);
      while (sent < due) {
        send(start + (sent / options.rate) * 1000);
        sent += 1;
      }
      lastSentAt = now;
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  if (total > 0) await allAnswered;
  agent.destroy();
  const result: OpenLoopResult = {
    rate: options.rate,
    sent,
    ok,
    notOk,
    errors,
    p50: histogram.getValueAtPercentile(50) / 1000,
    p99: histogram.getValueAtPercentile(99) / 1000,
    max: histogram.maxValue / 1000,
    achievedRate: sent / Math.max(0.001, (lastSentAt - start) / 1000),
  };
  histogram.destroy();
  return result;
}
