import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { enqueueDispatches } from '../../services/dispatcher/src/index.js';
import { archiveJobOptions, createExpiryPriorities, meetingIndexKey, nextBases, openArchiveQueues, type ArchiveJobData } from '../../shared/src/index.js';
import { alternate } from '../harness/alternate.js';
import type { BenchContext } from '../harness/bench-context.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
import { meterCpu } from '../harness/process-meter.js';
import { startDownloaderRig } from '../harness/downloader-rig.js';
import { summarize } from '../harness/stats.js';
import { deadlineWorkload, type DeadlineShape } from '../workloads/deadline-workload.js';
import { DEPTH_SHAPES, repriceAtDepth, type DepthRep } from './deadlines-depth.js';

interface Rep {
  /** Percent of all artifacts archived before their link expired. */
  sharePercent: number;
  urgentInTime: number;
  urgent: number;
  seconds: number;
  cpu: Record<string, number>;
  /** Pairs of jobs started out of expiry order, more than INVERSION_SLACK_MS apart. */
  inversions: number;
  /** Downloader CPU per MiB archived (in time or not). */
  downloaderCpuMsPerMiB: number;
}

type Order = 'product' | 'fifo' | 'ideal';

const MIB = 1024 * 1024;
const BYTES_PER_SECOND = 32 * MIB;
const CONCURRENCY = 2;
// The burst arrives in Kafka batches of this many records, so the dispatcher's sorting of one batch cannot order it.
const ARRIVAL_BATCH = 4;
const DEPTH_JOBS = 100_000;
// Before each burst, one gate job per download slot (no priority, so taken before any prioritized job) fetches a link
// whose answer the artifact server holds; the burst's clock starts this long after the gates are taken, when they are
// released: every contender's burst is complete in the queue when the downloads start (they differ only in order).
const ADD_ALLOWANCE_MS = 1000;
// Two workers stamp a job's start before BullMQ hands it over, so two starts this close may swap: not counted.
const INVERSION_SLACK_MS = 50;
const VARIANTS: Record<string, DeadlineShape> = {
  fits: { bytesPerSecond: BYTES_PER_SECOND, concurrency: CONCURRENCY, slack: 1.5, leadMs: 2000 },
  overload: { bytesPerSecond: BYTES_PER_SECOND, concurrency: CONCURRENCY, slack: 0.5, leadMs: 1000 },
};

/**
 * Deadlines: a burst of download jobs with mixed link expiries against an artifact server with one shared,
 * limited uplink, fetched by a real downloader. The product adds them as the dispatcher does (enqueueDispatches, in
 * batches of ARRIVAL_BATCH, priorities from the fleet's scale in Redis: docs/adr/0017); the FIFO baseline is the
 * same jobs without a priority, fetched in arrival order; exact EDF gives each job the rank of its expiry within the
 * burst (possible only here, where the whole workload is known). Two shapes: one where the work fits before the
 * deadlines, one overloaded. Then the cost of moving the scale's bases under DEPTH_JOBS waiting jobs.
 */
export async function deadlinesScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { settings, progress } = ctx;
  const rig = await startDownloaderRig(ctx, { name: 'deadlines', serverProgram: 'servers/throttled-server.ts', serverEnv: { BYTES_PER_SECOND: String(BYTES_PER_SECOND) }, concurrency: CONCURRENCY });
  const { queue, server, downloader, archiveDir } = rig;
  const queues = openArchiveQueues(rig.redis, rig.queueName);
  const priorities = createExpiryPriorities(rig.redis, queue);
  const checks: Check[] = [];
  let runs = 0;
  try {
    const origin = `http://127.0.0.1:${Number((await server.waitFor('listening')).port)}`;
    await downloader.waitFor('downloading', 90_000);
    const gateJob = (tag: string, i: number): ArchiveJobData => ({
      artifact: { jobId: `recording.${tag}-gate-${i}`, kind: 'recording', organizationId: 'bench-org', meetingId: 'bench-meeting', sessionId: tag, recordingId: `${tag}-gate-${i}` },
      url: `${origin}/files/${tag}-gate-${i}.mp4?size=1&expires=${Date.now() + 3_600_000}&hold=${tag}`,
      expiresAt: (Date.now() + 3_600_000) * 1000,
      sourceEvent: 'recording.statusUpdate',
      deliveryId: `${tag}-gate-${i}`,
      expectedBytes: 1,
    });
    // Occupies every download slot with a gate job whose answer the server holds until release() is called.
    const holdDownloads = async (tag: string): Promise<{ release(): Promise<void> }> => {
      const gates = Array.from({ length: CONCURRENCY }, (_, i) => gateJob(tag, i));
      await queue.addBulk(gates.map((data) => ({ name: data.artifact.kind, data, opts: { jobId: data.artifact.jobId } })));
      const until = Date.now() + 60_000;
      while ((await Promise.all(gates.map((g) => queue.getJobState(g.artifact.jobId)))).some((state) => state !== 'active')) {
        if (Date.now() > until) throw new Error(`the gate jobs of ${tag} were not taken within a minute`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return {
        async release() {
          const answer = await fetch(`${origin}/release/${tag}`, { method: 'POST' });
          if (answer.status !== 204) throw new Error(`release of ${tag}: HTTP ${answer.status}`);
        },
      };
    };
    const runWorkload = (shape: DeadlineShape, order: Order) => async (): Promise<Rep> => {
      const tag = `r${++runs}`;
      const workload = deadlineWorkload(shape);
      const gates = await holdDownloads(tag);
      const t0 = Date.now() + ADD_ALLOWANCE_MS;
      const jobs = workload.map((artifact) => {
        const expires = t0 + artifact.expiresInMs;
        const id = `${tag}-${artifact.name}`;
        const data: ArchiveJobData = {
          artifact: { jobId: `recording.${id}`, kind: 'recording', organizationId: 'bench-org', meetingId: 'bench-meeting', sessionId: tag, recordingId: id },
          url: `${origin}/files/${id}.mp4?size=${artifact.bytes}&expires=${expires}`,
          expiresAt: expires * 1000,
          sourceEvent: 'recording.statusUpdate',
          deliveryId: id,
          expectedBytes: artifact.bytes,
        };
        const opts = archiveJobOptions(data, 3, nextBases(undefined, t0));
        if (order === 'fifo') delete opts.priority;
        // Exact earliest-deadline-first: 1 + the rank of the expiry within the burst (only possible here, where the
        // whole workload is known; the fleet's priority must work across jobs added at any time).
        if (order === 'ideal') opts.priority = 1 + [...workload].sort((a, b) => a.expiresInMs - b.expiresInMs).indexOf(artifact);
        return { name: data.artifact.kind, data, opts, artifact, expires };
      });
      const meter = meterCpu({ downloader: downloader.pid, 'artifact server': server.pid });
      const addStarted = Date.now();
      for (let i = 0; i < jobs.length; i += ARRIVAL_BATCH) {
        const batch = jobs.slice(i, i + ARRIVAL_BATCH);
        if (order === 'product') {
          const target = { queue, parked: queues.parked, redis: rig.redis, archiveQueue: rig.queueName, jobAttempts: 3, priorities };
          await enqueueDispatches(target, batch.map((j) => j.data), []);
        } else {
          await queue.addBulk(batch.map(({ name, data, opts }) => ({ name, data, opts })));
        }
      }
      const addedLateMs = Date.now() - t0;
      if (addedLateMs < 0) await new Promise((resolve) => setTimeout(resolve, -addedLateMs));
      await gates.release();
      const deadline = Date.now() + 300_000;
      let inTime = 0;
      let archivedBytes = 0;
      let urgentInTime = 0;
      let inversions = 0;
      const unexpected: string[] = [];
      for (;;) {
        const states = await Promise.all(jobs.map((j) => queue.getJob(j.data.artifact.jobId)));
        if (states.every((job) => job?.finishedOn)) {
          states.forEach((job, i) => {
            const j = jobs[i];
            if (!job || !j) return;
            const archived = job.returnvalue !== null && job.returnvalue !== undefined && !job.failedReason;
            const onTime = archived && (job.finishedOn ?? Infinity) <= j.expires;
            if (onTime) inTime += 1;
            if (archived) archivedBytes += j.artifact.bytes;
            if (onTime && j.artifact.urgent) urgentInTime += 1;
            // Every job ends archived or as EXPIRED: any other failure is a fault of the run, not a missed deadline.
            if (!archived && !/EXPIRED/.test(job.failedReason ?? '')) unexpected.push(`${j.data.artifact.jobId}: ${job.failedReason}`);
          });
          const started = states.map((job, i) => ({ at: job?.processedOn ?? NaN, expires: jobs[i]?.expires ?? NaN }));
          for (const a of started) for (const b of started) if (a.expires < b.expires && a.at > b.at + INVERSION_SLACK_MS) inversions += 1;
          break;
        }
        if (Date.now() > deadline) throw new Error(`deadline jobs did not finish: ${downloader.lines.slice(-5).join(' | ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const seconds = (Date.now() - t0) / 1000;
      const cpu = meter.stop();
      checks.push({ name: `deadlines ${tag}: the burst was complete before the downloads were released`, ok: addedLateMs <= 0, detail: `added in ${addedLateMs + t0 - addStarted} ms, ${-addedLateMs} ms before the release` });
      checks.push({ name: `deadlines ${tag}: every job archived or EXPIRED`, ok: unexpected.length === 0, detail: unexpected.slice(0, 3).join('; ') || 'yes' });
      rmSync(join(archiveDir, 'bench-org'), { recursive: true, force: true });
      return { sharePercent: (inTime / jobs.length) * 100, urgentInTime, urgent: workload.filter((a) => a.urgent).length, seconds, cpu, inversions, downloaderCpuMsPerMiB: ((cpu.downloader ?? NaN) * 1000) / (archivedBytes / MIB) };
    };
    const results: Record<string, Record<string, Rep[]>> = {};
    for (const [variant, shape] of Object.entries(VARIANTS)) {
      const work = deadlineWorkload(shape);
      const totalMiB = work.reduce((sum, a) => sum + a.bytes, 0) / MIB;
      const lastUrgent = Math.max(...work.filter((a) => a.urgent).map((a) => a.expiresInMs)) / 1000;
      progress(`  ${variant}: ${work.length} artifacts, ${totalMiB} MiB over a ${BYTES_PER_SECOND / MIB} MiB/s uplink, ${CONCURRENCY} downloads at once, urgent deadlines up to ${lastUrgent.toFixed(1)} s (slack ${shape.slack})`);
      results[variant] = await alternate<Rep>(
        [
          { name: 'expiry priority (product)', run: runWorkload(shape, 'product') },
          { name: 'FIFO', run: runWorkload(shape, 'fifo') },
          { name: 'exact EDF (bench only)', run: runWorkload(shape, 'ideal') },
        ],
        settings.reps,
        progress,
        { describe: (r) => `${r.sharePercent.toFixed(1)}% archived before expiry (urgent ${r.urgentInTime}/${r.urgent}), ${r.inversions} pairs started out of expiry order, in ${r.seconds.toFixed(1)} s cpu ${JSON.stringify(r.cpu)}` },
      );
    }
    const depth: Record<string, DepthRep[]> = {};
    for (const [shape, spreadMs] of Object.entries(DEPTH_SHAPES)) {
      progress(`  bases moved under ${DEPTH_JOBS} waiting jobs, ${shape}:`);
      for (let rep = 1; rep <= settings.reps; rep++) (depth[shape] ??= []).push(await repriceAtDepth(ctx, rig.redis, `${rig.queueName}-depth`, DEPTH_JOBS, spreadMs));
    }
    const share = (variant: string, name: string) => summarize((results[variant]?.[name] ?? []).map((r) => r.sharePercent));
    const inversions = (variant: string, name: string) => summarize((results[variant]?.[name] ?? []).map((r) => r.inversions));
    const cpuPerMiB = (variant: string, name: string) => summarize((results[variant]?.[name] ?? []).map((r) => r.downloaderCpuMsPerMiB));
    const depthOf = (shape: string, pick: (r: DepthRep) => number) => summarize((depth[shape] ?? []).map(pick));
    const PRODUCT = 'expiry priority (product)';
    const EDF = 'exact EDF (bench only)';
    const depthFigures = Object.keys(DEPTH_SHAPES).flatMap((shape) => [
      figure('deadlines', `fine base moved under ${DEPTH_JOBS / 1000}k waiting jobs, ${shape} (Redis busy)`, 'ms', depthOf(shape, (r) => r.moves.fine?.ms ?? NaN), `adding the same jobs (addBulk, chunks of 1000)`, depthOf(shape, (r) => r.addMs), 'informative (every 5 minutes)', () => null),
      figure('deadlines', `both bases moved under ${DEPTH_JOBS / 1000}k waiting jobs, ${shape} (Redis busy)`, 'ms', depthOf(shape, (r) => r.moves.coarse?.ms ?? NaN), `adding the same jobs (addBulk, chunks of 1000)`, depthOf(shape, (r) => r.addMs), 'informative (once a day)', () => null),
      figure('deadlines', `Redis CPU per 1000 waiting jobs, both bases moved, ${shape}`, 'ms', depthOf(shape, (r) => ((r.moves.coarse?.redisCpuMs ?? NaN) * 1000) / r.jobs), 'Redis CPU per 1000 jobs added', depthOf(shape, (r) => (r.addRedisCpuMs * 1000) / r.jobs), 'informative', () => null),
    ]);
    return {
      name: 'deadlines',
      figures: [
        figure('deadlines', 'archived before expiry, work fits', '%', share('fits', PRODUCT), 'same jobs, FIFO', share('fits', 'FIFO'), '100%', (_r, s) => s.min >= 100),
        figure('deadlines', 'archived before expiry, overload', '%', share('overload', PRODUCT), 'same jobs, FIFO', share('overload', 'FIFO'), 'strictly more than FIFO', (ratio) => ratio > 1),
        figure('deadlines', 'archived before expiry, work fits, vs exact EDF', '%', share('fits', PRODUCT), 'exact EDF order (bench only)', share('fits', EDF), '100% of exact EDF', (ratio) => ratio >= 1),
        figure('deadlines', 'archived before expiry, overload, vs exact EDF', '%', share('overload', PRODUCT), 'exact EDF order (bench only)', share('overload', EDF), 'never below exact EDF', (ratio) => ratio >= 1),
        ...['fits', 'overload'].map((variant) =>
          figure('deadlines', `job pairs started out of expiry order, ${variant === 'fits' ? 'work fits' : 'overload'}`, 'pairs', inversions(variant, PRODUCT), 'same jobs, FIFO', inversions(variant, 'FIFO'), `0 (starts over ${INVERSION_SLACK_MS} ms apart)`, (_r, s) => s.max === 0),
        ),
        figure('deadlines', 'downloader CPU per MiB archived, work fits', 'ms', cpuPerMiB('fits', PRODUCT), 'same jobs, FIFO', cpuPerMiB('fits', 'FIFO'), 'informative', () => null),
        figure('deadlines', 'downloader CPU per MiB archived, overload', 'ms', cpuPerMiB('overload', PRODUCT), 'same jobs, FIFO', cpuPerMiB('overload', 'FIFO'), 'informative', () => null),
        ...depthFigures,
      ],
      checks,
      cpu: Object.fromEntries(Object.entries(results).flatMap(([variant, byName]) => Object.entries(byName).map(([name, reps]) => [`${variant}: ${name}`, reps.map((r) => r.cpu)]))),
      details: {
        bytesPerSecond: BYTES_PER_SECOND,
        concurrency: CONCURRENCY,
        variants: VARIANTS,
        workloads: Object.fromEntries(Object.entries(VARIANTS).map(([variant, shape]) => [variant, deadlineWorkload(shape)])),
        results,
        depth,
      },
    };
  } finally {
    await queues.close();
    await rig.redis.del(meetingIndexKey(rig.queueName, 'bench-meeting'));
    await rig.tearDown();
  }
}
