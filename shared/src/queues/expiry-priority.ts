// The BullMQ priority of a download job, from its link's expiry, relative to two bases that move forward with the
// clock (docs/adr/0017). BullMQ keeps prioritized jobs in one sorted set scored priority * 2^32 + an add counter,
// priorities 1..2^21 - 1: 21 bits, far too few for an absolute scale fine enough to order links milliseconds apart
// and long enough for any date. So the scale is relative and in two tiers:
//   1                          the link expired before the fine base
//   2 .. 2^20 + 1              fine: milliseconds after the fine base (about 17.5 minutes of them)
//   2^20 + 2 .. 2^21 - 2       coarse: seconds after the coarse base (about 12.1 days); the last one also holds
//                              every later expiry (re-computed from the job's own expiry when the coarse base moves)
//   2^21 - 1                   no expiry: after every link that expires
// The bases move forward (fine every 5 minutes, coarse every day) in one Redis script that re-prioritises the
// waiting jobs the move concerns (expiry-priorities.ts), so the scale never runs out and the head of the queue is
// always ordered to the millisecond.

/** Where the scale of priorities starts: epoch milliseconds, whole seconds, fine >= coarse. */
export interface PriorityBases {
  fineMs: number;
  coarseMs: number;
}

/** Milliseconds covered by the fine tier. */
export const FINE_SPAN_MS = 2 ** 20;
/** The priority of a link that expired before the fine base. */
export const EXPIRED_PRIORITY = 1;
/** The first priority of the coarse tier. */
export const COARSE_FIRST_PRIORITY = FINE_SPAN_MS + 2;
/** The last priority of the coarse tier: that second and every later expiry. */
export const COARSE_LAST_PRIORITY = 2 ** 21 - 2;
/** The priority of a job whose link does not expire: last. BullMQ's largest priority. */
export const NO_EXPIRY_PRIORITY = 2 ** 21 - 1;

/** The fine base moves when it is this old... */
export const FINE_STEP_MS = 5 * 60_000;
/** ...the coarse base when it is this old... */
export const COARSE_STEP_MS = 24 * 3600_000;
/** ...to this long before now (whole seconds), so that clocks a little behind still find their links in the tier. */
export const BASE_LEAD_MS = 60_000;

/** The BullMQ priority of a job whose link expires at `expiresAtMicros` (null: never), under `bases`. */
export function priorityOf(expiresAtMicros: number | null, bases: PriorityBases): number {
  if (expiresAtMicros === null) return NO_EXPIRY_PRIORITY;
  const expiresMs = Math.floor(expiresAtMicros / 1000);
  const fine = expiresMs - bases.fineMs;
  if (fine < 0) return EXPIRED_PRIORITY;
  if (fine < FINE_SPAN_MS) return 2 + fine;
  const seconds = Math.floor((expiresMs - bases.coarseMs) / 1000);
  return Math.min(COARSE_LAST_PRIORITY, COARSE_FIRST_PRIORITY + seconds);
}

/**
 * The bases to use at `nowMs`: `current` if neither is due to move, else the moved ones. Bases only move forward,
 * so a replica whose clock is behind never moves them back.
 */
export function nextBases(current: PriorityBases | undefined, nowMs: number): PriorityBases {
  const base = Math.floor((nowMs - BASE_LEAD_MS) / 1000) * 1000;
  if (current === undefined) return { fineMs: base, coarseMs: base };
  const fineMs = nowMs - current.fineMs > FINE_STEP_MS && base > current.fineMs ? base : current.fineMs;
  const coarseMs = nowMs - current.coarseMs > COARSE_STEP_MS && fineMs > current.coarseMs ? fineMs : current.coarseMs;
  return { fineMs, coarseMs };
}

/** True when `a` and `b` are the same bases. */
export function sameBases(a: PriorityBases, b: PriorityBases): boolean {
  return a.fineMs === b.fineMs && a.coarseMs === b.coarseMs;
}
