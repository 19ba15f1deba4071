import type { Check, Figure, ScenarioReport } from '../harness/figure.js';

/** Everything a run writes to bench/results/<date>.json. */
export interface BenchResults {
  startedAt: string;
  tookSeconds: number;
  machine: { cpus: number; cpuModel: string; node: string; kernel: string };
  placement: string;
  settings: Record<string, unknown>;
  figures: Figure[];
  checks: Check[];
  scenarios: ScenarioReport[];
  /** Short texts for the summary, by heading (e.g. the workload of the deadlines scenario). */
  notes: Record<string, string>;
}
