/**
 * Where each process runs, the same in every run: the system under test and its baselines on one CPU, the load
 * generator (this runner, its artifact servers) on another. Kafka, the registry and Redis are left where the
 * kernel puts them, as in production; they are shared by subject and baseline alike.
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
export function describePlacement(placement: Placement): string {
  return `subject and baselines on CPU ${placement.subjectCpu} (taskset), load generator on CPU ${placement.loadCpu}; Kafka, registry, Redis unpinned`;
}
