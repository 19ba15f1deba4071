import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRedis, createRegistry, sessionLedger, topicNames } from '../../shared/src/index.js';
import { alternate } from '../harness/alternate.js';
import { createTopics } from '../harness/create-topics.js';
import type { BenchContext } from '../harness/bench-context.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
import type { PinnedProcess } from '../harness/pinned-process.js';
import { cpuSecondsOf } from '../harness/process-meter.js';
import { obliterateQueues, timeJobsMade, waitingJobs } from '../harness/queues.js';
import { startBenchProgram, startDispatcher } from '../harness/service-process.js';
import { summarize } from '../harness/stats.js';
import { encodeChatRecords, sendRecords } from '../workloads/chat-records.js';

interface Rep {
  perSecond: number;
  jobs: number;
  /** CPU seconds of the contender's processes (all replicas) while the jobs were made. */
  cpuSeconds: number;
  /** Dispatchers: how long sending the records took (well under the dispatch time, or the sender set the pace). */
  sendSeconds?: number;
}

const ADD_BULK_CHUNK = 1000;

/**
 * How the dispatchers grow with replicas: 1 dispatcher (subject CPU) against 2 in one consumer group (one per CPU,
 * each pinned), beside bare BullMQ addBulk from 1 and 2 processes (each half the jobs, started together) placed the
 * same way, all alternated in one run. Each fleet (1 or 2 dispatchers) has its own topics, group and queue and keeps
 * running from one repetition to the next, its group settled (with records already waiting, the first replica up
 * would take them all before the second joined): a repetition sends fresh records (new sessions) to its topic and
 * times the first job in Redis to the last, then empties the queue. On a 2-CPU machine the second replica shares its
 * CPU with the runner sending the records, Kafka and the registry, so the 2-replica figures are a lower bound of
 * what a second core gives; CPU per job (all replicas' CPU / jobs) is the figure placement distorts least.
 */
export async function dispatchScaleScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { settings, placement, progress } = ctx;
  const cpus = [placement.subjectCpu, placement.loadCpu];
  const runPrefix = `bench-${ctx.runId}-ds`;
  const registry = createRegistry(ctx.registryUrl);
  const redis = createRedis(ctx.redisUrl);
  const admin = ctx.kafka.admin();
  await admin.connect();
  const queues: string[] = [];
  const prefixes: string[] = [];
  const processes: PinnedProcess[] = [];
  const checks: Check[] = [];
  const dir = join(settings.workDir, `dispatch-scale-${ctx.runId}`);
  mkdirSync(dir, { recursive: true });
  try {
    const count = settings.dispatchRecords;
    const { jobs } = await encodeChatRecords(registry, topicNames(`${runPrefix}.`).meeting, count);
    // One jobs file per addBulk process: the jobs dealt out in turn.
    const jobsFiles = [1, 2].map((processCount) =>
      Array.from({ length: processCount }, (_unused, i) => {
        const file = join(dir, `jobs-${processCount}-${i}.json`);
        writeFileSync(file, JSON.stringify(jobs.filter((_job, n) => n % processCount === i)));
        return file;
      }),
    );

    const startFleet = async (replicas: number) => {
      const prefix = `${runPrefix}-x${replicas}.`;
      const queue = `${runPrefix}-x${replicas}`;
      prefixes.push(prefix);
      queues.push(queue);
      await createTopics(ctx.kafka, Object.values(topicNames(prefix)));
      const dispatchers = cpus.slice(0, replicas).map((cpu) => {
        const proc = startDispatcher(ctx, cpu, { prefix, queue, groupId: `${runPrefix}-x${replicas}-dispatchers` });
        processes.push(proc);
        return proc;
      });
      // A member's join completes only once every member already in the group has joined again: when all log
      // 'consuming', they share the partitions.
      await Promise.all(dispatchers.map((d) => d.waitFor('consuming', 120_000)));
      return { replicas, prefix, queue, dispatchers };
    };
    const fleets = [await startFleet(1), await startFleet(2)];
    progress(`  ${count} meeting.chatSynced records per repetition, ${jobs.length} jobs expected; dispatchers on CPU ${cpus.join(' and ')}`);

    let batch = 0;
    const dispatchersRun = ({ replicas, prefix, queue, dispatchers }: (typeof fleets)[number]) => async (rep: number): Promise<Rep> => {
      // New sessions every time: the same records again would be the same jobs, and the ledger knows their sessions.
      const { messages } = await encodeChatRecords(registry, topicNames(prefix).meeting, count, ++batch * count);
      const cpuBefore = dispatchers.map((d) => cpuSecondsOf(d.pid));
      const cpuOf = () => dispatchers.reduce((sum, d) => sum + cpuSecondsOf(d.pid), 0);
      // Caught at once (an unhandled rejection would end the run) and rethrown by the loop that waits for the jobs.
      let sendFailed: { error: unknown } | undefined;
      const sendStarted = performance.now();
      let sendSeconds = NaN;
      const sent = sendRecords(ctx.kafka, topicNames(prefix).meeting, messages).then(
        () => void (sendSeconds = (performance.now() - sendStarted) / 1000),
        (error: unknown) => void (sendFailed = { error }),
      );
      try {
        const { made, firstCount, seconds, cpuSeconds } = await timeJobsMade(redis, queue, count, {
          cpuSeconds: cpuOf,
          failure: (jobs, timedOut) =>
            sendFailed
              ? (sendFailed.error as Error)
              : timedOut || dispatchers.some((d) => d.child.exitCode !== null)
                ? new Error(`dispatchers made ${jobs} of ${count} jobs: ${dispatchers.flatMap((d) => d.lines.slice(-3)).join(' | ')}`)
                : undefined,
        });
        checks.push({ name: `dispatch x${replicas} rep ${rep}: one job per record`, ok: made === count, detail: `${made} jobs for ${count} records` });
        if (replicas > 1) {
          // Both replicas must have worked: each its share of the partitions, not one taking every record.
          const byReplica = dispatchers.map((d, i) => Math.round((cpuSecondsOf(d.pid) - (cpuBefore[i] ?? 0)) * 100) / 100);
          const share = Math.min(...byReplica) / byReplica.reduce((a, b) => a + b, 0);
          checks.push({ name: `dispatch x${replicas} rep ${rep}: every replica dispatched`, ok: share > 0.2, detail: `CPU s by replica: ${byReplica.join(', ')}` });
        }
        await sent;
        return { perSecond: (made - firstCount) / seconds, jobs: made, cpuSeconds, sendSeconds };
      } finally {
        await sent;
        await obliterateQueues(redis, queue);
      }
    };
    const addBulkRun = (processes: number) => async (rep: number): Promise<Rep> => {
      const queue = `${runPrefix}-addbulk-x${processes}-${rep}`;
      queues.push(queue);
      // Started together once each is connected: 2 s is ample for a node process to connect to Redis.
      const startAt = String(Date.now() + 2000);
      const baselines = (jobsFiles[processes - 1] ?? []).map((file, i) =>
        startBenchProgram('baselines/bare-add-bulk.ts', cpus[i] as number, { QUEUE: queue, JOBS_FILE: file, CHUNK: String(ADD_BULK_CHUNK), REDIS_URL: ctx.redisUrl, START_AT: startAt }),
      );
      try {
        const done = await Promise.all(baselines.map((b) => b.waitFor('done', 120_000)));
        const added = await waitingJobs(redis, queue);
        checks.push({ name: `addBulk x${processes} rep ${rep}: every job added`, ok: added === jobs.length, detail: `${added} of ${jobs.length}` });
        const seconds = (Math.max(...done.map((d) => Number(d.endedAt))) - Math.min(...done.map((d) => Number(d.startedAt)))) / 1000;
        return { perSecond: added / seconds, jobs: added, cpuSeconds: done.reduce((sum, d) => sum + Number(d.cpuSeconds), 0) };
      } finally {
        await Promise.all(baselines.map((b) => b.exited));
        await obliterateQueues(redis, queue);
      }
    };
    const runs = await alternate<Rep>(
      [
        { name: 'dispatcher x1', run: dispatchersRun(fleets[0] as (typeof fleets)[number]) },
        { name: 'dispatcher x2', run: dispatchersRun(fleets[1] as (typeof fleets)[number]) },
        { name: 'bare addBulk x1', run: addBulkRun(1) },
        { name: 'bare addBulk x2', run: addBulkRun(2) },
      ],
      settings.reps,
      progress,
      {
        describe: (r) =>
          `${Math.round(r.perSecond)} jobs/s (${r.jobs} jobs), CPU ${((r.cpuSeconds * 1e6) / r.jobs).toFixed(1)} us per job${r.sendSeconds === undefined ? '' : `, records sent in ${r.sendSeconds.toFixed(2)} s`}`,
      },
    );
    const rate = (name: string) => summarize((runs[name] ?? []).map((r) => r.perSecond));
    const cpuPer = (name: string) => summarize((runs[name] ?? []).map((r) => (r.cpuSeconds * 1e6) / r.jobs));
    return {
      name: 'dispatch-scale',
      figures: [
        figure('dispatch-scale', 'jobs/s, 2 dispatchers (one per CPU) vs 1', 'jobs/s', rate('dispatcher x2'), 'dispatcher x1', rate('dispatcher x1'), 'informative (the second shares its CPU with the load)', () => null),
        figure('dispatch-scale', 'jobs/s, bare addBulk 2 processes vs 1', 'jobs/s', rate('bare addBulk x2'), 'bare addBulk x1', rate('bare addBulk x1'), 'informative (the same placement)', () => null),
        figure('dispatch-scale', 'jobs/s, 2 dispatchers vs 2 bare addBulk', 'jobs/s', rate('dispatcher x2'), 'bare addBulk x2', rate('bare addBulk x2'), 'informative', () => null),
        figure('dispatch-scale', 'CPU per job, 2 dispatchers vs 1', 'us', cpuPer('dispatcher x2'), 'dispatcher x1', cpuPer('dispatcher x1'), 'informative (lower is better)', () => null),
        figure('dispatch-scale', 'CPU per job, 2 dispatchers vs 2 bare addBulk', 'us', cpuPer('dispatcher x2'), 'bare addBulk x2', cpuPer('bare addBulk x2'), 'informative (lower is better)', () => null),
      ],
      checks,
      cpu: Object.fromEntries(Object.entries(runs).map(([name, reps]) => [name, reps.map((r) => ({ [name.startsWith('dispatcher') ? 'dispatchers' : 'addBulk processes']: r.cpuSeconds }))])),
      details: { topicPrefix: runPrefix, records: settings.dispatchRecords, jobs: jobs.length, cpus, runs },
    };
  } finally {
    for (const proc of processes) await proc.stop();
    for (const queue of queues) await obliterateQueues(redis, queue).catch(() => undefined);
    for (const prefix of prefixes) {
      // The dispatchers keep a session ledger of the run's records too: it goes with the run's topics.
      await sessionLedger(redis, prefix).clear().catch(() => undefined);
      await admin.deleteTopics({ topics: Object.values(topicNames(prefix)) }).catch(() => undefined);
    }
    await admin.disconnect();
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  }
}
