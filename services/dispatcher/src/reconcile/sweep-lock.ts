import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

// Keeps the claim at least ARGV[2] ms more, if it is still ours.
const EXTEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

// Leaves the claim to expire at the end of the interval it claimed (ARGV[2] ms from now), or ends it when that is
// past, if it is still ours.
const FINISH = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('DEL', KEYS[1]) end
return 1
`;

/** The Redis key of the sweep lock of a fleet (one fleet: one download queue). */
export function sweepLockKey(archiveQueue: string): string {
  return `dyte-bridge:${archiveQueue}:reconcile:lock`;
}

/** An interval claimed by this process: it alone sweeps in it. */
export interface SweepClaim {
  /** Keeps the claim alive while the sweep runs past its interval; false once the claim was lost (expired, taken). */
  extend(): Promise<boolean>;
  /** The sweep is done: the claim now lasts until the end of its interval, so no other sweep starts in it. */
  finish(): Promise<void>;
  /** Gives the interval up unswept (this replica is stopping): another may claim it at once. */
  release(): Promise<void>;
}

/** One sweep per interval across every replica that shares the Redis key. */
export interface SweepLock {
  /** Claims the current interval, or answers undefined when another sweep ran or runs in it. */
  claim(): Promise<SweepClaim | undefined>;
}

/**
 * A SweepLock in Redis: `SET key token NX PX interval` claims an interval; the claim is kept (not released) when the
 * sweep ends, until the interval is over, so replicas whose timers fire later in the same interval find it taken.
 * A sweep that outlasts its interval extends the claim by `holdMs` at a time; a replica that dies mid-sweep holds
 * it for at most its interval or `holdMs`, whichever ends later. Only the holder of the token extends or finishes.
 */
export function createSweepLock(redis: Redis, options: { key: string; intervalMs: number; holdMs: number; now?: () => number }): SweepLock {
  const now = options.now ?? Date.now;
  return {
    async claim() {
      const token = randomBytes(16).toString('hex');
      const claimedAt = now();
      const set = await redis.set(options.key, token, 'PX', Math.max(options.intervalMs, options.holdMs), 'NX');
      if (set !== 'OK') return undefined;
      return {
        async extend() {
          return Number(await redis.eval(EXTEND, 1, options.key, token, String(options.holdMs))) === 1;
        },
        async finish() {
          const left = claimedAt + options.intervalMs - now();
          await redis.eval(FINISH, 1, options.key, token, String(Math.max(0, Math.ceil(left))));
        },
        async release() {
          await redis.eval(FINISH, 1, options.key, token, '0');
        },
      };
    },
  };
}
