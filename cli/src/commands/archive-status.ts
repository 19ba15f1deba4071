import { meetingIndexKey, openArchiveQueues, parkedQueueName } from '../../../shared/src/index.js';
import { NotFoundError, PartialFailureError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { artifactStatus, describe, type ArtifactStatus } from '../archive/artifact-status.js';

export const archiveStatusCommand: Command = {
  name: 'archive status',
  summary: "what of a meeting's artifacts is archived, failed (and why) or pending (and how long its link lasts)",
  help: `Usage: dyte-bridge archive status MEETING_ID [--json]

Lists every artifact (chat, transcript, summary, recording, recording audio) of the meeting the dispatcher turned
into a download job, from the queue in Redis ($REDIS_URL, $ARCHIVE_QUEUE): archived (where, size, SHA-256),
failed (the reason, e.g. EXPIRED or HTTP_403; for EXPIRED, why no fresh link was used, e.g. "EXPIRED (NOT_HELD)"),
downloading, retrying, or pending with the time left before its link expires, and how many fresh links the
provider API gave it ("link refreshed 2x"; linkRefreshes in --json). Jobs are kept 30 days.

Options:
  --json                  one JSON object instead of text

Exit: 0 nothing failed; 1 some artifact failed; 2 bad arguments; 3 no artifact known for the meeting;
69 Redis cannot be reached.`,
  options: { json: { type: 'boolean' } },
  async run(args, context) {
    const meetingId = args.positionals[0];
    if (!meetingId || args.positionals.length > 1) throw usageError('archive status takes exactly one MEETING_ID (see: dyte-bridge archive status --help)');
    const redis = await context.redis();
    const queues = openArchiveQueues(redis, context.config.archiveQueue);
    try {
      const ids = (await redis.smembers(meetingIndexKey(context.config.archiveQueue, meetingId))).sort();
      const now = Date.now();
      const statuses: ArtifactStatus[] = [];
      for (const id of ids) {
        const job = await queues.archive.getJob(id);
        if (job) statuses.push(artifactStatus(job, await job.getState(), now));
      }
      const parkedCount = await queues.parked.count();
      const summary = countBy(statuses);
      if (args.values.json) {
        context.out(JSON.stringify({ meetingId, queue: context.config.archiveQueue, summary, artifacts: statuses, parkedInQueue: parkedCount }));
      } else if (statuses.length > 0) {
        context.out(`meeting ${meetingId}: ${statuses.length} artifact(s): ${Object.entries(summary).map(([s, n]) => `${n} ${s}`).join(', ')}`);
        for (const status of statuses) context.out(describe(status));
      }
      if (parkedCount > 0) {
        context.err(`note: ${parkedCount} record(s) are parked in ${parkedQueueName(context.config.archiveQueue)} (no meeting id or no link); see 'dyte-bridge requeue --parked'`);
      }
      if (statuses.length === 0) {
        throw new NotFoundError('MEETING_UNKNOWN', `no artifact of meeting ${meetingId} in queue ${context.config.archiveQueue} (unknown meeting, no artifact event yet, or older than 30 days)`);
      }
      if (summary.failed) throw new PartialFailureError(`${summary.failed} artifact(s) of meeting ${meetingId} failed`);
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
