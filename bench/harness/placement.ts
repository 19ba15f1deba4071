import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where each process runs, the same in every run: the system under test and its baselines on one CPU; the load
 * generator (this runner, its artifact servers) and the stack's own servers (Kafka, the registry, S3Proxy) on
 * the other, so that the subject has its CPU to itself, as it would in production, where Kafka runs elsewhere.
 * A Redis the stack did not start is left where it is.
 */
export interface Placement {
  /** CPU of the service under test and of each baseline (bare node:http, kafka-producer-perf-test, addBulk, curl). */
  subjectCpu: number;
  /** CPU of the load generator: this runner and its HTTP servers. */
  loadCpu: number;
}

/** The command and arguments that run `command` pinned to `cpu` (taskset). */
export function pinned(cpu: number, command: string, args: string[]): [string, string[]] {
  return ['taskset', ['-c', String(cpu), command, ...args]];
}

/** A one-line description of the placement, for the results. */
export function describePlacement(placement: Placement, stackPinned: string[]): string {
  const stack = stackPinned.length > 0 ? `${stackPinned.join(', ')} also on CPU ${placement.loadCpu}` : 'the stack unpinned (none of its servers started by this project)';
  return `subject and baselines on CPU ${placement.subjectCpu} (taskset), load generator on CPU ${placement.loadCpu}; ${stack}; a Redis not started by the stack unpinned`;
}

/**
 * Pins every thread of the stack's servers (by the pids `scripts/stack-up.sh` recorded) to `cpu`, and returns the
 * servers pinned with a function that gives each its former affinity back.
 */
export function pinStackServers(repoRoot: string, cpu: number): { pinned: string[]; restore: () => void } {
  const restored: (() => void)[] = [];
  const pinned: string[] = [];
  for (const server of ['kafka', 'registry', 's3proxy', 'redis']) {
    let pid: string;
    try {
      pid = readFileSync(join(repoRoot, '.stack', 'run', `${server}.pid`), 'utf8').trim();
      const before = /affinity list: (\S+)/.exec(execFileSync('taskset', ['-c', '-p', pid], { encoding: 'utf8' }))?.[1];
      execFileSync('taskset', ['-a', '-c', '-p', String(cpu), pid], { stdio: 'ignore' });
      if (before) restored.push(() => execFileSync('taskset', ['-a', '-c', '-p', before, pid], { stdio: 'ignore' }));
      pinned.push(server);
    } catch {
      // Not started by the stack scripts, or already gone: left where it is.
    }
  }
  return {
    pinned,
    restore: () => {
      for (const restore of restored) {
        try {
          restore();
        } catch {
          // The server stopped meanwhile.
        }
      }
    },
  };
}
