import type { Summary } from './stats.js';

/** One figure of a scenario, with its baseline from the same run and the ratio between the medians. */
export interface Figure {
  scenario: string;
  name: string;
  unit: string;
  subject: Summary;
  baselineName: string;
  baseline: Summary | null;
  /** subject median / baseline median. */
  ratio: number;
  /** The target in words, e.g. ">= 50% of bare node:http". */
  target: string;
  /** Whether the target was met; null when it is not a pass/fail figure. */
  met: boolean | null;
}

/** A check of correctness made during a scenario (e.g. 2xx answers = records on Kafka). */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** What a scenario hands to the report. */
export interface ScenarioReport {
  name: string;
  figures: Figure[];
  checks: Check[];
  /** CPU seconds per process and repetition, by contender. */
  cpu: Record<string, Record<string, number>[]>;
  /** Anything else worth keeping in the JSON (per-repetition results, peak RSS, workload). */
  details: Record<string, unknown>;
}

/** Builds a figure from the subject's and baseline's repetitions. */
export function figure(
  scenario: string,
  name: string,
  unit: string,
  subject: Summary,
  baselineName: string,
  baseline: Summary | null,
  target: string,
  meets: (ratio: number, subject: Summary) => boolean | null,
): Figure {
  const ratio = baseline ? subject.median / baseline.median : NaN;
  return { scenario, name, unit, subject, baselineName, baseline, ratio, target, met: meets(ratio, subject) };
}
