import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRedis, createRegistry, sessionLedger, topicNames } from '../../shared/src/index.js';
import { alternate } from '../harness/alternate.js';
import { createTopics } from '../harness/create-topics.js';
import type { BenchContext } from '../harness/bench-context.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
import { cpuSecondsOf } from '../harness/process-meter.js';
import { obliterateQueues, timeJobsMade, waitingJobs } from '../harness/queues.js';
import { startBenchProgram, startDispatcher } from '../harness/service-process.js';
import { summarize } from '../harness/stats.js';
import { produceChatRecords } from '../workloads/chat-records.js';

interface Rep {
  perSecond: number;
  jobs: number;
  cpu: Record<string, number>;
}

const ADD_BULK_CHUNK = 1000;

/**
 * Dispatch: N meeting.chatSynced records already on Kafka turned into N BullMQ jobs by a fresh dispatcher (its
 * own consumer group and queue each repetition), timed from the first job in Redis to the last, against bare
 * BullMQ addBulk of the same jobs with the same options in chunks of 1000.
 */
export async function dispatchScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { settings, placement, progress } = ctx;
  const prefix = `bench-${ctx.runId}-d.`;
  const topics = topicNames(prefix);
  const redis = createRedis(ctx.redisUrl);
  const admin = ctx.kafka.admin();
  await admin.connect();
  const queues: string[] = [];
  const checks: Check[] = [];
  const dir = join(settings.workDir, `dispatch-${ctx.runId}`);
  mkdirSync(dir, { recursive: true });
  try {
    await createTopics(ctx.kafka, Object.values(topics));
    const jobs = await produceChatRecords(ctx.kafka, createRegistry(ctx.registryUrl), topics.meeting, settings.dispatchRecords);
    const jobsFile = join(dir, 'jobs.json');
    writeFileSync(jobsFile, JSON.stringify(jobs));
    progress(`  ${settings.dispatchRecords} meeting.chatSynced records on ${topics.meeting} (6 partitions), ${jobs.length} jobs expected`);

    const dispatcherRun = async (rep: number): Promise<Rep> => {
      const queue = `bench-${ctx.runId}-dispatch-${rep}`;
      queues.push(queue);
      const dispatcher = startDispatcher(ctx, placement.subjectCpu, { prefix, queue, groupId: `bench-${ctx.runId}-dispatchers-${rep}` });
      try {
        const { made, firstCount, seconds, cpuSeconds } = await timeJobsMade(redis, queue, jobs.length, {
          cpuSeconds: () => cpuSecondsOf(dispatcher.pid),
          failure: (count, timedOut) =>
            timedOut || dispatcher.child.exitCode !== null
              ? new Error(`dispatcher made ${count} of ${jobs.length} jobs: ${dispatcher.lines.slice(-5).join(' | ')}`)
              : undefined,
        });
        const cpu = { dispatcher: Math.round(cpuSeconds * 100) / 100 };
        checks.push({ name: `dispatch rep ${rep}: one job per record`, ok: made === jobs.length, detail: `${made} jobs for ${jobs.length} records` });
        return { perSecond: (made - firstCount) / seconds, jobs: made, cpu };
      } finally {
        await dispatcher.stop();
        await obliterateQueues(redis, queue);
      }
    };
    const addBulkRun = async (rep: number): Promise<Rep> => {
      const queue = `bench-${ctx.runId}-addbulk-${rep}`;
      queues.push(queue);
      const baseline = startBenchProgram('baselines/bare-add-bulk.ts', placement.subjectCpu, {
        QUEUE: queue,
        JOBS_FILE: jobsFile,
        CHUNK: String(ADD_BULK_CHUNK),
        REDIS_URL: ctx.redisUrl,
      });
      try {
        const done = await baseline.waitFor('done', 120_000);
        const count = await waitingJobs(redis, queue);
        checks.push({ name: `addBulk rep ${rep}: every job added`, ok: count === jobs.length, detail: `${count} of ${jobs.length}` });
        return { perSecond: Number(done.jobs) / Number(done.seconds), jobs: Number(done.jobs), cpu: { 'addBulk process': Math.round(Number(done.cpuSeconds) * 100) / 100 } };
      } finally {
        await baseline.exited;
        await obliterateQueues(redis, queue);
      }
    };
    const runs = await alternate<Rep>(
      [
        { name: 'dispatcher', run: dispatcherRun },
        { name: 'bare addBulk', run: addBulkRun },
      ],
      settings.reps,
      progress,
      { describe: (r) => `${Math.round(r.perSecond)} jobs/s (${r.jobs} jobs) cpu ${JSON.stringify(r.cpu)}` },
    );
    const subject = summarize((runs.dispatcher ?? []).map((r) => r.perSecond));
    const baseline = summarize((runs['bare addBulk'] ?? []).map((r) => r.perSecond));
    return {
      name: 'dispatch',
      figures: [
        figure('dispatch', 'Kafka records to BullMQ jobs per second', 'jobs/s', subject, `bare BullMQ addBulk (chunks of ${ADD_BULK_CHUNK})`, baseline, '>= 50% of bare addBulk', (ratio) => ratio >= 0.5),
      ],
      checks,
      cpu: Object.fromEntries(Object.entries(runs).map(([name, reps]) => [name, reps.map((r) => r.cpu)])),
      details: { topicPrefix: prefix, records: settings.dispatchRecords, jobs: jobs.length, runs },
    };
  } finally {
    for (const queue of queues) await obliterateQueues(redis, queue).catch(() => undefined);
    // The dispatchers keep a session ledger of the run's records too: it goes with the run's topics.
    await sessionLedger(redis, prefix).clear().catch(() => undefined);
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  }
}
