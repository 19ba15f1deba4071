/**
 * How long a session's ledger entry is kept after its last change: far past the provider's 7-day retention, after
 * which nothing of the session can be fetched again anyway. The compacted topic keeps every state for longer.
 */
export const LEDGER_TTL_SECONDS = 30 * 24 * 3600;

/** The Redis keys of the ledger of one fleet, namespaced by its topic prefix (the ledger is a view of its topics). */
export interface LedgerKeys {
  /** Hash per session: one field per distinct contribution (`c:<hash>`), plus `m:published` (the last state published). */
  session(ledgerKey: string): string;
  /** Set of the ledger keys of a meeting's sessions. */
  meeting(meetingId: string): string;
  /** Sorted set of the sessions with an artifact not archived, scored by since when (ms since the epoch). */
  incomplete: string;
  /** The run id of the Redis the ledger was loaded into: missing or different means Redis lost it (rebuild). */
  loaded: string;
}

/** The keys of the ledger of the fleet whose topics start with `topicPrefix`. */
export function ledgerKeys(topicPrefix: string): LedgerKeys {
  const base = `dyte-bridge:ledger:${topicPrefix}`;
  return {
    session: (ledgerKey) => `${base}:session:${ledgerKey}`,
    meeting: (meetingId) => `${base}:meeting:${meetingId}`,
    incomplete: `${base}:incomplete`,
    loaded: `${base}:loaded`,
  };
}
