import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis, obliterateArchiveQueues, openArchiveQueues, sessionLedger } from '../../shared/src/index.js';
import { followArchiveOutcomes } from '../../scripts/custody/archive-outcomes.js';
import { custodyPlan } from '../../scripts/custody/custody-plan.js';
import { custodyRows, custodyVerdicts, type CustodyVerdict } from '../../scripts/custody/custody-tally.js';
import { formatTable } from '../../scripts/format-table.js';
import { namedByTheFleet } from '../../scripts/custody/named-by-the-fleet.js';
import { runCustodyChaos, type CustodyFleet, type CustodyRun } from '../../scripts/custody/run-custody-chaos.js';
import { StandInProvider } from '../../scripts/stand-ins/stand-in-provider.js';
import { archiveFleetEnv } from '../helpers/archive-fleet.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../helpers/ingress-under-test.js';
import { runCli } from '../helpers/run-cli.js';
import { spawnService, type RunningService } from '../helpers/spawn-service.js';
import { testConfig } from '../helpers/test-config.js';
import { waitFor } from '../helpers/wait-for.js';

// Links live a few seconds, so "the downloaders stopped for longer than a link lives" takes seconds, not hours.
const LINK_TTL_MS = 6000;
// The sweep every 10 s: 50 sessions cost about 150 provider requests, well inside RealtimeKit's 250 per 10 s, which
// the downloaders' link refreshes share. No grace: the webhooks of a session are sent the moment it ends.
const SWEEP_ENV = { RECONCILE_INTERVAL_SECONDS: '10', RECONCILE_GRACE_MINUTES: '0' };

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** JSON log lines of a spawned service whose `msg` is `message`. */
function logged(service: RunningService, message: string): Record<string, unknown>[] {
  return service.lines.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    const parsed = JSON.parse(line) as Record<string, unknown>;
    return parsed.msg === message ? [parsed] : [];
  });
}

/**
 * The fleet of one run against the real stack: an ingress (in this process), two dispatchers and two downloaders
 * (spawned, as in production), a queue, consumer groups and topics of its own, the stand-in provider's artifact
 * server as the only place downloads may come from; with the stand-in's API or without.
 */
async function startChaosFleet(stand: StandInProvider, api: boolean) {
  const ingress: IngressUnderTest = await startIngress();
  const archiveDir = await mkdtemp(join(tmpdir(), 'custody-chaos-'));
  const env = archiveFleetEnv(ingress, archiveDir, { ...(api ? stand.env('realtimekit') : {}), ...SWEEP_ENV, DOWNLOAD_LOCK_MS: '4000' }, stand.artifacts);
  const dispatchers = [spawnService('dispatcher', env), spawnService('dispatcher', env)];
  let downloaders: RunningService[] = [];
  const retired: RunningService[] = [];
  const startDownloaders = async () => {
    downloaders = [spawnService('downloader', env), spawnService('downloader', env)];
    await Promise.all(downloaders.map((d) => d.waitForLog('downloading', 120_000)));
  };
  await Promise.all([...dispatchers.map((d) => d.waitForLog('consuming', 120_000)), startDownloaders()]);
  const redis = createRedis(testConfig.redisUrl);
  const queues = openArchiveQueues(redis, env.ARCHIVE_QUEUE as string);
  const outcomes = await followArchiveOutcomes(ingress.kafka, ingress.plainRegistry, `${ingress.topicPrefix}archive`);
  const sweepsDone = () => dispatchers.flatMap((d) => logged(d, 'reconcile sweep done'));

  const fleet: CustodyFleet = {
    post: async (body) => (await postWebhook(ingress, body)).status,
    async stopDownloaders() {
      await Promise.all(downloaders.map((d) => d.stop()));
      retired.push(...downloaders);
      downloaders = [];
    },
    startDownloaders,
    wipeQueue: () => obliterateArchiveQueues(redis, env.ARCHIVE_QUEUE as string),
    jobState: (jobId) => queues.archive.getJobState(jobId),
    async jobsInFlight() {
      const counts = await queues.archive.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused');
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    },
  };
  // Only a fleet whose dispatchers sweep (with a provider API or a ledger to reconcile against) has a next sweep.
  if (dispatchers.some((d) => logged(d, 'reconcile sweep on').length > 0)) {
    // A sweep that started after now, and finished: its log line's time minus what it took.
    fleet.nextSweep = async () => {
      const now = Date.now();
      await waitFor(() => sweepsDone().some((line) => Date.parse(String(line.time)) - Number(line.tookMs) > now), {
        timeoutMs: 120_000,
        description: 'a reconcile sweep that started after the fleet settled',
      });
    };
  }
  return {
    ingress,
    env,
    fleet,
    outcomes,
    redis,
    dispatchers,
    /** Job ids the dispatchers' sweeps added or retried, from their logs. */
    addedBySweep: () =>
      new Set(
        dispatchers.flatMap((d) =>
          [...logged(d, 'reconcile recovered an artifact no job had'), ...logged(d, 'reconcile retried a failed artifact with a fresh link')].map((line) => String(line.jobId)),
        ),
      ),
    everyService: () => [...dispatchers, ...downloaders, ...retired],
    async stop() {
      await outcomes.stop();
      await Promise.all([...dispatchers, ...downloaders].map((s) => s.stop()));
      await queues.close();
      await obliterateArchiveQueues(redis, env.ARCHIVE_QUEUE as string).catch(() => undefined);
      await sessionLedger(redis, ingress.topicPrefix).clear().catch(() => undefined);
      await redis.quit();
      await ingress.stop();
      await rm(archiveDir, { recursive: true, force: true });
    },
  };
}

type ChaosFleet = Awaited<ReturnType<typeof startChaosFleet>>;

function printRun(title: string, run: CustodyRun, verdicts: CustodyVerdict[], stand: StandInProvider, extra: string[], sweepKnown: boolean): void {
  const throttled = stand.requests.filter((r) => r.status === 429).length;
  console.log(`\n      ${title}`);
  console.log(
    `      ${run.artifacts.length} artifacts of ${new Set(run.artifacts.map((a) => a.session.id)).size} sessions; ` +
      `${run.artifacts.filter((a) => a.webhookStatus !== undefined).length} webhooks delivered; queue wiped with ${run.jobsWiped} job(s) in flight; ` +
      `downloaders stopped ${(run.downloadersStoppedMs / 1000).toFixed(1)} s (links live ${LINK_TTL_MS / 1000} s); ` +
      `${stand.requests.length} provider API requests (${throttled} answered 429); settled in ${(run.tookMs / 1000).toFixed(1)} s`,
  );
  for (const line of extra) console.log(`      ${line}`);
  console.log(formatTable(custodyRows(verdicts, { sweepKnown })));
}

describe('custody chaos: 50 sessions, lost and late webhooks, a wiped queue, downloaders down past a link\'s life', function () {
  this.timeout(600_000);
  const plan = custodyPlan({ sessions: 50 });
  let stand: StandInProvider;
  let chaos: ChaosFleet | undefined;

  beforeEach(async () => {
    stand = await new StandInProvider({ linkTtlMs: LINK_TTL_MS }).start();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && chaos) {
      // The services' own words are what explains a failed run: kept for reading after the fleet is gone.
      const dir = await mkdtemp(join(tmpdir(), 'custody-chaos-logs-'));
      for (const [index, service] of chaos.everyService().entries()) await writeFile(join(dir, `${index}.log`), service.lines.join('\n'));
      console.log(`      the services' logs: ${dir}`);
    }
    await chaos?.stop();
    chaos = undefined;
    await stand?.close();
  });

  it('when the provider API is configured, then every artifact is archived, each fetched once, every SHA-256 right', async () => {
    chaos = await startChaosFleet(stand, true);
    const run = await runCustodyChaos(plan, stand, chaos.fleet, chaos.outcomes, {
      api: true,
      linkTtlMs: LINK_TTL_MS,
      organizationId: stand.appId,
      progress: (line) => console.log(`      [api] ${line}`),
    });
    const { named } = await namedByTheFleet({ redis: chaos.redis, topicPrefix: chaos.ingress.topicPrefix }, run.artifacts, chaos.outcomes);
    const verdicts = await custodyVerdicts({
      api: true,
      artifacts: run.artifacts,
      outcomes: chaos.outcomes,
      served: (file) => stand.artifacts.requests(file),
      expectedSha256: (file) => stand.sha256(file),
      storedSha256: (location) => sha256Of(fileURLToPath(location)),
      named,
      addedBySweep: chaos.addedBySweep(),
    });
    printRun('(a) with the provider API (PROVIDER=realtimekit against the stand-in, reconcile sweep every 10 s)', run, verdicts, stand, [], chaos.fleet.nextSweep !== undefined);

    const which = (test: (v: CustodyVerdict) => boolean) => verdicts.filter(test).map((v) => `${v.artifact.jobId} (${v.artifact.fate}, ${v.artifact.phase})`);
    assert.deepEqual(which((v) => !v.archived), [], 'every artifact the provider holds is archived');
    assert.deepEqual(
      verdicts.filter((v) => v.fetchedMoreThanOnce).map((v) => `${v.artifact.jobId}: ${v.servedBytes} bytes served for ${v.artifact.bytes}, ${v.completeTransfers} full transfers`),
      [],
      'each artifact fetched once',
    );
    assert.deepEqual(which((v) => v.wrongSha), [], 'every SHA-256 is the provider\'s');
    assert.deepEqual(which((v) => v.namedMissing || v.namedButArchived), [], 'nothing is named as missing');
    assert.ok(
      verdicts.filter((v) => v.artifact.fate === 'never').every((v) => v.addedBySweep),
      'the artifacts no webhook announced were added by the sweep',
    );
    for (const service of chaos.everyService()) assert.ok(service.child.exitCode === null || service.child.exitCode === 0, 'no service crashed');
  });

  it('when the provider API is off, then the fleet names exactly the artifacts it could not archive', async () => {
    chaos = await startChaosFleet(stand, false);
    const run = await runCustodyChaos(plan, stand, chaos.fleet, chaos.outcomes, {
      api: false,
      linkTtlMs: LINK_TTL_MS,
      organizationId: stand.appId,
      progress: (line) => console.log(`      [no api] ${line}`),
    });
    const { named, byLedger, byFailures } = await namedByTheFleet({ redis: chaos.redis, topicPrefix: chaos.ingress.topicPrefix }, run.artifacts, chaos.outcomes);
    const verdicts = await custodyVerdicts({
      api: false,
      artifacts: run.artifacts,
      outcomes: chaos.outcomes,
      served: (file) => stand.artifacts.requests(file),
      expectedSha256: (file) => stand.sha256(file),
      storedSha256: (location) => sha256Of(fileURLToPath(location)),
      named,
      addedBySweep: chaos.addedBySweep(),
    });
    // What an operator runs without the API: the same sessions, from the same ledger, through the CLI.
    const cli = await runCli(['reconcile', '--since', '72h', '--json'], chaos.env);
    assert.equal(cli.code, 1, `reconcile exits 1 when the ledger shows sessions not archived (stderr: ${cli.stderr})`);
    const report = JSON.parse(cli.stdout) as { provider: string | null; incomplete: { artifacts: { jobId: string }[] }[] };
    assert.equal(report.provider, null);
    const byCli = new Set(report.incomplete.flatMap((s) => s.artifacts.map((a) => a.jobId)));
    assert.deepEqual([...byCli].sort(), [...byLedger].sort(), 'dyte-bridge reconcile names what the ledger holds back');
    const failures = chaos.outcomes.all.filter((o) => o.type === 'failed');
    printRun('(b) without the provider API (PROVIDER=none)', run, verdicts, stand, [
      `named by the fleet: ${byFailures.size} by ArtifactFailed on dyte.archive (${[...new Set(failures.map((f) => `${f.value.reason}/${f.value.expiredBecause}`))].join(', ')}), ` +
        `${byLedger.size} by the session ledger's incomplete sessions, as \`dyte-bridge reconcile --since 72h\` lists them (${[...byLedger].filter((id) => !byFailures.has(id)).length} of them only there: wiped from the queue)`,
    ], chaos.fleet.nextSweep !== undefined);

    const announced = run.artifacts.filter((a) => a.webhookStatus !== undefined);
    const notArchived = announced.filter((a) => !chaos?.outcomes.about(a.jobId).some((o) => o.type === 'archived')).map((a) => a.jobId);
    assert.deepEqual([...named].sort(), [...notArchived].sort(), 'the fleet names exactly the announced artifacts it did not archive');
    assert.deepEqual(verdicts.filter((v) => v.silentlyMissing).map((v) => v.artifact.jobId), [], 'nothing the fleet was told of is silently missing');
    assert.deepEqual(verdicts.filter((v) => v.fetchedMoreThanOnce || v.wrongSha).map((v) => v.artifact.jobId), [], 'what is archived is fetched once and right');
    assert.deepEqual(failures.filter((f) => f.value.reason !== 'EXPIRED' || f.value.expiredBecause !== 'NO_PROVIDER_API').map((f) => f.jobId), [], 'every failure says the link expired and there is no provider API');
    // What the scenario makes of each webhook without the API: late and stopped-past-expiry links end EXPIRED,
    // wiped jobs live on only in the ledger, and what no webhook announced nobody knows of.
    assert.ok(verdicts.filter((v) => v.artifact.fate === 'late').every((v) => v.namedMissing), 'every late webhook\'s artifact is named');
    assert.ok(verdicts.filter((v) => v.artifact.wiped).every((v) => v.namedMissing && byLedger.has(v.artifact.jobId)), 'every wiped job is named by the ledger');
    assert.ok(verdicts.filter((v) => v.artifact.fate === 'never').every((v) => v.notKnowable), 'nothing the provider alone knows of is archived or named');
    assert.ok(verdicts.some((v) => v.archived), 'the on-time webhooks of running downloaders are archived');
  });
});
