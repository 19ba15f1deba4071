import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  COARSE_FIRST_PRIORITY,
  COARSE_LAST_PRIORITY,
  EXPIRED_PRIORITY,
  FINE_SPAN_MS,
  NO_EXPIRY_PRIORITY,
  nextBases,
  sameBases,
  type PriorityBases,
} from './expiry-priority.js';

// What both scripts share: the scale of expiry-priority.ts, a job's expiry read from its own data, and BullMQ's
// score (priority * 2^32 + add counter), rewritten with the add counter kept so that ties keep their order.
const SCALE = `
local FINE_SPAN = ${FINE_SPAN_MS}
local EXPIRED = ${EXPIRED_PRIORITY}
local COARSE_FIRST = ${COARSE_FIRST_PRIORITY}
local COARSE_LAST = ${COARSE_LAST_PRIORITY}
local NO_EXPIRY = ${NO_EXPIRY_PRIORITY}
local SHIFT = 4294967296
local prioritized = KEYS[2]
local prefix = ARGV[1]
local function priorityOf(micros, fine, coarse)
  if micros == nil then return NO_EXPIRY end
  local ms = math.floor(micros / 1000)
  if ms < fine then return EXPIRED end
  if ms - fine < FINE_SPAN then return 2 + ms - fine end
  return math.min(COARSE_LAST, COARSE_FIRST + math.floor((ms - coarse) / 1000))
end
-- The job's expiry in micros, nil when it has none, false when the job is gone.
local function expiryOf(jobId)
  local data = redis.call('HGET', prefix .. jobId, 'data')
  if not data then return false end
  local ok, decoded = pcall(cjson.decode, data)
  if not ok or type(decoded) ~= 'table' or type(decoded['expiresAt']) ~= 'number' then return nil end
  return decoded['expiresAt']
end
-- Gives a job its priority: in the sorted set when it waits there (score nil: it does not), and in its hash, which
-- BullMQ reads when the job comes back to wait (a retry, a stalled job).
local function place(jobId, score, priority)
  if score then
    local rescored = priority * SHIFT + (score % SHIFT)
    if rescored ~= score then redis.call('ZADD', prioritized, string.format('%.0f', rescored), jobId) end
  end
  redis.call('HSET', prefix .. jobId, 'priority', priority)
end
-- A job not waiting in the sorted set (active, delayed, just retried into it) keeps a hash priority for later; jobs
-- added without a priority (0) are left without one.
local function reprice(jobId, fine, coarse)
  local score = redis.call('ZSCORE', prioritized, jobId)
  if score then score = tonumber(score)
  elseif (tonumber(redis.call('HGET', prefix .. jobId, 'priority')) or 0) <= 0 then return 0 end
  local expiry = expiryOf(jobId)
  if expiry == false then return 0 end
  place(jobId, score, priorityOf(expiry, fine, coarse))
  return 1
end
local function each(min, max, fn)
  local found = redis.call('ZRANGEBYSCORE', prioritized, min, max, 'WITHSCORES')
  for i = 1, #found, 2 do fn(found[i], tonumber(found[i + 1])) end
end
local function bound(priority) return string.format('%.0f', priority * SHIFT) end
`;

// Moves the bases from ARGV[2..3] ('' when there were none) to ARGV[4..5], if they are still the stored ones, and
// re-prioritises the jobs the move concerns. KEYS: bases, prioritized, active, delayed. Answers 1 when moved.
const REBASE = `${SCALE}
local stored = redis.call('HMGET', KEYS[1], 'fine', 'coarse')
if (stored[1] or '') ~= ARGV[2] or (stored[2] or '') ~= ARGV[3] then return 0 end
local oldFine, oldCoarse = tonumber(ARGV[2]), tonumber(ARGV[3])
local fine, coarse = tonumber(ARGV[4]), tonumber(ARGV[5])
local function exact(jobId) reprice(jobId, fine, coarse) end
if oldFine == nil then
  -- The first bases of this queue: every waiting job from its own expiry (jobs of an older scale included).
  each('-inf', '+inf', exact)
else
  -- The fine tier is linear: its jobs shift by the move, exactly; those now before the base have expired.
  local shift = fine - oldFine
  each(bound(2), '(' .. bound(COARSE_FIRST), function(jobId, score)
    place(jobId, score, math.max(EXPIRED, math.floor(score / SHIFT) - shift))
  end)
  if coarse ~= oldCoarse then
    -- Every coarse job shifts by whole seconds; those the fine tier now reaches, and those of the last second
    -- (which holds every later expiry too), are re-computed from their own expiry.
    local seconds = (coarse - oldCoarse) / 1000
    each(bound(COARSE_FIRST), '(' .. bound(NO_EXPIRY), function(jobId, score)
      local priority = math.floor(score / SHIFT)
      local second = priority - COARSE_FIRST - seconds
      if priority == COARSE_LAST or coarse + second * 1000 < fine + FINE_SPAN then return exact(jobId) end
      place(jobId, score, COARSE_FIRST + second)
    end)
  else
    -- Only the coarse jobs that the fine tier now reaches move, from their own expiry.
    local reach = math.floor((fine + FINE_SPAN - coarse) / 1000)
    each(bound(COARSE_FIRST), '(' .. bound(COARSE_FIRST + reach + 1), exact)
  end
end
for _, jobId in ipairs(redis.call('LRANGE', KEYS[3], 0, -1)) do exact(jobId) end
for _, jobId in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do exact(jobId) end
redis.call('HSET', KEYS[1], 'fine', ARGV[4], 'coarse', ARGV[5])
return 1
`;

// Sets the priority of the jobs ARGV[2..] from their own expiry under the stored bases. KEYS: bases, prioritized.
// Answers how many it set, -1 when there are no bases yet.
const REPRIORITIZE = `${SCALE}
local stored = redis.call('HMGET', KEYS[1], 'fine', 'coarse')
if not stored[1] then return -1 end
local fine, coarse = tonumber(stored[1]), tonumber(stored[2])
local set = 0
for i = 2, #ARGV do set = set + reprice(ARGV[i], fine, coarse) end
return set
`;

/** The Redis hash of the priority bases of a download queue (outside BullMQ's own keys). */
export function priorityBasesKey(archiveQueue: string): string {
  return `dyte-bridge:${archiveQueue}:priority-bases`;
}

/** The priorities of a download queue's jobs, by link expiry, on a scale whose bases move with the clock. */
export interface ExpiryPriorities {
  /** The bases to compute priorities with now (priorityOf); moves them forward first when they are due. */
  current(): Promise<PriorityBases>;
  /**
   * After jobs were added with priorities under `used`: if the bases moved meanwhile (another replica moved them),
   * gives those jobs their priority under the new ones. Costs one read when they did not.
   */
  settle(jobIds: string[], used: PriorityBases): Promise<void>;
  /** Sets each job's priority from its own expiry, under the bases in Redis: after its link or its state changed. */
  reprioritize(jobIds: string[]): Promise<void>;
}

/** ExpiryPriorities of `queue` in Redis; `now` is the clock that moves the bases (injected by tests). */
export function createExpiryPriorities(redis: Redis, queue: Pick<Queue, 'name' | 'keys' | 'toKey'>, options: { now?: () => number } = {}): ExpiryPriorities {
  const now = options.now ?? Date.now;
  const basesKey = priorityBasesKey(queue.name);
  const prefix = queue.toKey('');
  const read = async (): Promise<PriorityBases | undefined> => {
    const [fine, coarse] = await redis.hmget(basesKey, 'fine', 'coarse');
    return fine && coarse ? { fineMs: Number(fine), coarseMs: Number(coarse) } : undefined;
  };
  const current = async (): Promise<PriorityBases> => {
    // A lost compare-and-set means another replica moved the bases: read them again (they only move forward).
    for (;;) {
      const stored = await read();
      const next = nextBases(stored, now());
      if (stored && sameBases(stored, next)) return stored;
      const moved = await redis.eval(
        REBASE,
        4,
        basesKey,
        queue.keys.prioritized ?? '',
        queue.keys.active ?? '',
        queue.keys.delayed ?? '',
        prefix,
        stored ? String(stored.fineMs) : '',
        stored ? String(stored.coarseMs) : '',
        String(next.fineMs),
        String(next.coarseMs),
      );
      if (Number(moved) === 1) return next;
    }
  };
  const reprioritize = async (jobIds: string[]): Promise<void> => {
    if (jobIds.length === 0) return;
    const set = Number(await redis.eval(REPRIORITIZE, 2, basesKey, queue.keys.prioritized ?? '', prefix, ...jobIds));
    if (set === -1) {
      await current();
      await redis.eval(REPRIORITIZE, 2, basesKey, queue.keys.prioritized ?? '', prefix, ...jobIds);
    }
  };
  return {
    current,
    reprioritize,
    async settle(jobIds, used) {
      const stored = await read();
      if (stored && sameBases(stored, used)) return;
      await reprioritize(jobIds);
    },
  };
}
