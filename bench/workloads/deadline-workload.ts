/** One artifact of the deadlines workload: its size and when its link expires, relative to the run's start. */
export interface DeadlineArtifact {
  name: string;
  bytes: number;
  /** Milliseconds after the jobs are added. */
  expiresInMs: number;
  urgent: boolean;
}

/** How tight a workload is. */
export interface DeadlineShape {
  /** The artifact server's total bandwidth, shared by every download. */
  bytesPerSecond: number;
  /** Downloads at once. */
  concurrency: number;
  /** Deadline of the k-th urgent artifact = lead + slack x (time to transfer urgent artifacts 1..k). */
  slack: number;
  leadMs: number;
}

const MIB = 1024 * 1024;

// A small deterministic generator (mulberry32), so every run and both contenders get the same workload.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 16 urgent artifacts of 1-4 MiB whose links expire within seconds, in an order of their own, and 6 recordings
 * of 8 MiB whose links last an hour, all arriving together in a shuffled order. With slack >= 1 the urgent ones
 * all fit before their deadlines when fetched earliest-deadline-first (the hour-long ones after them); with
 * slack < 1 nothing can fetch them all in time. Returned in arrival order.
 */
export function deadlineWorkload(shape: DeadlineShape, seed = 7): DeadlineArtifact[] {
  const next = random(seed);
  const urgent = Array.from({ length: 16 }, (_, i) => ({ name: `urgent-${i}`, bytes: (1 + Math.floor(next() * 4)) * MIB }));
  const relaxed: DeadlineArtifact[] = Array.from({ length: 6 }, (_, i) => ({ name: `relaxed-${i}`, bytes: 8 * MIB, expiresInMs: 3_600_000, urgent: false }));
  const largest = Math.max(...urgent.map((u) => u.bytes));
  let cumulative = 0;
  // Deadline order: the generated order; arrival order: shuffled below, independently.
  const timed: DeadlineArtifact[] = urgent.map((u) => {
    cumulative += u.bytes;
    const transferMs = (cumulative / shape.bytesPerSecond) * 1000;
    // With `concurrency` downloads sharing the bandwidth, the one that completes next may wait for up to
    // concurrency - 1 others of the largest size.
    const sharingMs = ((shape.concurrency - 1) * largest * 1000) / shape.bytesPerSecond;
    return { ...u, expiresInMs: Math.round(shape.leadMs + shape.slack * transferMs + sharingMs), urgent: true };
  });
  const all = [...timed, ...relaxed];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j] as DeadlineArtifact, all[i] as DeadlineArtifact];
  }
  return all;
}
