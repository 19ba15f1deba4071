import type { Kafka } from 'kafkajs';
import type { Placement } from './placement.js';
import type { ServiceLaunch } from './service-process.js';

/** The settings of a bench run (BENCH_* variables, read once by main.ts). */
export interface BenchSettings {
  /** Alternating repetitions per scenario, after a warm-up. */
  reps: number;
  /** Length of one closed-loop ingress repetition. */
  seconds: number;
  /** Length of one open-loop (fixed rate) repetition. */
  openSeconds: number;
  /** Connections of the closed-loop load. */
  connections: number;
  /** Kafka records dispatched per dispatch repetition. */
  dispatchRecords: number;
  /** Sessions the ledger scenario publishes per repetition. */
  ledgerSessions: number;
  /** Size of the download scenario's file. */
  downloadBytes: number;
  /** Sessions of the custody scenario (four artifacts each). */
  custodySessions: number;
  /** Scenarios to run (all by default). */
  scenarios: string[];
  /** How services under test start: node flags (e.g. --cpu-prof for profiling runs) and the build they run from. */
  launch: ServiceLaunch;
  /** Another build's dist/ to run a second ingress from, alternated with this one (before/after a change). */
  compareDistDir: string | undefined;
  /** Where scratch files go (the 1 GiB artifact, archives): the same disk for subject and baseline. */
  workDir: string;
}

/** What every scenario receives. */
export interface BenchContext {
  /** A name unique to this run: topic prefixes, queues and groups are built from it. */
  runId: string;
  settings: BenchSettings;
  placement: Placement;
  kafka: Kafka;
  brokers: string[];
  registryUrl: string;
  redisUrl: string;
  /** Pid of the local Kafka broker now (read again each time: a broker restarted by someone else gets a new one). */
  kafkaPid(): number | undefined;
  progress(line: string): void;
}
