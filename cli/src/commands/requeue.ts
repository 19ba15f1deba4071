import type { Job } from 'bullmq';
import {
  ARCHIVE_JOB_RECORD,
  createExpiryPriorities,
  meetingIndexKey,
  openArchiveQueues,
  parkedQueueName,
  type ArchiveJobData,
  type ParkedRecord,
} from '../../../shared/src/index.js';
import { createRecordDispatcher, enqueueDispatches } from '../../../services/dispatcher/src/index.js';
import { NotFoundError, PartialFailureError, usageError } from '../cli-error.js';
import { listFlag, parseTimeMicros, stringFlag, TIME_RULE, type Args, type Command } from '../command.js';
import type { CliContext } from '../context.js';
import { readRanges } from '../kafka/read-ranges.js';
import { resolveRanges } from '../kafka/topic-positions.js';

export const requeueCommand: Command = {
  name: 'requeue',
  summary: 'retry failed download jobs (an expired one only with a fresh link) or parked records',
  help: `Usage: dyte-bridge requeue (--job ID... | --meeting ID | --all-failed | --parked) [options]

Moves failed download jobs back to the queue with their attempts reset, to be fetched again by a downloader. A job
whose link expired fails again at once, so it is requeued only with a fresh link (--url and --expires-at, e.g.
from Dyte's REST API: GET /v2/sessions/{id}/chat), and only one job at a time; with the provider API configured,
'dyte-bridge reconcile --since ...' gives every such job of those sessions a fresh link and retries it. --parked
runs every parked record through the dispatcher again (after a fix, say): records that now give jobs leave the
parked queue, the others stay with their reason.

Options:
  --job ID                a failed job (repeatable); ids are shown by 'dyte-bridge archive status'
  --meeting ID            every failed job of a meeting
  --all-failed            every failed job of the queue
  --parked                every parked record
  --url URL               the fresh link of an expired job (with --expires-at, and a single --job)
  --expires-at TIME       when the fresh link expires, with its zone (ISO 8601, or Dyte's "2026-01-02 03:04:05.123456Z")
  --dry-run               say what would be requeued, change nothing

Exit: 0 everything selected was requeued; 1 some could not be (each is reported with why); 2 bad arguments;
3 nothing matched; 69 Redis, Kafka or the registry cannot be reached.`,
  options: {
    job: { type: 'string', multiple: true },
    meeting: { type: 'string' },
    'all-failed': { type: 'boolean' },
    parked: { type: 'boolean' },
    url: { type: 'string' },
    'expires-at': { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(args, context) {
    const jobIds = listFlag(args, 'job');
    const meeting = stringFlag(args, 'meeting');
    const selections = [jobIds.length > 0, meeting !== undefined, args.values['all-failed'] === true, args.values.parked === true].filter(Boolean).length;
    if (selections !== 1) throw usageError('choose exactly one of --job, --meeting, --all-failed, --parked (see: dyte-bridge requeue --help)');
    const fresh = freshLink(args, jobIds.length);
    if (args.values.parked) return requeueParked(context, args.values['dry-run'] === true);

    const redis = await context.redis();
    const queues = openArchiveQueues(redis, context.config.archiveQueue);
    const queue = queues.archive;
    const priorities = createExpiryPriorities(redis, queue);
    const problems: string[] = [];
    let requeued = 0;
    try {
      let jobs: (Job<ArchiveJobData> | string)[];
      if (jobIds.length > 0) {
        jobs = await Promise.all(jobIds.map(async (id) => (await queue.getJob(id)) ?? id));
      } else if (meeting !== undefined) {
        const ids = await redis.smembers(meetingIndexKey(context.config.archiveQueue, meeting));
        const all = (await Promise.all(ids.map((id) => queue.getJob(id)))).filter((job): job is Job<ArchiveJobData> => job !== undefined);
        jobs = (await Promise.all(all.map(async (job) => ((await job.getState()) === 'failed' ? job : undefined)))).filter((j): j is Job<ArchiveJobData> => j !== undefined);
      } else {
        jobs = await queue.getFailed(0, -1);
      }
      if (jobs.length === 0) throw new NotFoundError('NOTHING_TO_REQUEUE', 'no failed job matched');
      for (const job of jobs) {
        if (typeof job === 'string') {
          problems.push(`${job}: no such job in queue ${context.config.archiveQueue}`);
          continue;
        }
        const state = await job.getState();
        if (state !== 'failed') {
          problems.push(`${job.id}: it is ${state === 'completed' ? 'archived' : state}; only failed jobs are requeued`);
          continue;
        }
        const expired = job.failedReason?.startsWith('EXPIRED') || (job.data.expiresAt !== null && job.data.expiresAt <= Date.now() * 1000);
        if (expired && !fresh) {
          problems.push(
            `${job.id}: its link expired; requeue it with a fresh one: --job ${job.id} --url URL --expires-at TIME, or let 'dyte-bridge reconcile' (provider API) give it one`,
          );
          continue;
        }
        if (args.values['dry-run']) {
          context.out(`would requeue ${job.id} (${job.data.artifact.kind}, failed: ${job.failedReason})`);
          requeued++;
          continue;
        }
        if (fresh) await job.updateData({ ...job.data, url: fresh.url, expiresAt: fresh.expiresAtMicros });
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        // The retry put the job back with the priority it had; its link and the scale's bases may have moved since.
        await priorities.reprioritize([job.data.artifact.jobId]);
        context.out(`requeued ${job.id} (${job.data.artifact.kind}; it had failed: ${job.failedReason ?? '?'})`);
        requeued++;
      }
    } finally {
      await queues.close();
    }
    for (const problem of problems) context.err(`not requeued: ${problem}`);
    context.err(`${requeued} job(s) ${args.values['dry-run'] ? 'would be ' : ''}requeued, ${problems.length} not`);
    if (problems.length > 0) throw new PartialFailureError(`${problems.length} job(s) were not requeued`);
  },
};

function freshLink(args: Args, jobCount: number): { url: string; expiresAtMicros: number } | undefined {
  const url = stringFlag(args, 'url');
  const expiresAt = stringFlag(args, 'expires-at');
  if (url === undefined && expiresAt === undefined) return undefined;
  if (url === undefined || expiresAt === undefined) throw usageError('--url and --expires-at go together');
  if (jobCount !== 1) throw usageError('a fresh link (--url) is for exactly one --job');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`--url is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw usageError(`--url must be http(s) (got ${parsed.protocol})`);
  const expiresAtMicros = parseTimeMicros(expiresAt);
  if (expiresAtMicros === undefined) throw usageError(`--expires-at must be ${TIME_RULE} (got ${JSON.stringify(expiresAt)})`);
  if (expiresAtMicros <= Date.now() * 1000) throw usageError(`--expires-at ${expiresAt} is already past: the link would be refused at once`);
  return { url, expiresAtMicros };
}

/** Runs each parked record through the dispatcher again: those that now give jobs are enqueued and unparked. */
async function requeueParked(context: CliContext, dryRun: boolean): Promise<void> {
  const redis = await context.redis();
  const queues = openArchiveQueues(redis, context.config.archiveQueue);
  const problems: string[] = [];
  let unparked = 0;
  try {
    const records = await queues.parked.getWaiting(0, -1);
    if (records.length === 0) throw new NotFoundError('NOTHING_TO_REQUEUE', `no record is parked in ${parkedQueueName(context.config.archiveQueue)}`);
    const dispatch = createRecordDispatcher({ registry: context.registry(), jobType: context.catalog().type(ARCHIVE_JOB_RECORD) });
    const target = { queue: queues.archive, parked: queues.parked, redis, archiveQueue: context.config.archiveQueue, jobAttempts: context.config.jobAttempts };
    // One read per partition, over the span of its parked offsets.
    const byPartition = new Map<string, Job<ParkedRecord>[]>();
    for (const record of records) {
      const key = `${record.data.topic}:${record.data.partition}`;
      byPartition.set(key, [...(byPartition.get(key) ?? []), record]);
    }
    for (const group of byPartition.values()) {
      const first = group[0]!.data;
      const offsets = new Map(group.map((record) => [record.data.offset, record]));
      const sorted = group.map((r) => BigInt(r.data.offset)).sort((a, b) => (a < b ? -1 : 1));
      const seen = new Set<string>();
      const ranges = await resolveRanges(context.kafka(), first.topic, {
        from: { offset: sorted[0]! },
        to: { offset: sorted.at(-1)! + 1n },
        partition: first.partition,
      });
      await readRanges(context.kafka(), ranges, async (message) => {
        const record = offsets.get(message.offset);
        if (!record) return;
        seen.add(message.offset);
        const result = await dispatch(message, first.topic, first.partition);
        if ('parked' in result) {
          problems.push(`${first.topic}[${first.partition}]@${message.offset}: still parked: ${result.parked}`);
          return;
        }
        if (!dryRun) {
          await enqueueDispatches(target, result.jobs, []);
          await record.remove();
        }
        unparked++;
        context.out(`${dryRun ? 'would unpark' : 'unparked'} ${first.topic}[${first.partition}]@${message.offset}: ${result.jobs.length} job(s)`);
      });
      for (const offset of offsets.keys()) {
        if (!seen.has(offset)) problems.push(`${first.topic}[${first.partition}]@${offset}: no longer on Kafka (retention)`);
      }
    }
  } finally {
    await queues.close();
  }
  for (const problem of problems) context.err(`not requeued: ${problem}`);
  context.err(`${unparked} parked record(s) ${dryRun ? 'would be ' : ''}requeued, ${problems.length} not`);
  if (problems.length > 0) throw new PartialFailureError(`${problems.length} parked record(s) were not requeued`);
}
