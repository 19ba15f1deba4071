import { ARCHIVE_JOB_RECORD, ARTIFACT_EVENT_TOPICS, openArchiveQueues, type ArchiveJobData, type ParkedRecord } from '../../../shared/src/index.js';
import { createRecordDispatcher, enqueueDispatches } from '../../../services/dispatcher/src/index.js';
import { integerFlag, listFlag, stringFlag, type Command } from '../command.js';
import { readRanges } from '../kafka/read-ranges.js';
import { parsePosition, resolveRanges, type PartitionRange } from '../kafka/topic-positions.js';

export const replayArchiveCommand: Command = {
  name: 'replay archive',
  summary: 're-dispatch archive jobs from a range of the meeting and recording topics',
  help: `Usage: dyte-bridge replay archive [options]

For recovery (Redis lost its queue, a dispatcher bug since fixed ...): reads a range of records and adds the
download jobs they call for, exactly as the dispatcher does. Jobs that still exist (pending, archived or failed)
are left as they are: job ids make a second add a no-op, so replaying too much is safe. Records that cannot give
a job are parked with their reason. Reads in a throwaway consumer group: the dispatchers' offsets never move.

Options:
  --topic T               a topic or resource to read (repeatable; default: meeting and recording)
  --partition N           only partition N
  --from POS              beginning (default), an offset, or an ISO 8601 time with its zone
  --to POS                end (default: the end as of now), an offset, or an ISO 8601 time with its zone (exclusive)
  --dry-run               read and count, add nothing

Exit: 0 done; 2 bad arguments; 3 no such topic; 69 Kafka, the registry or Redis cannot be reached.`,
  options: {
    topic: { type: 'string', multiple: true },
    partition: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(args, context) {
    const topicArgs = listFlag(args, 'topic');
    const topics = (topicArgs.length > 0 ? topicArgs : ARTIFACT_EVENT_TOPICS).map((t) =>
      t in context.topics ? context.topics[t as keyof typeof context.topics] : t,
    );
    const from = parsePosition('from', stringFlag(args, 'from') ?? 'beginning');
    const to = parsePosition('to', stringFlag(args, 'to') ?? 'end');
    const partition = integerFlag(args, 'partition');
    const ranges: PartitionRange[] = [];
    for (const topic of topics) ranges.push(...(await resolveRanges(context.kafka(), topic, { from, to, partition })));
    const total = ranges.reduce((sum, r) => sum + (r.end !== undefined && r.end > r.start ? Number(r.end - r.start) : 0), 0);
    context.err(`reading ${total} record(s) of ${topics.join(', ')}`);

    const dispatch = createRecordDispatcher({ registry: context.registry(), jobType: context.catalog().type(ARCHIVE_JOB_RECORD) });
    const redis = await context.redis();
    const queues = openArchiveQueues(redis, context.config.archiveQueue);
    const target = { queue: queues.archive, parked: queues.parked, redis, archiveQueue: context.config.archiveQueue, jobAttempts: context.config.jobAttempts };
    const counts = { records: 0, jobs: 0, added: 0, existing: 0, parked: 0 };
    let jobs: ArchiveJobData[] = [];
    let parkedRecords: ParkedRecord[] = [];
    const flush = async () => {
      // Duplicate webhooks give the same job twice: only its first copy can be new.
      const unique = [...new Map(jobs.map((job) => [job.artifact.jobId, job])).values()];
      counts.existing += jobs.length - unique.length;
      jobs = unique;
      // One round trip for the whole batch: which of its jobs exist already.
      const exists = jobs.length > 0 ? await redis.pipeline(jobs.map((job) => ['exists', queues.archive.toKey(job.artifact.jobId)])).exec() : [];
      for (const [, found] of exists ?? []) {
        if (found === 1) counts.existing++;
        else counts.added++;
      }
      if (!args.values['dry-run']) await enqueueDispatches(target, jobs, parkedRecords);
      jobs = [];
      parkedRecords = [];
    };
    let lastProgress = Date.now();
    try {
      await readRanges(context.kafka(), ranges, async (message, topic, p) => {
        counts.records++;
        const result = await dispatch(message, topic, p);
        if ('parked' in result) {
          counts.parked++;
          parkedRecords.push({ topic, partition: p, offset: message.offset, reason: result.parked });
        } else {
          counts.jobs += result.jobs.length;
          jobs.push(...result.jobs);
        }
        if (jobs.length + parkedRecords.length >= 500) await flush();
        if (Date.now() - lastProgress > 2000) {
          lastProgress = Date.now();
          context.err(`  ${counts.records}/${total} records read, ${counts.jobs} artifact job(s) so far`);
        }
      });
      await flush();
    } finally {
      await queues.close();
    }
    const verb = args.values['dry-run'] ? 'dry run: would add' : 'added';
    context.out(
      `read ${counts.records} record(s): ${counts.jobs} artifact job(s), ${verb} ${counts.added}, ${counts.existing} already known; ${counts.parked} parked`,
    );
  },
};
