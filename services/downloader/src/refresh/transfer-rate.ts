/** The transfer rate one downloader has lately seen, to judge whether a link lasts long enough for a download. */
export interface TransferRate {
  /** A transfer of `bytes` in `ms` ended; called once per download, never per chunk. */
  observe(bytes: number, ms: number): void;
  /** Bytes per second, or undefined before any transfer long enough to tell. */
  bytesPerSecond(): number | undefined;
}

// Transfers shorter than this measure the round trip, not the bandwidth.
const MIN_SAMPLE_MS = 1000;
// Each new transfer weighs this much against the history: a few recent ones dominate.
const WEIGHT = 0.3;

/** An exponentially weighted average of the rate of this process's transfers of a second or more. */
export function transferRate(): TransferRate {
  let average: number | undefined;
  return {
    observe(bytes, ms) {
      if (ms < MIN_SAMPLE_MS || bytes <= 0) return;
      const rate = (bytes * 1000) / ms;
      average = average === undefined ? rate : average + WEIGHT * (rate - average);
    },
    bytesPerSecond: () => average,
  };
}
