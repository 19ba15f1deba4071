import {
  ConfigError,
  ProviderError,
  type ArchiveJobData,
  type ArtifactAnswer,
  type ProviderArtifact,
  type ProviderClient,
  type ProviderRecording,
  type ProviderSession,
} from '../../../../shared/src/index.js';
import type { ArchivedArtifactsSource, IncompleteSessionsSource } from './ledger-sources.js';
import { decide, jobFromProvider } from './reconcile-decision.js';
import type { ReconcileJobStore } from './reconcile-job-store.js';
import { emptyTotals, type ArtifactFinding, type ReconcileReport, type SessionFinding } from './reconcile-report.js';

/** What a reconcile uses. At least one of `provider` and `incompleteSessions` is needed. */
export interface ReconcileDeps {
  /** The provider's API: without it, only `incompleteSessions` is reported. */
  provider?: ProviderClient;
  /** The session ledger's view of sessions announced and never archived. */
  incompleteSessions?: IncompleteSessionsSource;
  /** What is archived beyond the queue: an artifact it names is not added again when its job is gone. */
  archived?: ArchivedArtifactsSource;
  jobs: ReconcileJobStore;
  /** Called as each session is done (progress, metrics). */
  onSession?: (finding: SessionFinding, progress: { done: number; total: number | null }) => void;
  /** Stops the reconcile between two sessions; the report then says `aborted`. */
  signal?: AbortSignal;
}

/** The window of a reconcile and how it acts. */
export interface ReconcileOptions {
  /** Sessions that started from here on (the provider's `start_time`). */
  since: Date;
  /** ... up to here (`end_time`). */
  until: Date;
  /** Sessions that ended after this are left for a later reconcile: their webhooks may still be on their way. */
  settledBefore: Date;
  /** Find and report, change nothing. */
  dryRun: boolean;
  /** Names this reconcile in the `deliveryId` of the jobs it adds, e.g. `reconcile:2026-…`. */
  runId: string;
}

/** The error of a reconcile that has neither the provider's API nor the session ledger to go by. */
export function nothingToReconcileWith(): ConfigError {
  return new ConfigError([
    'PROVIDER is none and no session ledger is available: reconciling needs the provider API (PROVIDER=realtimekit with RTK_ACCOUNT_ID, RTK_APP_ID and RTK_API_TOKEN, or PROVIDER=dyte with DYTE_ORG_ID and DYTE_API_KEY)',
  ]);
}

// A provider that fails every call for this many sessions in a row is down: the reconcile stops rather than
// spending the shared budget (and the downloaders' link refreshes with it) on calls that fail.
const MAX_FAILED_SESSIONS_IN_A_ROW = 5;

/**
 * One reconcile: lists the provider's sessions in the window, asks for each one's chat, transcript and summary
 * (3 requests a session) and takes its recordings from one listing of the window's recordings (a request per 50
 * recordings, not one per session), and adds a download job, with the webhook path's job id, for every artifact
 * the provider holds that has none; a job that failed for good on a dead link is retried with the fresh one.
 * Jobs that exist are left alone, so nothing is fetched twice. Live sessions and sessions that ended after
 * `settledBefore` are only counted. Throws a ConfigError when it has neither a provider nor a ledger, and a
 * ProviderError when the provider refuses the credentials or cannot list sessions.
 */
export async function reconcile(deps: ReconcileDeps, options: ReconcileOptions): Promise<ReconcileReport> {
  const { provider } = deps;
  if (!provider && !deps.incompleteSessions) throw nothingToReconcileWith();
  const report: ReconcileReport = {
    provider: provider?.description ?? null,
    since: options.since.toISOString(),
    until: options.until.toISOString(),
    settledBefore: options.settledBefore.toISOString(),
    dryRun: options.dryRun,
    sessions: [],
    skipped: { live: 0, recent: 0 },
    totals: emptyTotals(),
    sessionsWithErrors: 0,
    aborted: false,
  };

  if (provider) {
    const recordings = await recordingsBySession(provider, options.since);
    let failedInARow = 0;
    let done = 0;
    listing: for await (const page of provider.listSessions({ since: options.since, until: options.until })) {
      for (const session of page.sessions) {
        if (deps.signal?.aborted) {
          report.aborted = true;
          break listing;
        }
        if (isLive(session)) {
          report.skipped.live++;
          continue;
        }
        if (session.endedAt && session.endedAt > options.settledBefore) {
          report.skipped.recent++;
          continue;
        }
        const finding = await reconcileSession(session, recordings.get(session.sessionId) ?? [], provider, deps, options);
        report.sessions.push(finding);
        for (const artifact of finding.artifacts) report.totals[artifact.outcome]++;
        if (finding.errors.length > 0) report.sessionsWithErrors++;
        deps.onSession?.(finding, { done: ++done, total: page.totalCount });
        failedInARow = finding.errors.length >= SESSION_CALLS.length ? failedInARow + 1 : 0;
        if (failedInARow >= MAX_FAILED_SESSIONS_IN_A_ROW) {
          throw new ProviderError(
            'PROVIDER_UNAVAILABLE',
            `every provider call failed for ${failedInARow} sessions in a row, the reconcile stops (last: ${finding.errors.join('; ')})`,
          );
        }
      }
    }
  }
  if (deps.incompleteSessions && !report.aborted) report.incomplete = await deps.incompleteSessions.incompleteSessions(options.settledBefore);
  return report;
}

// The calls made for each session; its recordings come from the one listing.
const SESSION_CALLS = [
  ['chat', (provider: ProviderClient, sessionId: string) => provider.getChat(sessionId)],
  ['transcript', (provider: ProviderClient, sessionId: string) => provider.getTranscript(sessionId)],
  ['summary', (provider: ProviderClient, sessionId: string) => provider.getSummary(sessionId)],
] as const;

// RealtimeKit leaves ended_at out while a session is live; its files come only after the end.
function isLive(session: ProviderSession): boolean {
  return session.status ? session.status.toUpperCase() === 'LIVE' : session.endedAt === null;
}

/** The recordings made since `since`, by session (recordings the provider ties to no session cannot be placed). */
async function recordingsBySession(provider: ProviderClient, since: Date): Promise<Map<string, ProviderRecording[]>> {
  const bySession = new Map<string, ProviderRecording[]>();
  for await (const page of provider.listRecordings({ since })) {
    for (const recording of page) {
      if (recording.sessionId === null) continue;
      bySession.set(recording.sessionId, [...(bySession.get(recording.sessionId) ?? []), recording]);
    }
  }
  return bySession;
}

async function reconcileSession(
  session: ProviderSession,
  recordings: ProviderRecording[],
  provider: ProviderClient,
  deps: Pick<ReconcileDeps, 'jobs' | 'archived'>,
  options: ReconcileOptions,
): Promise<SessionFinding> {
  const { jobs } = deps;
  const finding: SessionFinding = {
    sessionId: session.sessionId,
    meetingId: session.meetingId,
    startedAt: session.startedAt?.toISOString() ?? null,
    endedAt: session.endedAt?.toISOString() ?? null,
    artifacts: [],
    errors: [],
  };
  const ask = async (what: string, call: () => Promise<ArtifactAnswer>): Promise<ArtifactAnswer | undefined> => {
    try {
      return await call();
    } catch (error) {
      // Refused credentials fail every call alike: the whole reconcile stops on them.
      if (error instanceof ProviderError && error.code === 'PROVIDER_UNAUTHORIZED') throw error;
      finding.errors.push(`${what}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const answers = await Promise.all(SESSION_CALLS.map(([what, call]) => ask(what, () => call(provider, session.sessionId))));
  for (const recording of recordings) answers.push(recording.video, ...(recording.audio ? [recording.audio] : []));

  const held: { artifact: ProviderArtifact; job: ArchiveJobData }[] = [];
  for (const answer of answers) {
    if (!answer) continue;
    const recordingId = answer.recordingId ? { recordingId: answer.recordingId } : {};
    if (!answer.held) {
      finding.artifacts.push({ kind: answer.kind, ...recordingId, outcome: 'not_held', reason: `${answer.reason}: ${answer.message}` });
      continue;
    }
    const job = jobFromProvider(session, answer, options.runId);
    if ('unusable' in job) finding.artifacts.push({ kind: answer.kind, ...recordingId, outcome: 'unusable', reason: job.unusable });
    else held.push({ artifact: answer, job });
  }
  if (held.length === 0) return finding;

  const existing = await jobs.find(held.map(({ job }) => job.artifact.jobId));
  const withoutJob = held.map(({ job }) => job.artifact.jobId).filter((id) => !existing.has(id));
  const archivedElsewhere = deps.archived && withoutJob.length > 0 ? await deps.archived.archivedJobIds(session.sessionId, withoutJob) : new Set<string>();
  const toAdd: ArchiveJobData[] = [];
  for (const { artifact, job } of held) {
    const jobId = job.artifact.jobId;
    const found = existing.get(jobId);
    const base: Omit<ArtifactFinding, 'outcome'> = {
      kind: artifact.kind,
      jobId,
      ...(artifact.recordingId ? { recordingId: artifact.recordingId } : {}),
      expiresAt: artifact.expiresAt?.toISOString() ?? null,
    };
    switch (archivedElsewhere.has(jobId) ? 'already_archived' : decide(found)) {
      case 'recover':
        toAdd.push(job);
        finding.artifacts.push({ ...base, outcome: 'recovered' });
        break;
      case 'retry': {
        const retried = options.dryRun || (await jobs.retry(job));
        finding.artifacts.push(retried ? { ...base, outcome: 'retried', reason: found?.failedReason ?? '' } : { ...base, outcome: 'pending' });
        break;
      }
      case 'failed':
        finding.artifacts.push({ ...base, outcome: 'failed', reason: found?.failedReason ?? '' });
        break;
      case 'already_archived':
        finding.artifacts.push({ ...base, outcome: 'already_archived' });
        break;
      case 'pending':
        finding.artifacts.push({ ...base, outcome: 'pending' });
        break;
    }
  }
  if (toAdd.length > 0 && !options.dryRun) await jobs.add(toAdd);
  return finding;
}
