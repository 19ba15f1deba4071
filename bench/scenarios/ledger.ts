import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { createRedis, createRegistry, sessionLedger, topicNames } from '../../shared/src/index.js';
import { alternate } from '../harness/alternate.js';
import type { BenchContext } from '../harness/bench-context.js';
import { createTopics } from '../harness/create-topics.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
import { cpuSecondsOf } from '../harness/process-meter.js';
import { obliterateQueues } from '../harness/queues.js';
import { startBenchProgram, startDispatcher } from '../harness/service-process.js';
import { summarize } from '../harness/stats.js';
import { sendRecords } from '../workloads/chat-records.js';
import { encodeSessionRecords } from '../workloads/session-records.js';

interface Rep {
  perSecond: number;
  /** CPU microseconds per session published (the dispatcher's whole process, or the publishing process). */
  cpuUs: number;
  sessions: number;
}

const PUBLISH_CHUNK = 100;
const POLL_MS = 20;

/** Records on `topic` so far: the sum of its partitions' end offsets (0 while it does not exist yet). */
async function recordsOn(admin: Admin, topic: string): Promise<number> {
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  } catch {
    return 0;
  }
}

/**
 * The session ledger catching up: N meeting.started records (each its own session, no download job) already on a
 * fresh meeting topic, folded by a fresh dispatcher's ledger into Redis and published as SessionStates, timed
 * from its first state on the sessions topic to its Nth; against the same SessionStates published alone by the
 * fleet's producer (acks=all, 100 per request). Fresh topics, ledger and queue each repetition.
 */
export async function ledgerScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { settings, placement, progress } = ctx;
  const sessions = settings.ledgerSessions;
  const redis = createRedis(ctx.redisUrl);
  const registry = createRegistry(ctx.registryUrl);
  const admin = ctx.kafka.admin();
  await admin.connect();
  const prefixes: string[] = [];
  const queues: string[] = [];
  const checks: Check[] = [];
  const dir = join(settings.workDir, `ledger-${ctx.runId}`);
  mkdirSync(dir, { recursive: true });
  try {
    const ledgerRun = async (rep: number): Promise<Rep> => {
      const prefix = `bench-${ctx.runId}-l${rep}.`;
      prefixes.push(prefix);
      const topics = topicNames(prefix);
      await createTopics(ctx.kafka, [topics.meeting]);
      const { records } = await encodeSessionRecords(registry, topics.meeting, topics.sessions, sessions);
      await sendRecords(ctx.kafka, topics.meeting, records);
      const queue = `bench-${ctx.runId}-ledger-${rep}`;
      queues.push(queue);
      const dispatcher = startDispatcher(ctx, placement.subjectCpu, { prefix, queue, groupId: `bench-${ctx.runId}-ledger-${rep}` }, { RECONCILE_INTERVAL_SECONDS: '0' });
      try {
        const deadline = Date.now() + 300_000;
        let first: { count: number; at: number; cpu: number } | undefined;
        let count = 0;
        for (;;) {
          count = await recordsOn(admin, topics.sessions);
          const at = performance.now();
          if (count > 0 && !first) first = { count, at, cpu: cpuSecondsOf(dispatcher.pid) };
          if (count >= sessions) break;
          if (Date.now() > deadline || dispatcher.child.exitCode !== null) {
            throw new Error(`the ledger published ${count} of ${sessions} sessions: ${dispatcher.lines.slice(-5).join(' | ')}`);
          }
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
        const seconds = (performance.now() - (first?.at ?? 0)) / 1000;
        const cpuSeconds = cpuSecondsOf(dispatcher.pid) - (first?.cpu ?? 0);
        const measured = count - (first?.count ?? 0);
        checks.push({ name: `ledger rep ${rep}: one state per session`, ok: count === sessions, detail: `${count} states for ${sessions} sessions` });
        return { perSecond: measured / seconds, cpuUs: (cpuSeconds / measured) * 1e6, sessions: count };
      } finally {
        await dispatcher.stop();
        await obliterateQueues(redis, queue);
        await sessionLedger(redis, prefix).clear();
      }
    };
    const publishRun = async (rep: number): Promise<Rep> => {
      const prefix = `bench-${ctx.runId}-lp${rep}.`;
      prefixes.push(prefix);
      const topics = topicNames(prefix);
      await createTopics(ctx.kafka, [topics.sessions]);
      const { states } = await encodeSessionRecords(registry, topics.meeting, topics.sessions, sessions);
      const file = join(dir, `states-${rep}.json`);
      writeFileSync(file, JSON.stringify(states.map((m) => ({ key: m.key, value: (m.value as Buffer).toString('base64'), headers: m.headers }))));
      const baseline = startBenchProgram('baselines/bare-publish.ts', placement.subjectCpu, {
        MESSAGES_FILE: file,
        TOPIC: topics.sessions,
        CHUNK: String(PUBLISH_CHUNK),
        KAFKA_BROKERS: ctx.brokers.join(','),
      });
      try {
        const done = await baseline.waitFor('done', 300_000);
        const count = await recordsOn(admin, topics.sessions);
        checks.push({ name: `publish rep ${rep}: every state on the topic`, ok: count === sessions, detail: `${count} of ${sessions}` });
        return { perSecond: Number(done.records) / Number(done.seconds), cpuUs: (Number(done.cpuSeconds) / Number(done.records)) * 1e6, sessions: count };
      } finally {
        await baseline.exited;
      }
    };
    const runs = await alternate<Rep>(
      [
        { name: 'ledger', run: ledgerRun },
        { name: 'publish alone', run: publishRun },
      ],
      settings.reps,
      progress,
      { describe: (r) => `${Math.round(r.perSecond)} sessions/s, ${r.cpuUs.toFixed(0)} us CPU each (${r.sessions} on the topic)` },
    );
    const of = (name: string, pick: (r: Rep) => number) => summarize((runs[name] ?? []).map(pick));
    const baselineName = `the same SessionStates published alone (acks=all, ${PUBLISH_CHUNK} per request)`;
    return {
      name: 'ledger',
      figures: [
        figure('ledger', `sessions published per second, ${sessions} from a backlog`, 'sessions/s', of('ledger', (r) => r.perSecond), baselineName, of('publish alone', (r) => r.perSecond), '>= 25% of publishing alone', (ratio) => ratio >= 0.25),
        figure('ledger', 'CPU per session published (the dispatcher process)', 'us', of('ledger', (r) => r.cpuUs), baselineName, of('publish alone', (r) => r.cpuUs), 'informative (lower is better)', () => null),
      ],
      checks,
      cpu: {},
      details: { sessions, runs },
    };
  } finally {
    for (const queue of queues) await obliterateQueues(redis, queue).catch(() => undefined);
    const topics = prefixes.flatMap((prefix) => Object.values(topicNames(prefix)));
    const existing = new Set(await admin.listTopics().catch(() => [] as string[]));
    await admin.deleteTopics({ topics: topics.filter((topic) => existing.has(topic)) }).catch(() => undefined);
    await admin.disconnect();
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  }
}
