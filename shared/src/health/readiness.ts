import { withDeadline } from '../lifecycle/with-deadline.js';
import { redactUrlUserinfo } from '../secrets/redact-url.js';

/** One thing a service needs to do its work now: resolves to undefined when it is there, or to the reason it is not. */
export type ReadinessCheck = () => Promise<string | undefined> | string | undefined;

/** What `GET /readyz` answers: ready only when every check is. */
export interface ReadinessReport {
  ready: boolean;
  /** Each check by name: ok, or the reason it is not. */
  checks: Record<string, { ok: true } | { ok: false; reason: string }>;
}

/** How long one check may take before it counts as not ready (a Redis or broker that does not answer). */
export const READINESS_CHECK_TIMEOUT_MS = 1500;

/**
 * Runs `checks` together, each bounded by `timeoutMs` (no answer is a reason too), into one report. A check still
 * running from an earlier call is joined, not started again, so a dependency that hangs is asked once at a time
 * however often a load balancer polls.
 */
export function readinessProbe(checks: Record<string, ReadinessCheck>, timeoutMs = READINESS_CHECK_TIMEOUT_MS): () => Promise<ReadinessReport> {
  const running = new Map<string, Promise<string | undefined>>();
  const run = (name: string, check: ReadinessCheck): Promise<string | undefined> => {
    let answer = running.get(name);
    if (!answer) {
      answer = Promise.resolve()
        .then(check)
        .catch((error: unknown) => (error instanceof Error ? error.message : String(error)))
        .finally(() => running.delete(name));
      running.set(name, answer);
    }
    return withDeadline(answer, timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`)).catch((error: Error) => error.message);
  };
  return async () => {
    const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await run(name, check)] as const));
    const report: ReadinessReport = { ready: true, checks: {} };
    for (const [name, reason] of results) {
      if (reason === undefined) report.checks[name] = { ok: true };
      else {
        report.ready = false;
        // A client's error may quote its URL, password included.
        report.checks[name] = { ok: false, reason: redactUrlUserinfo(reason) };
      }
    }
    return report;
  };
}
