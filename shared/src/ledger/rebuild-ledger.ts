import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import { readSessionStates } from './read-session-states.js';
import type { SessionLedger } from './session-ledger.js';

/** What a rebuild did. */
export interface RebuildResult {
  /** SessionState records read from the topic (a key may count more than once before compaction). */
  records: number;
  /** Distinct sessions restored. */
  sessions: number;
  /** Records on the topic that were not SessionStates (skipped). */
  skipped: number;
}

/**
 * Loads the ledger from the compacted sessions topic, whose latest record of each key is that session's state:
 * every state is joined into what Redis holds (nothing there is lost or overwritten), then the ledger is marked
 * loaded in this Redis. Safe to run at any time and by several processes at once.
 */
export async function rebuildLedger(deps: { kafka: Kafka; registry: SchemaRegistry; ledger: SessionLedger; topic: string }): Promise<RebuildResult> {
  const { states, skipped } = await readSessionStates(deps.kafka, deps.registry, deps.topic);
  await deps.ledger.restore(states);
  await deps.ledger.markLoaded();
  return { records: states.length, sessions: new Set(states.map((s) => s.ledgerKey)).size, skipped };
}
