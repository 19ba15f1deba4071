import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SessionState } from '../contract/index.js';
import { UnavailableError } from '../errors/index.js';
import { foldSession, incompleteSince, type SessionContribution } from './fold-session.js';
import { LEDGER_TTL_SECONDS, ledgerKeys, type LedgerKeys } from './ledger-keys.js';

// A session's contributions only land in a ledger that is loaded: a Redis that lost the ledger (restarted empty,
// flushed) must be rebuilt first, or the next state published would forget what was lost.
const ADD_IF_LOADED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local added = 0
for i = 3, #ARGV, 2 do added = added + redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[1])
return added
`;

const CONTRIBUTION = 'c:';
const PUBLISHED = 'm:published';
// Past this many contributions a session's hash is folded into one (duplicates already collapse into one field).
const COMPACT_ABOVE = 32;

/** The ledger's Redis does not hold it (any more): rebuild it before adding to it. */
export class LedgerNotLoadedError extends UnavailableError {
  constructor(what: string) {
    super('LEDGER_NOT_LOADED', `the session ledger is not loaded in Redis (${what}): rebuild it from the sessions topic first`);
  }
}

/** A session's state as the ledger holds it, and whether that state was already published. */
export interface LedgerEntry {
  state: SessionState;
  published: boolean;
}

/** Which incomplete sessions to list: incomplete for longer than `olderThanSeconds` as of `nowMs` (default now). */
export interface IncompleteQuery {
  olderThanSeconds: number;
  nowMs?: number;
  /** At most this many, the longest incomplete first (default: all). */
  limit?: number;
}

/** The session ledger in Redis: contributions per session, folded on read. */
export interface SessionLedger {
  keys: LedgerKeys;
  /** Adds contributions (any order, any number of times); throws LedgerNotLoadedError when Redis lost the ledger. */
  add(contributions: readonly SessionContribution[]): Promise<string[]>;
  /** The state of a ledger key with whether it was published; throws LedgerNotLoadedError when Redis lost the ledger. */
  entry(ledgerKey: string): Promise<LedgerEntry | undefined>;
  /** `entry` of many keys, in their order, read in one transaction (one round trip). */
  entries(ledgerKeys: readonly string[]): Promise<(LedgerEntry | undefined)[]>;
  /** The state of a ledger key (a session id, or `_no-session:<meetingId>`), or undefined. */
  read(ledgerKey: string): Promise<SessionState | undefined>;
  /** Every session the ledger knows of a meeting, by ledger key. */
  sessionsOfMeeting(meetingId: string): Promise<SessionState[]>;
  /** Notes states as published (their digests), and files each session as incomplete or not: one transaction. */
  publishedAll(states: readonly SessionState[]): Promise<void>;
  /**
   * Sessions with an artifact announced (or reported) but not archived since before `olderThanSeconds` ago, the
   * longest incomplete first: what a sweep without the provider API reports.
   */
  incomplete(options: IncompleteQuery): Promise<SessionState[]>;
  /** How many sessions `incomplete` would give (for the gauge); forgets entries older than the ledger's TTL. */
  countIncomplete(options: Omit<IncompleteQuery, 'limit'>): Promise<number>;
  /** Joins whole states (read back from the sessions topic) into the ledger, whether it is loaded or not. */
  restore(states: readonly SessionState[]): Promise<void>;
  /** True when the ledger is loaded in the Redis that answers now. */
  isLoaded(): Promise<boolean>;
  /** Marks the ledger loaded in the Redis that answers now (after a rebuild). */
  markLoaded(): Promise<void>;
  /** Deletes every key of the ledger (tests, and a rebuild from scratch). */
  clear(): Promise<number>;
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
const fieldOf = (contribution: SessionContribution) => `${CONTRIBUTION}${digest(contribution)}`;

/** The run id of the Redis server: it changes on every restart, so a ledger loaded before one is not trusted. */
async function runId(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  return /run_id:(\w+)/.exec(info)?.[1] ?? 'unknown';
}

/** The ledger of the fleet whose topics start with `topicPrefix`, on `redis`. */
export function sessionLedger(redis: Redis, topicPrefix: string): SessionLedger {
  const keys = ledgerKeys(topicPrefix);

  const parse = (hash: Record<string, string>): { contributions: SessionContribution[]; fields: string[]; published?: string } => {
    const fields = Object.keys(hash).filter((field) => field.startsWith(CONTRIBUTION));
    return { contributions: fields.map((field) => JSON.parse(hash[field] as string) as SessionContribution), fields, published: hash[PUBLISHED] };
  };

  // Folds many contributions into one field: only the fields read are deleted, so one added meanwhile stays.
  const compact = async (ledgerKey: string, state: SessionState, fields: string[]) => {
    const merged = fieldOf(state);
    await redis
      .multi()
      .hset(keys.session(ledgerKey), merged, JSON.stringify(state))
      .hdel(keys.session(ledgerKey), ...fields.filter((field) => field !== merged))
      .exec();
  };

  const entries = async (ledgerKeys: readonly string[]): Promise<(LedgerEntry | undefined)[]> => {
    const multi = redis.multi().get(keys.loaded);
    for (const ledgerKey of ledgerKeys) multi.hgetall(keys.session(ledgerKey));
    const [loaded, ...hashes] = ((await multi.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    }) as [string | null, ...Record<string, string>[]];
    if (loaded === null) throw new LedgerNotLoadedError('reading a session');
    return Promise.all(
      ledgerKeys.map(async (ledgerKey, i) => {
        const { contributions, fields, published } = parse(hashes[i] ?? {});
        const state = foldSession(contributions);
        if (!state) return undefined;
        if (fields.length > COMPACT_ABOVE) await compact(ledgerKey, state, fields);
        return { state, published: published === digest(state) };
      }),
    );
  };
  const entry = async (ledgerKey: string) => (await entries([ledgerKey]))[0];

  const addUnchecked = async (ledgerKey: string, meetingId: string, contributions: readonly SessionContribution[]) => {
    const pairs = contributions.flatMap((c) => [fieldOf(c), JSON.stringify(c)]);
    const multi = redis.multi().hset(keys.session(ledgerKey), ...pairs).expire(keys.session(ledgerKey), LEDGER_TTL_SECONDS);
    if (meetingId) multi.sadd(keys.meeting(meetingId), ledgerKey).expire(keys.meeting(meetingId), LEDGER_TTL_SECONDS);
    await multi.exec();
  };

  const mark = async (states: readonly SessionState[], asPublished: boolean) => {
    const multi = redis.multi();
    for (const state of states) {
      const since = incompleteSince(state);
      if (asPublished) multi.hset(keys.session(state.ledgerKey), PUBLISHED, digest(state));
      if (since === null) multi.zrem(keys.incomplete, state.ledgerKey);
      else multi.zadd(keys.incomplete, Math.floor(since / 1000), state.ledgerKey);
    }
    await multi.exec();
  };
  const publishedAll = (states: readonly SessionState[]) => mark(states, true);

  const read = async (ledgerKey: string) => {
    try {
      return (await entry(ledgerKey))?.state;
    } catch (error) {
      // A reader (the CLI) shows what is there even in a ledger not loaded; only writers must wait for a rebuild.
      if (!(error instanceof LedgerNotLoadedError)) throw error;
      const { contributions } = parse(await redis.hgetall(keys.session(ledgerKey)));
      return foldSession(contributions);
    }
  };

  return {
    keys,
    entry,
    entries,
    read,
    publishedAll,
    async add(contributions) {
      const byKey = new Map<string, SessionContribution[]>();
      for (const contribution of contributions) byKey.set(contribution.ledgerKey, [...(byKey.get(contribution.ledgerKey) ?? []), contribution]);
      // Sent together, so ioredis pipelines them (one round trip); each is atomic, and adding again is harmless.
      const added = await Promise.all(
        [...byKey].map(async ([ledgerKey, group]) => {
          const meetingId = group.find((c) => c.meetingId)?.meetingId ?? '';
          const pairs = group.flatMap((c) => [fieldOf(c), JSON.stringify(c)]);
          const meetingKey = keys.meeting(meetingId || '_none');
          return (await redis.eval(ADD_IF_LOADED, 3, keys.loaded, keys.session(ledgerKey), meetingKey, LEDGER_TTL_SECONDS, ledgerKey, ...pairs)) as number;
        }),
      );
      if (added.some((result) => result < 0)) throw new LedgerNotLoadedError('adding to a session');
      return [...byKey.keys()];
    },
    async sessionsOfMeeting(meetingId) {
      const ledgerKeysOfMeeting = (await redis.smembers(keys.meeting(meetingId))).sort();
      const states: SessionState[] = [];
      for (const ledgerKey of ledgerKeysOfMeeting) {
        const state = await read(ledgerKey);
        if (state) states.push(state);
      }
      return states;
    },
    async incomplete({ olderThanSeconds, nowMs = Date.now(), limit }) {
      const before = nowMs - olderThanSeconds * 1000;
      const found = limit === undefined
        ? await redis.zrangebyscore(keys.incomplete, '-inf', before)
        : await redis.zrangebyscore(keys.incomplete, '-inf', before, 'LIMIT', 0, limit);
      const states: SessionState[] = [];
      for (const ledgerKey of found) {
        const state = await read(ledgerKey);
        // Expired from the ledger, or complete by now (its mark is updated when its state is next published).
        if (!state) await redis.zrem(keys.incomplete, ledgerKey);
        else if (incompleteSince(state) !== null) states.push(state);
      }
      return states;
    },
    async countIncomplete({ olderThanSeconds, nowMs = Date.now() }) {
      await redis.zremrangebyscore(keys.incomplete, '-inf', nowMs - LEDGER_TTL_SECONDS * 1000);
      return redis.zcount(keys.incomplete, '-inf', nowMs - olderThanSeconds * 1000);
    },
    async restore(states) {
      const byKey = new Map<string, SessionState[]>();
      for (const state of states) byKey.set(state.ledgerKey, [...(byKey.get(state.ledgerKey) ?? []), state]);
      for (const [ledgerKey, group] of byKey) {
        await addUnchecked(ledgerKey, group[0]?.meetingId ?? '', group);
        const state = foldSession(parse(await redis.hgetall(keys.session(ledgerKey))).contributions);
        // What the topic holds is published; a state that Redis knew more of is not yet, and is at its next change.
        if (state) await mark([state], digest(state) === digest(foldSession(group)));
      }
    },
    async isLoaded() {
      const [loaded, current] = await Promise.all([redis.get(keys.loaded), runId(redis)]);
      return loaded === current;
    },
    async markLoaded() {
      await redis.set(keys.loaded, await runId(redis));
    },
    async clear() {
      let deleted = 0;
      const pattern = `${keys.session('')}*`.replace(/:session:\*$/, ':*');
      for (let cursor = '0'; ; ) {
        const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (found.length > 0) deleted += await redis.del(...found);
        cursor = next;
        if (cursor === '0') return deleted;
      }
    },
  };
}

/**
 * Sessions whose ledger shows an artifact announced (or reported failed) but never archived, for longer than
 * `query.olderThanSeconds`, the longest incomplete first: what the reconciler reports when no provider API is set.
 */
export function incompleteSessions(redis: Redis, topicPrefix: string, query: IncompleteQuery): Promise<SessionState[]> {
  return sessionLedger(redis, topicPrefix).incomplete(query);
}
