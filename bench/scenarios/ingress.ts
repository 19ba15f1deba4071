import { createSigningKey, EVENT_TOPICS, topicNames } from '../../shared/src/index.js';
import { alternate } from '../harness/alternate.js';
import { createTopics } from '../harness/create-topics.js';
import type { BenchContext } from '../harness/bench-context.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
import { freePort } from '../harness/free-port.js';
import { kafkaLibsClasspath } from '../harness/kafka-libs.js';
import { endOffsetSum } from '../harness/kafka-offsets.js';
import { runPinnedMeasured, type PinnedProcess } from '../harness/pinned-process.js';
import { meterCpu } from '../harness/process-meter.js';
import { repoRoot, startBenchProgram, startService } from '../harness/service-process.js';
import { summarize } from '../harness/stats.js';
import { closedLoop } from '../load/closed-loop.js';
import { openLoop, type OpenLoopResult } from '../load/open-loop.js';
import type { WebhookRequest } from '../load/webhook-request.js';
import { signedWebhook } from '../workloads/signed-webhook.js';

interface Rep {
  perSecond: number;
  ok: number;
  notOk: number;
  cpu: Record<string, number>;
  /** Records that appeared on the ingress's topics during the repetition (subject only). */
  recordsOnKafka?: number;
}

/** The limit baseline's name: node:http that reads the body and verifies its signature, nothing else. */
const LIMIT = 'node:http + verify';
/** The hand-written route's name: Koa, verify, one kafkajs send per request (acks=all, idempotent). */
const HAND_WRITTEN = 'hand-written Koa + send';

/**
 * Ingress: signed webhooks accepted per second at saturation against bare node:http reading the same body, against
 * the limit (node:http that also verifies the signature with the same parsed key), against a hand-written route
 * (Koa, verify, one kafkajs send per request with acks=all and idempotence) and against kafka-producer-perf-test
 * (acks=all, same record size); then p50/p99 at 50% and 80% of the ingress's maximum, open loop, beside the limit at
 * the same rate. Every ingress (and hand-written) repetition checks that its 2xx answers equal the growth of the end
 * offsets.
 */
export async function ingressScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { settings, placement, progress } = ctx;
  const prefix = `bench-${ctx.runId}-i.`;
  const topics = topicNames(prefix);
  const eventTopicsOf = (t: typeof topics) => EVENT_TOPICS.map((role) => t[role]);
  const eventTopics = eventTopicsOf(topics);
  // Optionally a second ingress from another build (BENCH_COMPARE_DIST_DIR), alternated with this one: a
  // before/after comparison of a change that drift on a shared machine cannot fake. Its own topics.
  const compared = settings.compareDistDir ? { name: 'ingress (compared build)', topics: topicNames(`bench-${ctx.runId}-ic.`) } : undefined;
  const topicsOf: Record<string, string[]> = { ingress: eventTopics, ...(compared ? { [compared.name]: eventTopicsOf(compared.topics) } : {}) };
  const perfTopic = `${prefix}perf`;
  const handTopic = `${prefix}hand`;
  topicsOf[HAND_WRITTEN] = [handTopic];
  const key = createSigningKey();
  const webhook = signedWebhook(key);
  const checks: Check[] = [];
  const processes: PinnedProcess[] = [];
  const admin = ctx.kafka.admin();
  await admin.connect();
  try {
    await createTopics(ctx.kafka, [perfTopic, handTopic]);
    const startIngress = async (topicPrefix: string, distDir: string) => {
      const port = await freePort();
      const proc = startService(
        'ingress',
        placement.subjectCpu,
        {
          TOPIC_PREFIX: topicPrefix,
          INGRESS_PORT: String(port),
          // A free metrics port, so that a compared build (or a fleet of `make run`) never collides on the default.
          INGRESS_METRICS_PORT: '0',
          DYTE_WEBHOOK_PUBLIC_KEY: key.publicKeyPem,
          KAFKA_BROKERS: ctx.brokers.join(','),
          SCHEMA_REGISTRY_URL: ctx.registryUrl,
        },
        { ...settings.launch, distDir },
      );
      processes.push(proc);
      await proc.waitFor('ready', 90_000);
      return { proc, port };
    };
    const { proc: ingress, port: ingressPort } = await startIngress(prefix, settings.launch.distDir);
    const other = compared && settings.compareDistDir ? await startIngress(`bench-${ctx.runId}-ic.`, settings.compareDistDir) : undefined;
    const bare = startBenchProgram('baselines/bare-http-server.ts', placement.subjectCpu);
    processes.push(bare);
    const barePort = Number((await bare.waitFor('listening')).port);
    const limit = startBenchProgram('baselines/bare-verify-server.ts', placement.subjectCpu, { DYTE_WEBHOOK_PUBLIC_KEY: key.publicKeyPem });
    processes.push(limit);
    const limitPort = Number((await limit.waitFor('listening')).port);
    const hand = startBenchProgram('baselines/hand-written-ingress.ts', placement.subjectCpu, {
      DYTE_WEBHOOK_PUBLIC_KEY: key.publicKeyPem,
      KAFKA_BROKERS: ctx.brokers.join(','),
      TOPIC: handTopic,
    });
    processes.push(hand);
    const handPort = Number((await hand.waitFor('listening', 60_000)).port);
    const targets: Record<string, WebhookRequest> = {
      ingress: { url: `http://127.0.0.1:${ingressPort}/webhooks/dyte`, headers: webhook.headers, body: webhook.body },
      'bare node:http': { url: `http://127.0.0.1:${barePort}/webhooks/dyte`, headers: webhook.headers, body: webhook.body },
      [LIMIT]: { url: `http://127.0.0.1:${limitPort}/webhooks/dyte`, headers: webhook.headers, body: webhook.body },
      [HAND_WRITTEN]: { url: `http://127.0.0.1:${handPort}/webhooks/dyte`, headers: webhook.headers, body: webhook.body },
    };
    if (compared && other) targets[compared.name] = { url: `http://127.0.0.1:${other.port}/webhooks/dyte`, headers: webhook.headers, body: webhook.body };
    progress(`  ingress on CPU ${placement.subjectCpu} (signature verification on, acks=all), ${settings.connections} connections, body ${webhook.body.length} B, record ${webhook.recordBytes} B`);

    const pids = () => ({ ingress: ingress.pid, ...(other ? { 'compared ingress': other.proc.pid } : {}), 'bare node:http': bare.pid, [LIMIT]: limit.pid, [HAND_WRITTEN]: hand.pid, kafka: ctx.kafkaPid() });
    const amounts: Record<string, number> = {};
    const offsets: Record<string, number> = {};
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));
    const checkRecords = async (name: string, label: string, ok: number): Promise<number> => {
      const now = await endOffsetSum(ctx.kafka, topicsOf[name] ?? []);
      const grown = now - (offsets[name] ?? 0);
      offsets[name] = now;
      checks.push({ name: `${name} ${label}: 2xx = records on Kafka`, ok: grown === ok, detail: `${ok} 2xx, ${grown} records` });
      if (grown !== ok) progress(`  !!! CORRECTNESS: ${label}: ${ok} answers 2xx but the topics grew by ${grown} records`);
      return grown;
    };
    const closedRun = (name: string) => async (rep: number): Promise<Rep> => {
      const target = targets[name] as WebhookRequest;
      if (rep === 0) {
        // The warm-up also measures the rate, so each repetition can send a fixed count and wait for every answer.
        const meter = meterCpu(pids());
        const warm = await closedLoop(target, { connections: settings.connections, seconds: settings.seconds });
        amounts[name] = Math.max(settings.connections * 10, Math.round(warm.perSecond * settings.seconds));
        const cpu = meter.stop();
        if (topicsOf[name]) {
          await settle();
          offsets[name] = await endOffsetSum(ctx.kafka, topicsOf[name] ?? []);
        }
        return { perSecond: warm.perSecond, ok: warm.ok, notOk: warm.notOk, cpu };
      }
      const meter = meterCpu(pids());
      const result = await closedLoop(target, { connections: settings.connections, amount: amounts[name] as number });
      const cpu = meter.stop();
      const rec: Rep = { perSecond: result.perSecond, ok: result.ok, notOk: result.notOk + result.errors, cpu };
      if (topicsOf[name]) rec.recordsOnKafka = await checkRecords(name, `closed loop rep ${rep}`, result.ok);
      return rec;
    };
    const perfRecords: { n: number } = { n: 200_000 };
    const perfRun = async (rep: number): Promise<Rep> => {
      const libs = kafkaLibsClasspath(repoRoot);
      const run = await runPinnedMeasured(
        placement.subjectCpu,
        `java -Xms256m -Xmx512m -cp '${libs}' org.apache.kafka.tools.ProducerPerformance --topic ${perfTopic} ` +
          `--num-records ${perfRecords.n} --record-size ${webhook.recordBytes} --throughput -1 ` +
          `--producer-props bootstrap.servers=${ctx.brokers.join(',')} acks=all enable.idempotence=true`,
      );
      // The last line: "N records sent, X records/sec (Y MB/sec), ... 99th."
      const match = [...run.output.matchAll(/(\d+) records sent, ([\d.]+) records\/sec/g)].at(-1);
      if (!match) throw new Error(`kafka-producer-perf-test printed no result: ${run.output.slice(-500)}`);
      const perSecond = Number(match[2]);
      if (rep === 0) perfRecords.n = Math.max(50_000, Math.round(perSecond * settings.seconds));
      return { perSecond, ok: Number(match[1]), notOk: 0, cpu: { 'kafka-producer-perf-test': Math.round(run.cpuSeconds * 100) / 100 } };
    };
    const closed = await alternate<Rep>(
      [
        { name: 'ingress', run: closedRun('ingress') },
        ...(compared ? [{ name: compared.name, run: closedRun(compared.name) }] : []),
        { name: 'bare node:http', run: closedRun('bare node:http') },
        { name: LIMIT, run: closedRun(LIMIT) },
        { name: HAND_WRITTEN, run: closedRun(HAND_WRITTEN) },
        { name: 'kafka-producer-perf-test', run: perfRun },
      ],
      settings.reps,
      progress,
      { describe: (r) => `${Math.round(r.perSecond)}/s (${r.ok} 2xx, ${r.notOk} other) cpu ${JSON.stringify(r.cpu)}` },
    );
    const ingressMax = summarize((closed.ingress ?? []).map((r) => r.perSecond));
    const bareMax = summarize((closed['bare node:http'] ?? []).map((r) => r.perSecond));
    const perfMax = summarize((closed['kafka-producer-perf-test'] ?? []).map((r) => r.perSecond));

    const open: Record<string, Record<string, (OpenLoopResult & { cpu: Record<string, number> })[]>> = {};
    for (const share of [0.5, 0.8]) {
      const rate = Math.max(1, Math.round(ingressMax.median * share));
      progress(`  open loop at ${share * 100}% of the ingress's maximum: ${rate}/s for 1 s (not measured) + ${settings.openSeconds} s over at most ${settings.connections} connections`);
      const openRun = (name: string) => async (rep: number) => {
        const meter = meterCpu(pids());
        const result = await openLoop(targets[name] as WebhookRequest, { rate, seconds: settings.openSeconds, maxSockets: settings.connections, warmupSeconds: 1 });
        const cpu = meter.stop();
        if (topicsOf[name]) await checkRecords(name, `open loop ${share * 100}% rep ${rep}`, result.ok);
        return { ...result, cpu };
      };
      open[String(share)] = await alternate(
        [
          { name: 'ingress', run: openRun('ingress') },
          { name: LIMIT, run: openRun(LIMIT) },
        ],
        settings.reps,
        progress,
        {
          warmUp: false,
          describe: (r) => `p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms (${r.ok} 2xx, ${r.notOk + r.errors} other, sent ${Math.round(r.achievedRate)}/s)`,
        },
      );
    }

    const allAccounted = checks.every((c) => c.ok);
    const figures = [
      figure('ingress', 'webhooks accepted per second (closed loop)', 'req/s', ingressMax, 'bare node:http (reads body, 202)', bareMax, '>= 50% of bare node:http, zero loss', (ratio) => ratio >= 0.5 && allAccounted),
      figure('ingress', 'webhooks accepted per second vs Kafka alone', 'req/s', ingressMax, `kafka-producer-perf-test acks=all ${webhook.recordBytes} B`, perfMax, 'the broker limit (informative)', () => null),
    ];
    // CPU per answer is steadier than a rate on a shared machine: it does not count time the CPU was taken away.
    const cpuPerOk = (name: string, process: string) => summarize((closed[name] ?? []).map((r) => ((r.cpu[process] ?? NaN) * 1e6) / r.ok));
    const handMax = summarize((closed[HAND_WRITTEN] ?? []).map((r) => r.perSecond));
    figures.push(
      figure('ingress', 'CPU per accepted webhook vs the limit (closed loop)', 'us', cpuPerOk('ingress', 'ingress'), `${LIMIT} (same key, 202)`, cpuPerOk(LIMIT, LIMIT), '<= 1.7x the limit, zero loss', (ratio) => ratio <= 1.7 && allAccounted),
      figure('ingress', 'webhooks accepted per second vs a hand-written route', 'req/s', ingressMax, `${HAND_WRITTEN} (acks=all, idempotent)`, handMax, '>= 3x the hand-written route, zero loss', (ratio) => ratio >= 3 && allAccounted),
      figure('ingress', 'CPU per accepted webhook vs a hand-written route', 'us', cpuPerOk('ingress', 'ingress'), HAND_WRITTEN, cpuPerOk(HAND_WRITTEN, HAND_WRITTEN), 'informative (lower is better)', () => null),
      figure('ingress', 'CPU per accepted webhook', 'us', cpuPerOk('ingress', 'ingress'), 'bare node:http', cpuPerOk('bare node:http', 'bare node:http'), 'informative (lower is better)', () => null),
    );
    if (compared) {
      figures.push(figure('ingress', 'CPU per accepted webhook, this build vs the compared build', 'us', cpuPerOk('ingress', 'ingress'), 'compared build', cpuPerOk(compared.name, 'compared ingress'), 'informative (lower is better)', () => null));
      const before = summarize((closed[compared.name] ?? []).map((r) => r.perSecond));
      figures.push(figure('ingress', 'webhooks/s, this build vs the compared build', 'req/s', ingressMax, `compared build (${settings.compareDistDir})`, before, 'informative (before/after a change)', () => null));
      const bareOf = (name: string) => (closed[name] ?? []).map((r, i) => r.perSecond / ((closed['bare node:http'] ?? [])[i]?.perSecond ?? NaN));
      progress(`  ratio to bare node:http per repetition: this build ${bareOf('ingress').map((x) => (x * 100).toFixed(1)).join(', ')}%; compared build ${bareOf(compared.name).map((x) => (x * 100).toFixed(1)).join(', ')}%`);
      figures.push(figure('ingress', 'compared build: webhooks/s (closed loop)', 'req/s', before, 'bare node:http (reads body, 202)', bareMax, 'informative (before the change)', () => null));
    }
    for (const share of ['0.5', '0.8']) {
      const runs = open[share] ?? {};
      const pct = `${Number(share) * 100}%`;
      const p99 = summarize((runs.ingress ?? []).map((r) => r.p99));
      const p50 = summarize((runs.ingress ?? []).map((r) => r.p50));
      const limitP99 = summarize((runs[LIMIT] ?? []).map((r) => r.p99));
      const limitP50 = summarize((runs[LIMIT] ?? []).map((r) => r.p50));
      // Group commit makes the ingress cheaper per webhook the more arrive at once: at a fixed, lower rate its
      // batches are smaller, so this is what the open loop's rate costs, against the closed loop's figure above.
      const openCpu = (name: string, process: string) => summarize((runs[name] ?? []).map((r) => ((r.cpu[process] ?? NaN) * 1e6) / r.ok));
      figures.push(figure('ingress', `CPU per accepted webhook at ${pct} of max (open loop)`, 'us', openCpu('ingress', 'ingress'), `${LIMIT}, same rate`, openCpu(LIMIT, LIMIT), 'informative (lower is better)', () => null));
      // How busy the process was at that rate (CPU seconds over the run's wall time, warm-up second included):
      // queueing behind any pause grows steeply as this nears 100%, which is what the p99 below meets.
      const busy = (name: string, process: string) => summarize((runs[name] ?? []).map((r) => ((r.cpu[process] ?? NaN) / (settings.openSeconds + 1)) * 100));
      figures.push(figure('ingress', `CPU busy at ${pct} of max (open loop)`, '%', busy('ingress', 'ingress'), `${LIMIT}, same rate`, busy(LIMIT, LIMIT), 'informative', () => null));
      figures.push(figure('ingress', `p50 latency at ${pct} of max`, 'ms', p50, `${LIMIT}, same rate`, limitP50, 'informative', () => null));
      figures.push(
        // Every repetition, not only the median: the worst one is what a burst of Dyte's retries would meet.
        figure('ingress', `p99 latency at ${pct} of max`, 'ms', p99, `${LIMIT}, same rate`, limitP99, share === '0.8' ? '< 50 ms in every repetition' : 'informative', (_r, s) =>
          share === '0.8' ? s.max < 50 : null,
        ),
      );
    }
    const cpu: ScenarioReport['cpu'] = {};
    for (const [name, reps] of Object.entries(closed)) cpu[`closed loop: ${name}`] = reps.map((r) => r.cpu);
    for (const [share, runs] of Object.entries(open)) for (const [name, reps] of Object.entries(runs)) cpu[`open loop ${Number(share) * 100}%: ${name}`] = reps.map((r) => r.cpu);
    return {
      name: 'ingress',
      figures,
      checks,
      cpu,
      details: { topicPrefix: prefix, bodyBytes: webhook.body.length, recordBytes: webhook.recordBytes, connections: settings.connections, closed, open },
    };
  } finally {
    for (const proc of processes) await proc.stop();
    const comparedTopics = compared ? Object.values(compared.topics) : [];
    await admin.deleteTopics({ topics: [...Object.values(topics), perfTopic, handTopic, ...comparedTopics] }).catch(() => undefined);
    await admin.disconnect();
  }
}
