import type { Redis } from 'ioredis';
import { incompleteSessions } from '../../shared/src/index.js';
import type { ArchiveOutcomes } from './archive-outcomes.js';
import type { CustodyArtifact } from './run-custody-chaos.js';

/** The job ids the fleet names as not archived, and by which of its two reports. */
export interface NamedByTheFleet {
  named: Set<string>;
  /** The session ledger's incomplete sessions: artifacts announced (or reported) and not archived. */
  byLedger: Set<string>;
  /** Artifacts whose last word on the archive topic is an ArtifactFailed. */
  byFailures: Set<string>;
}

/**
 * What the fleet names as not archived: the session ledger's incomplete sessions (what `dyte-bridge reconcile`
 * reports without a provider API) and the artifacts whose last result on the archive topic is a failure. Read once
 * the ledger has caught up with the archive topic: every artifact announced is in it, and it holds back exactly the
 * artifacts the topic has not reported archived (polled up to `timeoutMs`, then read as it is).
 */
export async function namedByTheFleet(
  ledger: { redis: Redis; topicPrefix: string },
  artifacts: readonly CustodyArtifact[],
  outcomes: ArchiveOutcomes,
  timeoutMs = 60_000,
): Promise<NamedByTheFleet> {
  const byFailures = new Set(artifacts.filter((a) => outcomes.about(a.jobId).at(-1)?.type === 'failed').map((a) => a.jobId));
  const announced = artifacts.filter((a) => a.webhookStatus !== undefined);
  const archived = (a: CustodyArtifact) => outcomes.about(a.jobId).some((o) => o.type === 'archived');
  const deadline = Date.now() + timeoutMs;
  let byLedger: Set<string>;
  for (;;) {
    const sessions = await incompleteSessions(ledger.redis, ledger.topicPrefix, { olderThanSeconds: 0 });
    byLedger = new Set(sessions.flatMap((s) => s.artifacts.filter((a) => a.state !== 'archived').map((a) => a.jobId)));
    const behind = announced.filter((a) => byLedger.has(a.jobId) === archived(a));
    if (behind.length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { named: new Set([...byLedger, ...byFailures]), byLedger, byFailures };
}
