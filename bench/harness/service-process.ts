import { join } from 'node:path';
import { startPinned, type PinnedProcess } from './pinned-process.js';

/** The repository root: bench/ is compiled to dist/bench/, so two or three levels up. */
export const repoRoot = join(__dirname, __dirname.includes(`${join('dist', 'bench')}`) ? '../../..' : '../..');

/**
 * Starts a service of the fleet from the build (dist/services/<name>/src/main.js), as in production, pinned to
 * `cpu`. `nodeArgs` are given to node first (e.g. --cpu-prof).
 */
export function startService(name: 'ingress' | 'dispatcher' | 'downloader', cpu: number, env: Record<string, string>, nodeArgs: string[] = []): PinnedProcess {
  const main = join(repoRoot, 'dist', 'services', name, 'src', 'main.js');
  return startPinned(cpu, process.execPath, [...nodeArgs, main], { LOG_LEVEL: 'info', ...env }, repoRoot);
}

/** Starts one of the bench's own helper programs (dist/bench/...js) pinned to `cpu`. */
export function startBenchProgram(relativePath: string, cpu: number, env: Record<string, string> = {}): PinnedProcess {
  const compiled = __filename.endsWith('.js');
  const file = join(__dirname, '..', relativePath.replace(/\.ts$/, compiled ? '.js' : '.ts'));
  const args = compiled ? [file] : ['-r', 'tsx/cjs', file];
  return startPinned(cpu, process.execPath, args, env, repoRoot);
}
