import type { Redis } from 'ioredis';
import { archiveJobOptions, createExpiryPriorities, obliterateArchiveQueues, openArchiveQueues, type ArchiveJobData } from '../../shared/src/index.js';
import type { BenchContext } from '../harness/bench-context.js';

/** One repetition of re-pricing a deep queue: what adding it cost, and what each move of the bases cost. */
export interface DepthRep {
  /** Jobs waiting when the bases moved. */
  jobs: number;
  /** Wall time of adding them with BullMQ addBulk (chunks of 1000), and the Redis CPU it took. */
  addMs: number;
  addRedisCpuMs: number;
  /** Each move of the bases: one script, so its wall time is how long Redis answered nobody else. */
  moves: Record<string, { ms: number; redisCpuMs: number }>;
}

const MINUTE = 60_000;
const DAY = 24 * 3600_000;
const CHUNK = 1000;

/** Redis's own CPU time so far (INFO cpu, main thread and others), in milliseconds. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(/^(\w+):([\d.]+)$/m.exec(info.split('\n').find((line) => line.startsWith(`${name}:`)) ?? '')?.[2] ?? NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

async function timed(redis: Redis, work: () => Promise<unknown>): Promise<{ ms: number; redisCpuMs: number }> {
  const cpu0 = await redisCpuMs(redis);
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  return { ms, redisCpuMs: (await redisCpuMs(redis)) - cpu0 };
}

/**
 * Fills a queue of its own with `jobs` waiting download jobs whose links expire `spreadMs` apart at most (from a
 * minute on), priced by the fleet's scale on a clock the bench moves; then moves the clock so that the fine base moves
 * (5 minutes and a second), then both (a day).
 */
export async function repriceAtDepth(ctx: BenchContext, redis: Redis, name: string, jobs: number, spreadMs: number): Promise<DepthRep> {
  const queues = openArchiveQueues(redis, name);
  const clock = { now: Date.now() };
  const priorities = createExpiryPriorities(redis, queues.archive, { now: () => clock.now });
  try {
    const bases = await priorities.current();
    let seed = 11;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const bulk = Array.from({ length: jobs }, (_, i) => {
      const data: ArchiveJobData = {
        artifact: { jobId: `chat.depth-${i}`, kind: 'chat', organizationId: 'bench-org', meetingId: 'bench-depth', sessionId: `depth-${i}`, recordingId: null },
        url: `https://bucket.s3.amazonaws.com/depth-${i}`,
        expiresAt: Math.round((clock.now + MINUTE + next() * spreadMs) * 1000),
        sourceEvent: 'meeting.chatSynced',
        deliveryId: `depth-${i}`,
        expectedBytes: null,
      };
      return { name: 'chat', data, opts: archiveJobOptions(data, 3, bases) };
    });
    const add = await timed(redis, async () => {
      for (let i = 0; i < bulk.length; i += CHUNK) await queues.archive.addBulk(bulk.slice(i, i + CHUNK));
    });
    const moves: DepthRep['moves'] = {};
    clock.now += 5 * MINUTE + 1000;
    moves.fine = await timed(redis, () => priorities.current());
    clock.now += DAY;
    moves.coarse = await timed(redis, () => priorities.current());
    ctx.progress(`    ${jobs} jobs over ${(spreadMs / MINUTE).toFixed(0)} min: added in ${add.ms.toFixed(0)} ms (Redis CPU ${add.redisCpuMs.toFixed(0)} ms); fine base moved in ${moves.fine.ms.toFixed(1)} ms (Redis CPU ${moves.fine.redisCpuMs.toFixed(0)} ms), both in ${moves.coarse.ms.toFixed(1)} ms (Redis CPU ${moves.coarse.redisCpuMs.toFixed(0)} ms)`);
    return { jobs, addMs: add.ms, addRedisCpuMs: add.redisCpuMs, moves };
  } finally {
    await queues.close();
    await obliterateArchiveQueues(redis, name);
  }
}

/** The two queue shapes: Dyte's links, days apart; an overload, every link within the fine tier's reach. */
export const DEPTH_SHAPES: Record<string, number> = { 'links over 7 days': 7 * DAY, 'links over 15 minutes': 15 * MINUTE };
