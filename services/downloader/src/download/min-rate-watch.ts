/** The slowest transfer accepted: `bytesPerSecond` averaged over the last `windowMs` (0 bytes per second: no floor). */
export interface MinRate {
  bytesPerSecond: number;
  windowMs: number;
}

/** A running check of a transfer's rate; `restart` gives it a fresh grace period, `stop` ends it. */
export interface MinRateWatch {
  restart(): void;
  stop(): void;
}

// Samples per window: the window slides in steps of a quarter.
const STEPS = 4;

/**
 * Samples `bytesSoFar()` on a timer (never per chunk) and calls `tooSlow` once with the rate of the last window
 * when it falls under the floor. The first judgement comes one whole window after the start (the grace period).
 */
export function watchMinRate(bytesSoFar: () => number, minRate: MinRate, tooSlow: (bytesPerSecond: number) => void): MinRateWatch {
  if (minRate.bytesPerSecond <= 0) return { restart() {}, stop() {} };
  let samples = [bytesSoFar()];
  const timer = setInterval(() => {
    samples.push(bytesSoFar());
    if (samples.length <= STEPS) return;
    if (samples.length > STEPS + 1) samples.shift();
    const rate = (((samples[STEPS] ?? 0) - (samples[0] ?? 0)) * 1000) / minRate.windowMs;
    if (rate < minRate.bytesPerSecond) {
      clearInterval(timer);
      tooSlow(Math.round(rate));
    }
  }, Math.max(1, Math.floor(minRate.windowMs / STEPS)));
  return {
    restart() {
      samples = [bytesSoFar()];
    },
    stop() {
      clearInterval(timer);
    },
  };
}
