import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { startPinned, type PinnedProcess } from './pinned-process.js';

/** The repository root: bench/ is compiled to dist/bench/, so two or three levels up. */
export const repoRoot = join(__dirname, __dirname.includes(`${join('dist', 'bench')}`) ? '../../..' : '../..');

/** How the services under test are started: node flags, and which build. */
export interface ServiceLaunch {
  /** Given to node first (e.g. --cpu-prof). */
  nodeArgs: string[];
  /** The build the services run from (dist/ of the repo unless another build is compared). */
  distDir: string;
}

/**
 * Starts a service of the fleet from the build (<distDir>/services/<name>/src/main.js), as in production, pinned
 * to `cpu`.
 */
export function startService(name: 'ingress' | 'dispatcher' | 'downloader', cpu: number, env: Record<string, string>, launch: ServiceLaunch): PinnedProcess {
  const main = join(launch.distDir, 'services', name, 'src', 'main.js');
  const nodeArgs = launch.nodeArgs;
  return startPinned(cpu, process.execPath, [...nodeArgs, main], { LOG_LEVEL: 'info', ...env }, repoRoot);
}

/** What a bench dispatcher reads and where it adds jobs: the run's topics, its queue and its consumer group. */
export interface BenchDispatcher {
  prefix: string;
  queue: string;
  groupId: string;
}

/** Starts a dispatcher on the stack of the run, pinned to `cpu`, with `env` on top (its metrics on a free port). */
export function startDispatcher(ctx: BenchContext, cpu: number, names: BenchDispatcher, env: Record<string, string> = {}): PinnedProcess {
  return startService(
    'dispatcher',
    cpu,
    {
      TOPIC_PREFIX: names.prefix,
      ARCHIVE_QUEUE: names.queue,
      DISPATCHER_GROUP_ID: names.groupId,
      DISPATCHER_METRICS_PORT: '0',
      KAFKA_BROKERS: ctx.brokers.join(','),
      SCHEMA_REGISTRY_URL: ctx.registryUrl,
      ...env,
    },
    ctx.settings.launch,
  );
}

/** Starts one of the bench's own helper programs (dist/bench/...js) pinned to `cpu`. */
export function startBenchProgram(relativePath: string, cpu: number, env: Record<string, string> = {}): PinnedProcess {
  const compiled = __filename.endsWith('.js');
  const file = join(__dirname, '..', relativePath.replace(/\.ts$/, compiled ? '.js' : '.ts'));
  const args = compiled ? [file] : ['-r', 'tsx/cjs', file];
  return startPinned(cpu, process.execPath, args, env, repoRoot);
}
