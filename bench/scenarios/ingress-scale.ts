import { createSigningKey, EVENT_TOPICS, topicNames } from '../../shared/src/index.js';
import { alternate } from '../harness/alternate.js';
import type { BenchContext } from '../harness/bench-context.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
import { freePort } from '../harness/free-port.js';
import { endOffsetSum } from '../harness/kafka-offsets.js';
import type { PinnedProcess } from '../harness/pinned-process.js';
import { meterCpu } from '../harness/process-meter.js';
import { startBenchProgram, startService } from '../harness/service-process.js';
import { summarize } from '../harness/stats.js';
import { closedLoop } from '../load/closed-loop.js';
import type { WebhookRequest } from '../load/webhook-request.js';
import { signedWebhook } from '../workloads/signed-webhook.js';

interface Rep {
  perSecond: number;
  ok: number;
  /** CPU seconds of the contender's own processes (all replicas), and of the load generator. */
  cpuSeconds: number;
  runnerSeconds: number;
}

/**
 * How the ingress grows with replicas: 1 ingress on the subject CPU against 2 (one per CPU, each pinned, on the
 * same topics, each taking half the connections as a load balancer would share them), beside bare node:http with 1
 * and 2 processes placed the same way, all alternated in one run. Closed loop for a fixed time, every 2xx checked
 * on the topics. On a 2-CPU machine the second replica shares its CPU with the load
 * generator and the stack (Kafka, the registry), so the 2-replica figures are a lower bound of what a second core
 * gives; CPU per accepted webhook (all replicas' CPU / 2xx) is the figure that placement does not distort.
 */
export async function ingressScaleScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { settings, placement, progress } = ctx;
  const prefix = `bench-${ctx.runId}-is.`;
  const topics = topicNames(prefix);
  const eventTopics = EVENT_TOPICS.map((role) => topics[role]);
  const key = createSigningKey();
  const webhook = signedWebhook(key);
  const cpus = [placement.subjectCpu, placement.loadCpu];
  const processes: PinnedProcess[] = [];
  const checks: Check[] = [];
  const admin = ctx.kafka.admin();
  await admin.connect();
  try {
    const startIngress = async (cpu: number) => {
      const port = await freePort();
      const proc = startService(
        'ingress',
        cpu,
        {
          TOPIC_PREFIX: prefix,
          INGRESS_PORT: String(port),
          INGRESS_METRICS_PORT: '0',
          DYTE_WEBHOOK_PUBLIC_KEY: key.publicKeyPem,
          KAFKA_BROKERS: ctx.brokers.join(','),
          SCHEMA_REGISTRY_URL: ctx.registryUrl,
        },
        settings.launch,
      );
      processes.push(proc);
      await proc.waitFor('ready', 90_000);
      return { proc, port };
    };
    const startBare = async (cpu: number) => {
      const proc = startBenchProgram('baselines/bare-http-server.ts', cpu);
      processes.push(proc);
      return { proc, port: Number((await proc.waitFor('listening')).port) };
    };
    // The first replica creates the topics; the second starts once they exist.
    const ingresses = [await startIngress(cpus[0] as number)];
    ingresses.push(await startIngress(cpus[1] as number));
    const bares = [await startBare(cpus[0] as number), await startBare(cpus[1] as number)];
    const request = (port: number): WebhookRequest => ({ url: `http://127.0.0.1:${port}/webhooks/dyte`, headers: webhook.headers, body: webhook.body });
    progress(`  ingress replicas on CPUs ${cpus.join(' and ')}, bare node:http likewise; the load generator on CPU ${placement.loadCpu} (with the second replica)`);

    let offsets = await endOffsetSum(ctx.kafka, eventTopics);
    const run = (name: string, targets: { proc: PinnedProcess; port: number }[], checked: boolean) => async (rep: number): Promise<Rep> => {
      const meter = meterCpu(Object.fromEntries(targets.map((t, i) => [`p${i}`, t.proc.pid])));
      const connections = Math.max(1, Math.floor(settings.connections / targets.length));
      // For a fixed time, not a fixed count: with a count per replica, the faster one would sit idle once done.
      const results = await Promise.all(targets.map((t) => closedLoop(request(t.port), { connections, seconds: settings.seconds })));
      const cpu = meter.stop();
      const ok = results.reduce((sum, r) => sum + r.ok, 0);
      const perSecond = ok / Math.max(...results.map((r) => r.seconds));
      if (checked) {
        // The requests in flight when the time is up are not counted as answered but may be on Kafka: every 2xx
        // must be there (nothing lost), and at most one unanswered record per connection besides.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const now = await endOffsetSum(ctx.kafka, eventTopics);
        const grown = now - offsets;
        const inFlight = connections * targets.length;
        if (rep > 0) {
          const good = grown >= ok && grown - ok <= inFlight;
          checks.push({ name: `${name} rep ${rep}: every 2xx on Kafka`, ok: good, detail: `${ok} 2xx, ${grown} records (at most ${inFlight} more in flight at the stop)` });
          if (!good) progress(`  !!! CORRECTNESS: ${name} rep ${rep}: ${ok} answers 2xx but the topics grew by ${grown} records`);
        }
        offsets = now;
      }
      const cpuSeconds = targets.reduce((sum, _t, i) => sum + (cpu[`p${i}`] ?? NaN), 0);
      return { perSecond, ok, cpuSeconds, runnerSeconds: cpu.runner ?? NaN };
    };
    const results = await alternate<Rep>(
      [
        { name: 'ingress x1', run: run('ingress x1', ingresses.slice(0, 1), true) },
        { name: 'ingress x2', run: run('ingress x2', ingresses, true) },
        { name: 'bare node:http x1', run: run('bare node:http x1', bares.slice(0, 1), false) },
        { name: 'bare node:http x2', run: run('bare node:http x2', bares, false) },
      ],
      settings.reps,
      progress,
      { describe: (r) => `${Math.round(r.perSecond)}/s (${r.ok} 2xx), CPU ${(r.cpuSeconds * 1e6 / r.ok).toFixed(1)} us per 2xx, runner ${r.runnerSeconds} s` },
    );
    const rate = (name: string) => summarize((results[name] ?? []).map((r) => r.perSecond));
    const cpuPer = (name: string) => summarize((results[name] ?? []).map((r) => (r.cpuSeconds * 1e6) / r.ok));
    const allAccounted = checks.every((c) => c.ok);
    const figures = [
      figure('ingress-scale', 'webhooks/s, 2 replicas (one per CPU) vs 1', 'req/s', rate('ingress x2'), 'ingress x1', rate('ingress x1'), 'informative (the second shares its CPU with the load), zero loss', () => (allAccounted ? null : false)),
      figure('ingress-scale', 'bare node:http req/s, 2 processes vs 1', 'req/s', rate('bare node:http x2'), 'bare node:http x1', rate('bare node:http x1'), 'informative (the same placement)', () => null),
      figure('ingress-scale', 'webhooks/s, 1 ingress vs 1 bare node:http', 'req/s', rate('ingress x1'), 'bare node:http x1', rate('bare node:http x1'), 'informative', () => null),
      figure('ingress-scale', 'webhooks/s, 2 ingress replicas vs 2 bare node:http', 'req/s', rate('ingress x2'), 'bare node:http x2', rate('bare node:http x2'), 'informative', () => null),
      figure('ingress-scale', 'CPU per accepted webhook, 2 replicas vs 1', 'us', cpuPer('ingress x2'), 'ingress x1', cpuPer('ingress x1'), 'informative (lower is better)', () => null),
      figure('ingress-scale', 'CPU per request, bare node:http 2 processes vs 1', 'us', cpuPer('bare node:http x2'), 'bare node:http x1', cpuPer('bare node:http x1'), 'informative (lower is better)', () => null),
    ];
    return {
      name: 'ingress-scale',
      figures,
      checks,
      cpu: Object.fromEntries(Object.entries(results).map(([name, reps]) => [name, reps.map((r) => ({ replicas: r.cpuSeconds, runner: r.runnerSeconds }))])),
      details: { topicPrefix: prefix, cpus, connections: settings.connections, results },
    };
  } finally {
    for (const proc of processes) await proc.stop();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  }
}
