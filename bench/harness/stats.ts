/** Median, spread and count of a set of repetitions of one figure. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median: how much the repetitions disagree. */
  spread: number;
  values: number[];
}

/** Summarizes repetitions; NaN values (a failed repetition) are left out. */
export function summarize(values: number[]): Summary {
  const kept = values.filter((v) => Number.isFinite(v));
  const sorted = [...kept].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length === 0 ? NaN : sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const min = sorted[0] ?? NaN;
  const max = sorted.at(-1) ?? NaN;
  return { median, min, max, spread: median ? (max - min) / median : NaN, values: kept };
}
