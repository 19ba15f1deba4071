import { readFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { baseConfigSchema, createKafka, createLogger, loadConfig } from '../shared/src/index.js';
import type { BenchContext, BenchSettings } from './harness/bench-context.js';
import type { ScenarioReport } from './harness/figure.js';
import { describePlacement, pinStackServers, type Placement } from './harness/placement.js';
import { repoRoot } from './harness/service-process.js';
import type { BenchResults } from './report/bench-results.js';
import { printTable } from './report/print-table.js';
import { writeResults } from './report/write-results.js';
import { custodyScenario } from './scenarios/custody.js';
import { deadlinesScenario } from './scenarios/deadlines.js';
import { dispatchScenario } from './scenarios/dispatch.js';
import { dispatchScaleScenario } from './scenarios/dispatch-scale.js';
import { downloadScenario } from './scenarios/download.js';
import { downloadScaleScenario } from './scenarios/download-scale.js';
import { ingressScenario } from './scenarios/ingress.js';
import { ingressScaleScenario } from './scenarios/ingress-scale.js';
import { ledgerScenario } from './scenarios/ledger.js';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioReport>> = {
  ingress: ingressScenario,
  'ingress-scale': ingressScaleScenario,
  dispatch: dispatchScenario,
  'dispatch-scale': dispatchScaleScenario,
  ledger: ledgerScenario,
  download: downloadScenario,
  'download-scale': downloadScaleScenario,
  deadlines: deadlinesScenario,
  custody: custodyScenario,
};

// The only place that reads the environment: BENCH_* settings, and the stack's addresses as the services read them.
function settingsFromEnv(env: NodeJS.ProcessEnv): BenchSettings {
  const int = (name: string, fallback: number, min: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got ${env[name]})`);
    return value;
  };
  const scenarios = (env.BENCH_SCENARIOS ?? Object.keys(SCENARIOS).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of scenarios) if (!SCENARIOS[name]) throw new Error(`BENCH_SCENARIOS: unknown scenario "${name}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  return {
    reps: int('BENCH_REPS', 5, 1),
    seconds: int('BENCH_SECONDS', 8, 1),
    openSeconds: int('BENCH_OPEN_SECONDS', 5, 1),
    connections: int('BENCH_CONNECTIONS', 128, 1),
    dispatchRecords: int('BENCH_DISPATCH_RECORDS', 20_000, 100),
    ledgerSessions: int('BENCH_LEDGER_SESSIONS', 10_000, 100),
    downloadBytes: int('BENCH_DOWNLOAD_MB', 1024, 1) * 1024 * 1024,
    custodySessions: int('BENCH_CUSTODY_SESSIONS', 20, 4),
    scenarios,
    launch: {
      nodeArgs: (env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
      distDir: env.BENCH_DIST_DIR ?? join(repoRoot, 'dist'),
    },
    compareDistDir: env.BENCH_COMPARE_DIST_DIR || undefined,
    workDir: env.BENCH_WORK_DIR ?? join(repoRoot, '.stack', 'bench'),
  };
}

/** The CPUs this process may run on (the Makefile pins it with taskset). */
function ownCpus(): string {
  return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 'unknown';
}

function kafkaPid(): number | undefined {
  try {
    return Number(readFileSync(join(repoRoot, '.stack', 'run', 'kafka.pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const settings = settingsFromEnv(process.env);
  const placement: Placement = { subjectCpu: Number(process.env.BENCH_SUBJECT_CPU ?? 0), loadCpu: Number(process.env.BENCH_LOAD_CPU ?? 1) };
  const stack = loadConfig(baseConfigSchema);
  const logger = createLogger({ level: 'error', name: 'bench' });
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'bench', logger });
  const runId = started.toString(36);
  const progress = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const ctx: BenchContext = {
    runId,
    settings,
    placement,
    kafka,
    brokers: stack.kafkaBrokers,
    registryUrl: stack.schemaRegistryUrl,
    redisUrl: stack.redisUrl,
    kafkaPid,
    progress,
  };
  const stackPlacement = pinStackServers(repoRoot, placement.loadCpu);
  progress(`run ${runId}: ${describePlacement(placement, stackPlacement.pinned)}; runner on CPUs ${ownCpus()}; ${JSON.stringify(settings)}`);
  const reports: ScenarioReport[] = [];
  try {
    for (const name of settings.scenarios) {
      progress(`scenario ${name}`);
      const scenarioStarted = Date.now();
      try {
        reports.push(await (SCENARIOS[name] as (ctx: BenchContext) => Promise<ScenarioReport>)(ctx));
      } catch (error) {
        // One broken scenario (a broker restarted under it, say) must not cost the figures of the others.
        progress(`!!! scenario ${name} FAILED: ${(error as Error).stack ?? String(error)}`);
        reports.push({ name, figures: [], checks: [{ name: `scenario ${name} ran`, ok: false, detail: (error as Error).message }], cpu: {}, details: {} });
      }
      progress(`scenario ${name} done in ${Math.round((Date.now() - scenarioStarted) / 1000)} s`);
    }
  } finally {
    stackPlacement.restore();
  }
  const figures = reports.flatMap((r) => r.figures);
  const checks = reports.flatMap((r) => r.checks);
  const notes = Object.assign({}, ...reports.map((r) => (r.details.notes as Record<string, string> | undefined) ?? {})) as Record<string, string>;
  const results: BenchResults = {
    startedAt: new Date(started).toISOString(),
    tookSeconds: (Date.now() - started) / 1000,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, kernel: `Linux ${release()}` },
    placement: `${describePlacement(placement, stackPlacement.pinned)}; runner's own CPUs: ${ownCpus()}`,
    settings: { ...settings },
    figures,
    checks,
    scenarios: reports,
    notes,
  };
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const dir = process.env.BENCH_RESULTS_DIR ?? join(repoRoot, 'bench', 'results');
  const written = writeResults(dir, stamp, results);
  console.log('');
  console.log(printTable(figures, checks));
  console.log('');
  console.log(`written: ${written.slice(0, 2).join(', ')} and ${written.length - 2} charts (took ${Math.round(results.tookSeconds)} s)`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
}

main().catch((error) => {
  console.error('[bench] failed:', error);
  process.exit(1);
});
