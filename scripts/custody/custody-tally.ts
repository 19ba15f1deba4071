import type { SeenRequest } from '../stand-ins/artifact-server.js';
import type { ArchiveOutcomes } from './archive-outcomes.js';
import { CUSTODY_KINDS, WEBHOOK_FATES, type WebhookFate } from './custody-plan.js';
import type { CustodyArtifact } from './run-custody-chaos.js';

/** What is known after a run, to judge every artifact by. */
export interface CustodyEvidence {
  /** The fleet had the provider API. */
  api: boolean;
  artifacts: CustodyArtifact[];
  outcomes: ArchiveOutcomes;
  /** The artifact server's answers for a file. */
  served(file: string): SeenRequest[];
  /** The SHA-256 the provider's file has. */
  expectedSha256(file: string): string;
  /** The SHA-256 of the file stored at an archived location. */
  storedSha256(location: string): Promise<string>;
  /** Job ids the fleet names as not archived: its ArtifactFailed records and its ledger's incomplete sessions. */
  named: ReadonlySet<string>;
  /** Job ids the reconcile sweep added (logged by the dispatchers), when known. */
  addedBySweep?: ReadonlySet<string>;
}

/** What became of one artifact. */
export interface CustodyVerdict {
  artifact: CustodyArtifact;
  archived: boolean;
  /** The server sent more than one copy's bytes, or more than one complete 200. */
  fetchedMoreThanOnce: boolean;
  /** Bytes the server sent for it in 200s and 206s, and how many complete 200s. */
  servedBytes: number;
  completeTransfers: number;
  /** A record's or the stored file's SHA-256 is not the provider's. */
  wrongSha: boolean;
  /** Not archived, and named by the fleet. */
  namedMissing: boolean;
  /** Archived, and yet named by the fleet as not archived. */
  namedButArchived: boolean;
  /** Not archived, never announced, and no API to learn of it: the fleet cannot know. */
  notKnowable: boolean;
  /** Not archived and not named, though the fleet could have known. */
  silentlyMissing: boolean;
  linkRefreshed: boolean;
  addedBySweep: boolean;
}

/** One row of the custody table: the artifacts of a kind whose webhook had a fate. */
export interface CustodyRow {
  artifact: string;
  webhook: string;
  'held by provider': number;
  archived: number;
  'fetched more than once': number;
  'wrong SHA': number;
  'named as missing': number;
  'silently missing': number | string;
  'fresh link': number;
  'added by sweep': number | string;
}

const FATE_WORDS: Record<WebhookFate, string> = { on_time: 'delivered on time', late: 'delivered late', never: 'never delivered' };

/** Judges every artifact of a run. */
export async function custodyVerdicts(evidence: CustodyEvidence): Promise<CustodyVerdict[]> {
  return Promise.all(
    evidence.artifacts.map(async (artifact) => {
      const results = evidence.outcomes.about(artifact.jobId);
      const copies = results.filter((r) => r.type === 'archived');
      const expected = evidence.expectedSha256(artifact.file);
      const stored = await Promise.all(copies.map((copy) => evidence.storedSha256(String(copy.value.location)).catch(() => 'unreadable')));
      const transfers = evidence.served(artifact.file).filter((r) => r.status === 200 || r.status === 206);
      const servedBytes = transfers.reduce((sum, r) => sum + (r.bytes ?? 0), 0);
      const completeTransfers = transfers.filter((r) => r.status === 200 && r.complete).length;
      const archived = copies.length > 0;
      const named = evidence.named.has(artifact.jobId);
      const notKnowable = !archived && !named && !evidence.api && artifact.webhookStatus === undefined;
      return {
        artifact,
        archived,
        fetchedMoreThanOnce: servedBytes > artifact.bytes || completeTransfers > 1,
        servedBytes,
        completeTransfers,
        wrongSha: copies.some((copy) => copy.value.sha256 !== expected) || stored.some((sha) => sha !== expected),
        namedMissing: !archived && named,
        namedButArchived: archived && named,
        notKnowable,
        silentlyMissing: !archived && !named && !notKnowable,
        linkRefreshed: copies.some((copy) => Number(copy.value.linkRefreshes ?? 0) > 0),
        addedBySweep: evidence.addedBySweep?.has(artifact.jobId) ?? false,
      };
    }),
  );
}

/** The table's rows: by kind and by what happened to the webhook, then a total. */
export function custodyRows(verdicts: CustodyVerdict[], options: { sweepKnown: boolean }): CustodyRow[] {
  const row = (artifact: string, webhook: string, group: CustodyVerdict[]): CustodyRow => {
    const count = (test: (v: CustodyVerdict) => boolean) => group.filter(test).length;
    const silent = count((v) => v.silentlyMissing);
    const unknowable = count((v) => v.notKnowable);
    return {
      artifact,
      webhook,
      'held by provider': group.length,
      archived: count((v) => v.archived),
      'fetched more than once': count((v) => v.fetchedMoreThanOnce),
      'wrong SHA': count((v) => v.wrongSha),
      'named as missing': count((v) => v.namedMissing),
      'silently missing': unknowable > 0 ? `${silent} (+${unknowable} not announced, not knowable)` : silent,
      'fresh link': count((v) => v.linkRefreshed),
      'added by sweep': options.sweepKnown ? count((v) => v.addedBySweep) : 'n/a',
    };
  };
  const rows: CustodyRow[] = [];
  for (const kind of CUSTODY_KINDS) {
    for (const fate of WEBHOOK_FATES) {
      const group = verdicts.filter((v) => v.artifact.kind === kind && v.artifact.fate === fate);
      if (group.length > 0) rows.push(row(kind, FATE_WORDS[fate], group));
    }
  }
  rows.push(row('all', 'all', verdicts));
  return rows;
}
