import type { Job } from 'bullmq';
import { meetingIndexKey, openArchiveQueues, parkedQueueName, sessionLedger, type ArchiveJobData, type SessionState } from '../../../shared/src/index.js';
import { NotFoundError, PartialFailureError, usageError } from '../cli-error.js';
import { stringFlag, type Command } from '../command.js';
import { artifactStatus, describe, type ArtifactStatus } from '../archive/artifact-status.js';
import { describeSession, sessionView } from '../archive/session-view.js';

export const archiveStatusCommand: Command = {
  name: 'archive status',
  summary: "what of a meeting's or a session's artifacts is archived, failed (and why) or pending (and how long its link lasts)",
  help: `Usage: dyte-bridge archive status MEETING_ID [--json]
       dyte-bridge archive status --session SESSION_ID [--json]

Lists every artifact (chat, transcript, summary, recording, recording audio) of the meeting the dispatcher turned
into a download job, from the queue in Redis ($REDIS_URL, $ARCHIVE_QUEUE): archived (where, size, SHA-256),
failed (the reason, e.g. EXPIRED or HTTP_403; for EXPIRED, why no fresh link was used, e.g. "EXPIRED (NOT_HELD)"),
downloading, retrying, or pending with the time left before its link expires, and how many fresh links the
provider API gave it ("link refreshed 2x"; linkRefreshes in --json). For a chat, transcript or summary: how its
content was published on the chat and transcript topics (stream COMPLETE / UNPARSEABLE / INCOMPLETE, records,
rejected rows), or how far publishing got while it is under way. Jobs are kept 30 days.

Then each session of the meeting from the session ledger (kept by the dispatchers, in Redis under $TOPIC_PREFIX,
and on the compacted sessions topic): when it started and ended, and each artifact announced for it, pending,
archived (where, size, SHA-256) or failed (reason). Artifacts whose events named no session are listed under the
session _no-session:<meeting id>.

Options:
  --session SESSION_ID    one session instead of a meeting: its ledger state, then its jobs
  --json                  one JSON object instead of text

Exit: 0 nothing failed; 1 some artifact failed; 2 bad arguments; 3 no artifact or session known (for the meeting or
the session); 69 Redis cannot be reached.`,
  options: { json: { type: 'boolean' }, session: { type: 'string' } },
  async run(args, context) {
    const sessionId = stringFlag(args, 'session');
    const meetingArg = args.positionals[0];
    if (sessionId !== undefined ? args.positionals.length > 0 || sessionId === '' : !meetingArg || args.positionals.length > 1) {
      throw usageError('archive status takes exactly one MEETING_ID, or --session SESSION_ID (see: dyte-bridge archive status --help)');
    }
    const redis = await context.redis();
    const queues = openArchiveQueues(redis, context.config.archiveQueue);
    const ledger = sessionLedger(redis, context.config.topicPrefix);
    const { archiveQueue } = context.config;
    try {
      // The jobs of a meeting, optionally only those of one ledger key (a session, or the meeting's placeholder).
      const jobsOf = async (meetingId: string, session?: SessionState): Promise<ArtifactStatus[]> => {
        const ids = (await redis.smembers(meetingIndexKey(archiveQueue, meetingId))).sort();
        const now = Date.now();
        const statuses: ArtifactStatus[] = [];
        for (const id of ids) {
          const job = (await queues.archive.getJob(id)) as Job<ArchiveJobData> | undefined;
          if (!job || (session && job.data.artifact.sessionId !== session.sessionId)) continue;
          statuses.push(artifactStatus(job, await job.getState(), now));
        }
        return statuses;
      };

      let statuses: ArtifactStatus[];
      let sessions: SessionState[];
      let what: string;
      if (sessionId !== undefined) {
        const state = await ledger.read(sessionId);
        if (!state) {
          throw new NotFoundError('SESSION_UNKNOWN', `no session ${sessionId} in the session ledger (unknown session, no event of it yet, or older than 30 days; a ledger lost with Redis comes back with 'dyte-bridge ledger rebuild')`);
        }
        sessions = [state];
        statuses = await jobsOf(state.meetingId, state);
        what = `session ${sessionId}`;
      } else {
        const meetingId = meetingArg as string;
        statuses = await jobsOf(meetingId);
        sessions = await ledger.sessionsOfMeeting(meetingId);
        what = `meeting ${meetingId}`;
      }
      const parkedCount = await queues.parked.count();
      const summary = countBy(statuses);
      const views = sessions.map(sessionView);
      if (args.values.json) {
        const head = sessionId !== undefined ? { sessionId, meetingId: sessions[0]?.meetingId } : { meetingId: meetingArg };
        context.out(JSON.stringify({ ...head, queue: archiveQueue, summary, artifacts: statuses, parkedInQueue: parkedCount, sessions: views }));
      } else {
        if (sessionId !== undefined) for (const view of views) for (const line of describeSession(view)) context.out(line);
        if (statuses.length > 0) {
          context.out(`${sessionId !== undefined ? `jobs of ${what}` : what}: ${statuses.length} artifact(s): ${Object.entries(summary).map(([s, n]) => `${n} ${s}`).join(', ')}`);
          for (const status of statuses) context.out(describe(status));
        }
        if (sessionId === undefined) for (const view of views) for (const line of describeSession(view)) context.out(line);
      }
      if (parkedCount > 0) {
        context.err(`note: ${parkedCount} record(s) are parked in ${parkedQueueName(archiveQueue)} (no meeting id or no link); see 'dyte-bridge requeue --parked'`);
      }
      if (statuses.length === 0 && sessions.length === 0) {
        throw new NotFoundError('MEETING_UNKNOWN', `no artifact of ${what} in queue ${archiveQueue} and no session in the ledger (unknown meeting, no artifact event yet, or older than 30 days)`);
      }
      // A job in the queue is the live word on its artifact (the ledger follows it by a moment); the ledger speaks
      // for artifacts whose job is gone (expired after 30 days, or lost with a Redis).
      const withJob = new Set(statuses.map((status) => status.jobId));
      const failedInLedger = views.flatMap((view) => view.artifacts).filter((a) => a.state === 'failed' && !withJob.has(a.jobId)).length;
      const failed = (summary.failed ?? 0) + failedInLedger;
      if (failed > 0) throw new PartialFailureError(`${failed} artifact(s) of ${what} failed`);
    } finally {
      await queues.close();
    }
  },
};

function countBy(statuses: ArtifactStatus[]): Partial<Record<ArtifactStatus['state'], number>> {
  const counts: Partial<Record<ArtifactStatus['state'], number>> = {};
  for (const status of statuses) counts[status.state] = (counts[status.state] ?? 0) + 1;
  return counts;
}
