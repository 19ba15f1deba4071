import { openArchiveQueues, providerTarget, sessionLedger, type ArchiveQueues } from '../../../shared/src/index.js';
import {
  ledgerSources,
  queueJobStore,
  reconcile,
  type ArtifactFinding,
  type ReconcileReport,
  type SessionFinding,
} from '../../../services/dispatcher/src/index.js';
import { PartialFailureError, usageError } from '../cli-error.js';
import { parseTime, stringFlag, TIME_RULE, type Command } from '../command.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** `72h`, `30m`, `7d`, `90s` before `now`, or a time with its zone (TIME_RULE); anything else is a usage error naming the flag. */
export function parseWhen(flag: string, value: string, now: number): Date {
  const ago = /^(\d+)([smhd])$/.exec(value);
  if (ago) return new Date(now - Number(ago[1]) * (UNITS[ago[2] as string] as number));
  const time = parseTime(value);
  if (!time) throw usageError(`--${flag} must be a duration back from now (72h, 30m, 7d) or ${TIME_RULE} (got ${JSON.stringify(value)})`);
  return time;
}

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'add jobs for what the provider still holds and the fleet has neither archived nor pending',
  help: `Usage: dyte-bridge reconcile [--since 72h] [--until TIME] [--dry-run] [--json]

Asks the provider's API ($PROVIDER: realtimekit or dyte, with its credentials) for the sessions that started in the
window, and for each one its chat, transcript, summary and recordings. Every artifact the provider holds that has
no download job in $ARCHIVE_QUEUE gets one, with the same job id a webhook would have given it, so nothing is
fetched twice; a job that failed for good on a dead link (EXPIRED, HTTP_403 ...) is retried with the fresh link.
Archived and pending artifacts (and those the session ledger knows archived) are left alone. Live sessions are
skipped. This is what the dispatchers' periodic sweep does (RECONCILE_INTERVAL_SECONDS), once, now. Requests count
against the budget the fleet shares (PROVIDER_RATE_LIMIT): about 3 per session and 1 per 50 recordings.

Prints, per session, how many artifacts the provider holds, how many are archived, pending, added; then totals;
then the sessions whose ledger shows an artifact announced before --until and never archived. With PROVIDER=none
only those are reported. Progress goes to stderr.

Options:
  --since WHEN            start of the window: a duration back from now (72h, 30m, 7d) or an ISO 8601 time with its zone
                          (default 72h; the provider keeps files 7 days)
  --until WHEN            end of the window, the same forms (default: now)
  --dry-run               find and report, add and retry nothing
  --json                  one JSON object (the whole report) instead of text

Exit: 0 done, nothing left behind; 1 some provider calls failed, artifacts failed for a reason a fresh link cannot
fix, or (with PROVIDER=none) the ledger shows sessions not archived (each reported); 2 bad arguments; 69 Redis or the provider's API
cannot be reached (or throttles past PROVIDER_MAX_WAIT_MS); 78 the provider is half-configured, or refused the
credentials.`,
  options: {
    since: { type: 'string' },
    until: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(args, context) {
    if (args.positionals.length > 0) throw usageError('reconcile takes no positional argument (see: dyte-bridge reconcile --help)');
    const now = Date.now();
    const since = parseWhen('since', stringFlag(args, 'since') ?? '72h', now);
    const until = stringFlag(args, 'until') === undefined ? new Date(now) : parseWhen('until', stringFlag(args, 'until') as string, now);
    if (since >= until) throw usageError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`);
    const dryRun = args.values['dry-run'] === true;
    const json = args.values.json === true;
    // Checked before connecting anywhere: a half-configured provider is a setting to fix.
    providerTarget(context.config);

    const redis = await context.redis();
    const provider = await context.provider();
    const ledger = ledgerSources(sessionLedger(redis, context.config.topicPrefix));
    const queues: ArchiveQueues = openArchiveQueues(redis, context.config.archiveQueue);
    context.err(
      provider
        ? `${dryRun ? 'dry run: ' : ''}reconciling sessions started ${since.toISOString()} .. ${until.toISOString()} with ${provider.description}`
        : 'no provider API (PROVIDER=none): only the session ledger is read; set PROVIDER and its credentials to find what no webhook announced',
    );
    let lastProgress = Date.now();
    let added = 0;
    let report: ReconcileReport;
    try {
      report = await reconcile(
        {
          ...(provider ? { provider } : {}),
          incompleteSessions: ledger.incompleteSessions,
          archived: ledger.archived,
          jobs: queueJobStore({ queues, redis, archiveQueue: context.config.archiveQueue, jobAttempts: context.config.jobAttempts }),
          onSession: (finding, progress) => {
            added += finding.artifacts.filter((a) => a.outcome === 'recovered' || a.outcome === 'retried').length;
            if (!json) for (const line of describeSession(finding, dryRun)) context.out(line);
            if (Date.now() - lastProgress > 2000) {
              lastProgress = Date.now();
              context.err(`  ${progress.done}${progress.total !== null ? `/${progress.total}` : ''} session(s) looked at, ${added} artifact(s) ${dryRun ? 'to add' : 'added'} so far`);
            }
          },
        },
        { since, until, settledBefore: until, dryRun, runId: `reconcile:cli:${new Date(now).toISOString()}` },
      );
    } finally {
      await queues.close();
    }
    if (json) context.out(JSON.stringify(report));
    else for (const line of describeTotals(report)) context.out(line);
    const left = report.totals.failed + report.totals.unusable;
    const problems = [
      ...(report.sessionsWithErrors > 0 ? [`provider calls failed for ${report.sessionsWithErrors} session(s)`] : []),
      ...(left > 0 ? [`${left} artifact(s) the provider holds cannot be archived without an operator`] : []),
      // With the provider's view the ledger's list is for information (what it lists pending is on its way); without
      // it, the list is all there is to go by.
      ...(!provider && report.incomplete && report.incomplete.length > 0 ? [`${report.incomplete.length} session(s) have artifacts announced and never archived`] : []),
    ];
    if (problems.length > 0) throw new PartialFailureError(problems.join('; '));
  },
};

const VERBS: Record<ArtifactFinding['outcome'], [string, string]> = {
  recovered: ['added', 'would add'],
  retried: ['retried', 'would retry'],
  already_archived: ['archived', 'archived'],
  pending: ['pending', 'pending'],
  failed: ['failed', 'failed'],
  not_held: ['not held', 'not held'],
  unusable: ['unusable', 'unusable'],
};

function count(artifacts: ArtifactFinding[], outcome: ArtifactFinding['outcome']): number {
  return artifacts.filter((a) => a.outcome === outcome).length;
}

/** A session's line (what the provider holds, and what of it is archived, pending, added), then a line per artifact that needed or needs something. */
function describeSession(finding: SessionFinding, dryRun: boolean): string[] {
  const a = finding.artifacts;
  const held = a.filter((x) => x.outcome !== 'not_held').length;
  const verb = (outcome: ArtifactFinding['outcome']) => VERBS[outcome][dryRun ? 1 : 0];
  const parts = (['already_archived', 'pending', 'recovered', 'retried', 'failed', 'unusable'] as const)
    .filter((outcome) => count(a, outcome) > 0)
    .map((outcome) => `${count(a, outcome)} ${verb(outcome)}`);
  const lines = [
    `session ${finding.sessionId} (meeting ${finding.meetingId ?? '?'}, ended ${finding.endedAt ?? '?'}): ${held} held${parts.length > 0 ? `: ${parts.join(', ')}` : ''}` +
      (finding.errors.length > 0 ? `; ${finding.errors.length} provider call(s) failed` : ''),
  ];
  for (const artifact of a.filter((x) => ['recovered', 'retried', 'failed', 'unusable'].includes(x.outcome))) {
    const link = artifact.expiresAt ? `  fresh link until ${artifact.expiresAt}` : '';
    const reason = artifact.reason ? `  (${artifact.reason})` : '';
    lines.push(`  ${verb(artifact.outcome).padEnd(11)} ${artifact.kind.padEnd(15)} ${artifact.jobId ?? artifact.recordingId ?? '?'}${link}${reason}`);
  }
  for (const error of finding.errors) lines.push(`  error       ${error}`);
  return lines;
}

function describeTotals(report: ReconcileReport): string[] {
  const t = report.totals;
  const held = t.recovered + t.retried + t.already_archived + t.pending + t.failed + t.unusable;
  const would = report.dryRun ? 'would add' : 'added';
  const lines = [];
  if (report.provider !== null) {
    lines.push(
      `${report.dryRun ? 'dry run: ' : ''}${report.sessions.length} session(s) started ${report.since} .. ${report.until}: ${held} artifact(s) held by the provider: ` +
        `${t.already_archived} already archived, ${t.pending} pending, ${would} ${t.recovered}, ${report.dryRun ? 'would retry' : 'retried'} ${t.retried}, ` +
        `${t.failed} failed (see dyte-bridge requeue), ${t.unusable} unusable; ${t.not_held} not held; ` +
        `skipped ${report.skipped.live} live and ${report.skipped.recent} just ended; provider calls failed for ${report.sessionsWithErrors} session(s)` +
        (report.aborted ? '; stopped before the end' : ''),
    );
  }
  if (report.incomplete) {
    lines.push(`${report.incomplete.length} session(s) with artifacts announced and never archived (from the session ledger):`);
    for (const session of report.incomplete) {
      lines.push(`  session ${session.sessionId} (meeting ${session.meetingId ?? '?'}): ${session.artifacts.map((x) => `${x.jobId} ${x.state}${x.reason ? ` (${x.reason})` : ''}`).join(', ')}`);
    }
  }
  return lines;
}
