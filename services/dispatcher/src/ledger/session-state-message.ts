import type { Message } from 'kafkajs';
import { KAFKA_HEADERS, SESSION_STATE_RECORD, type EventEncoder, type SessionState } from '../../../../shared/src/index.js';

/** The record of a session's state on the compacted sessions topic `topic`: keyed by its ledger key. */
export function sessionStateMessage(encoder: EventEncoder, topic: string, state: SessionState): Message & { value: Buffer } {
  return {
    key: state.ledgerKey,
    value: encoder.encode(topic, SESSION_STATE_RECORD, state),
    headers: { [KAFKA_HEADERS.recordName.name]: SESSION_STATE_RECORD, [KAFKA_HEADERS.eventType.name]: 'SessionState' },
  };
}
