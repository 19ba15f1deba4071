import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createRedis, createSigningKey, obliterateArchiveQueues, openArchiveQueues, sessionLedger, topicNames } from '../../shared/src/index.js';
import { followArchiveOutcomes } from '../../scripts/custody/archive-outcomes.js';
import { custodyPlan } from '../../scripts/custody/custody-plan.js';
import { custodyRows, custodyVerdicts, type CustodyVerdict } from '../../scripts/custody/custody-tally.js';
import { formatTable } from '../../scripts/format-table.js';
import { namedByTheFleet } from '../../scripts/custody/named-by-the-fleet.js';
import { runCustodyChaos, type CustodyFleet } from '../../scripts/custody/run-custody-chaos.js';
import { StandInProvider } from '../../scripts/stand-ins/stand-in-provider.js';
import type { BenchContext } from '../harness/bench-context.js';
import { figure, type Check, type ScenarioReport } from '../harness/figure.js';
import { freePort } from '../harness/free-port.js';
import type { PinnedProcess } from '../harness/pinned-process.js';
import { startService } from '../harness/service-process.js';
import { summarize } from '../harness/stats.js';

const LINK_TTL_MS = 6000;

/** What one run of the scenario gave. */
interface CustodyResult {
  held: number;
  archived: number;
  /** Artifacts the fleet was told of (a webhook) and did not archive, and how many of them it names. */
  announcedMissing: number;
  namedMissing: number;
  fetchedMoreThanOnce: number;
  wrongSha: number;
  silentlyMissing: number;
  notKnowable: number;
  table: string;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Custody: the chaos scenario of the custody suite (test/custody), smaller (BENCH_CUSTODY_SESSIONS sessions, 20 by
 * default): webhooks lost (30%) and late (20%), the download queue wiped, the downloaders down past a link's life.
 * Run once with the provider API (the stand-in's, reconcile sweep on) and once without, on fleets built from dist/.
 * The figure is the share of the artifacts the provider holds that end archived, with the API against without it:
 * counts, not timings, so one run of each is the figure (BENCH_REPS does not apply).
 */
export async function custodyScenario(ctx: BenchContext): Promise<ScenarioReport> {
  const { settings, progress } = ctx;
  const plan = custodyPlan({ sessions: settings.custodySessions });
  const checks: Check[] = [];
  const results: Record<string, CustodyResult> = {};
  for (const api of [true, false]) {
    const name = api ? 'with the provider API' : 'without the provider API';
    progress(`  ${name}: ${plan.length} sessions, ${plan.length * 4} artifacts`);
    const result = await runOnce(ctx, plan, api, (line) => progress(`    ${line}`));
    results[name] = result;
    for (const line of result.table.split('\n')) progress(`    ${line}`);
    checks.push(
      { name: `custody ${name}: each artifact fetched once`, ok: result.fetchedMoreThanOnce === 0, detail: `${result.fetchedMoreThanOnce} fetched more than once` },
      { name: `custody ${name}: every SHA-256 right`, ok: result.wrongSha === 0, detail: `${result.wrongSha} wrong` },
      { name: `custody ${name}: nothing announced is silently missing`, ok: result.silentlyMissing === 0, detail: `${result.silentlyMissing} silently missing` },
    );
  }
  const withApi = results['with the provider API'] as CustodyResult;
  const withoutApi = results['without the provider API'] as CustodyResult;
  const share = (r: CustodyResult) => summarize([(r.archived / r.held) * 100]);
  const namedShare = summarize([withoutApi.announcedMissing === 0 ? 100 : (withoutApi.namedMissing / withoutApi.announcedMissing) * 100]);
  return {
    name: 'custody',
    figures: [
      figure('custody', 'provider-held artifacts archived, with the API vs without', '%', share(withApi), 'same scenario without the provider API', share(withoutApi), '100% with the API', (_ratio, s) => s.min >= 100),
      figure('custody', 'announced artifacts not archived that the fleet names, without the API', '%', namedShare, 'none', null, '100%', (_ratio, s) => s.min >= 100),
    ],
    checks,
    cpu: {},
    details: {
      sessions: plan.length,
      linkTtlMs: LINK_TTL_MS,
      results: Object.fromEntries(Object.entries(results).map(([name, { table: _table, ...counts }]) => [name, counts])),
      notes: {
        custody:
          'Custody counts, one run each way (not timings): never-delivered webhooks are invisible without the API, so the share without it is bounded by the webhooks delivered and the links that still worked.',
      },
    },
  };
}

async function runOnce(ctx: BenchContext, plan: ReturnType<typeof custodyPlan>, api: boolean, say: (line: string) => void): Promise<CustodyResult> {
  const { settings, placement } = ctx;
  const tag = `${ctx.runId}-custody-${api ? 'api' : 'none'}`;
  const prefix = `bench-${tag}.`;
  const queueName = `bench-${tag}`;
  const archiveDir = join(settings.workDir, `custody-${tag}`);
  mkdirSync(archiveDir, { recursive: true });
  const stand = await new StandInProvider({ linkTtlMs: LINK_TTL_MS }).start();
  const key = createSigningKey();
  const redis = createRedis(ctx.redisUrl);
  const queues = openArchiveQueues(redis, queueName);
  const processes: PinnedProcess[] = [];
  const common = {
    TOPIC_PREFIX: prefix,
    KAFKA_BROKERS: ctx.brokers.join(','),
    SCHEMA_REGISTRY_URL: ctx.registryUrl,
    REDIS_URL: ctx.redisUrl,
    LOG_LEVEL: 'info',
  };
  const fleetEnv = {
    ...common,
    ...(api ? stand.env('realtimekit') : {}),
    ARCHIVE_QUEUE: queueName,
    ARCHIVE_DIR: archiveDir,
    DISPATCHER_GROUP_ID: `bench-${tag}-dispatchers`,
    DISPATCHER_METRICS_PORT: '0',
    DOWNLOADER_METRICS_PORT: '0',
    DOWNLOAD_ALLOWED_HOSTS: '127.0.0.1',
    DOWNLOAD_ALLOW_HTTP: 'true',
    DOWNLOAD_ALLOWED_ADDRESSES: '127.0.0.1',
    DOWNLOAD_ALLOWED_PORTS: new URL(stand.artifacts.origin).port,
    DOWNLOAD_LOCK_MS: '4000',
    RECONCILE_INTERVAL_SECONDS: '5',
    RECONCILE_GRACE_MINUTES: '0',
  };
  const start = (service: 'ingress' | 'dispatcher' | 'downloader', env: Record<string, string>) => {
    const proc = startService(service, placement.subjectCpu, env, settings.launch);
    processes.push(proc);
    return proc;
  };
  let downloaders: PinnedProcess[] = [];
  const startDownloaders = async () => {
    downloaders = [start('downloader', fleetEnv), start('downloader', fleetEnv)];
    await Promise.all(downloaders.map((d) => d.waitFor('downloading', 120_000)));
  };
  const ingressPort = await freePort();
  const ingress = start('ingress', { ...common, INGRESS_PORT: String(ingressPort), INGRESS_METRICS_PORT: '0', DYTE_WEBHOOK_PUBLIC_KEY: key.publicKeyPem });
  const dispatcher = start('dispatcher', fleetEnv);
  try {
    await Promise.all([ingress.waitFor('ready', 120_000), dispatcher.waitFor('consuming', 120_000), startDownloaders()]);
    const outcomes = await followArchiveOutcomes(ctx.kafka, new SchemaRegistry({ host: ctx.registryUrl }), topicNames(prefix).archive);
    const logged = (message: string) =>
      dispatcher.lines.flatMap((line) => {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          return parsed.msg === message ? [parsed] : [];
        } catch {
          return [];
        }
      });
    const fleet: CustodyFleet = {
      async post(body) {
        const raw = Buffer.from(JSON.stringify(body));
        const response = await fetch(`http://127.0.0.1:${ingressPort}/webhooks/dyte`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'dyte-signature': key.sign(raw) },
          body: raw,
        });
        await response.arrayBuffer();
        return response.status;
      },
      async stopDownloaders() {
        await Promise.all(downloaders.map((d) => d.stop()));
        downloaders = [];
      },
      startDownloaders,
      wipeQueue: () => obliterateArchiveQueues(redis, queueName),
      jobState: (jobId) => queues.archive.getJobState(jobId),
      async jobsInFlight() {
        const counts = await queues.archive.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused');
        return Object.values(counts).reduce((sum, n) => sum + n, 0);
      },
    };
    if (logged('reconcile sweep on').length > 0) {
      fleet.nextSweep = async () => {
        const now = Date.now();
        const deadline = now + 120_000;
        while (!logged('reconcile sweep done').some((line) => Date.parse(String(line.time)) - Number(line.tookMs) > now)) {
          if (Date.now() > deadline) throw new Error('no reconcile sweep within 120 s');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      };
    }
    try {
      const run = await runCustodyChaos(plan, stand, fleet, outcomes, { api, linkTtlMs: LINK_TTL_MS, organizationId: stand.appId, progress: say });
      const { named } = await namedByTheFleet({ redis, topicPrefix: prefix }, run.artifacts, outcomes);
      const verdicts = await custodyVerdicts({
        api,
        artifacts: run.artifacts,
        outcomes,
        served: (file) => stand.artifacts.requests(file),
        expectedSha256: (file) => stand.sha256(file),
        storedSha256: (location) => sha256Of(fileURLToPath(location)),
        named,
        ...(fleet.nextSweep ? { addedBySweep: new Set([...logged('reconcile recovered an artifact no job had'), ...logged('reconcile retried a failed artifact with a fresh link')].map((line) => String(line.jobId))) } : {}),
      });
      const count = (test: (v: CustodyVerdict) => boolean) => verdicts.filter(test).length;
      return {
        held: verdicts.length,
        archived: count((v) => v.archived),
        announcedMissing: count((v) => !v.archived && v.artifact.webhookStatus !== undefined),
        namedMissing: count((v) => v.namedMissing && v.artifact.webhookStatus !== undefined),
        fetchedMoreThanOnce: count((v) => v.fetchedMoreThanOnce),
        wrongSha: count((v) => v.wrongSha),
        silentlyMissing: count((v) => v.silentlyMissing),
        notKnowable: count((v) => v.notKnowable),
        table: formatTable(custodyRows(verdicts, { sweepKnown: fleet.nextSweep !== undefined })),
      };
    } finally {
      await outcomes.stop();
    }
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await queues.close();
    await obliterateArchiveQueues(redis, queueName).catch(() => undefined);
    // The dispatcher kept a session ledger of the run's records: it goes with the run's topics.
    await sessionLedger(redis, prefix).clear().catch(() => undefined);
    await redis.quit();
    await stand.close();
    rmSync(archiveDir, { recursive: true, force: true });
    const admin = ctx.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topicNames(prefix)) }).catch(() => undefined);
    await admin.disconnect();
  }
}
