import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

const root = join(__dirname, '..', '..');

/** A service of the fleet running as its own process, as in production, with its log lines kept. */
export interface RunningService {
  child: ChildProcess;
  lines: string[];
  /** Waits for a log line whose `msg` is `message`. */
  waitForLog(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Peak resident memory (VmHWM) of the process so far, in bytes. */
  peakRssBytes(): number;
  /** Resident memory (VmRSS) of the process now, in bytes. */
  rssBytes(): number;
  /** SIGTERM and wait for the exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (kill -9) and wait for the exit. */
  kill(): Promise<void>;
}

// Longer than any service's own shutdown deadline.
const STOP_GRACE_MS = 30_000;

/** Starts services/<name>/src/main.ts in a child process with `env` added to the test's environment. */
export function spawnService(name: string, env: Record<string, string>): RunningService {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(root, 'services', name, 'src', 'main.ts')], {
    cwd: root,
    // Metrics ports default to fixed numbers; under test each process takes a free one (logged as "metrics listening").
    env: { ...process.env, LOG_LEVEL: 'info', INGRESS_METRICS_PORT: '0', DISPATCHER_METRICS_PORT: '0', DOWNLOADER_METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffer = '';
  const collect = (data: Buffer) => {
    buffer += data.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const parsed = () =>
    lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return {
    child,
    lines,
    waitForLog: (message, timeoutMs = 60_000) =>
      waitFor(() => parsed().find((line) => line.msg === message), {
        timeoutMs,
        description: () => `${name} to log "${message}" (last lines: ${lines.slice(-5).join(' | ')})`,
      }),
    peakRssBytes: () => memory(child.pid, 'VmHWM'),
    rssBytes: () => memory(child.pid, 'VmRSS'),
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      // A process that hangs in its shutdown must not hang the test in its cleanup (and hide the failure that
      // led there): past the grace period it is killed, said on stderr with its last lines, and exits non-zero.
      const grace = setTimeout(() => {
        process.stderr.write(`[test] ${name} did not exit within ${STOP_GRACE_MS} ms of SIGTERM; killed (last lines: ${lines.slice(-5).join(' | ')})\n`);
        child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(grace);
      }
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function memory(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
}
