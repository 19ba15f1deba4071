import { waitFor } from './wait-for.js';

/** What a service's GET /readyz answers. */
export interface ReadinessAnswer {
  status: string;
  checks?: Record<string, { ok: boolean; reason?: string }>;
}

/** GET <url>/readyz: its status code and body. */
export async function readyz(url: string): Promise<{ status: number; body: ReadinessAnswer }> {
  const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as ReadinessAnswer };
}

/** Waits until <url>/readyz answers `want` (and, given `check`, that check passes for 200 or fails for 503). */
export async function waitForReadiness(url: string, want: 200 | 503, check?: string, timeoutMs = 30_000): Promise<ReadinessAnswer> {
  let last: unknown;
  return waitFor(
    async () => {
      const answer = await readyz(url);
      last = answer;
      if (answer.status !== want) return undefined;
      if (check && answer.body.checks?.[check]?.ok !== (want === 200)) return undefined;
      return answer.body;
    },
    { timeoutMs, intervalMs: 200, description: `${url}/readyz to answer ${want}${check ? ` with ${check} ${want === 200 ? 'ok' : 'failing'}` : ''} (last: ${JSON.stringify(last)})` },
  );
}
