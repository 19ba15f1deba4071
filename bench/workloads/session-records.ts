import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Message } from 'kafkajs';
import {
  foldSession,
  KAFKA_HEADERS,
  KNOWN_EVENTS,
  loadSchemaCatalog,
  registerEventSchemas,
  SESSION_STATE_RECORD,
} from '../../shared/src/index.js';
import { sessionContributions, sessionStateMessage } from '../../services/dispatcher/src/index.js';
import { buildEventRecord } from '../../services/ingress/src/index.js';

/** The n-th meeting.started webhook of the ledger workload: a session of its own, which makes no download job. */
export function meetingStartedBody(n: number, now: number): Record<string, unknown> {
  const at = new Date(now).toISOString();
  return {
    event: 'meeting.started',
    meeting: {
      id: `bench-meeting-${Math.floor(n / 10)}`,
      sessionId: `bench-session-${n.toString().padStart(8, '0')}`,
      title: 'Bench',
      status: 'LIVE',
      createdAt: at,
      startedAt: at,
      organizedBy: { id: 'bench-organization', name: 'Bench' },
    },
  };
}

/** The ledger workload ready to send: the records as the ingress writes them, and the states the ledger makes of them. */
export interface SessionRecords {
  /** meeting.started records for the meeting topic. */
  records: Message[];
  /** The SessionState of each record's session, encoded for the sessions topic, keyed as the ledger keys them. */
  states: Message[];
}

/**
 * Encodes `count` meeting.started records for `meetingTopic` exactly as the ingress would (each its own session),
 * and the SessionState the ledger folds from each, for `sessionsTopic` (both schemas registered under their subjects).
 */
export async function encodeSessionRecords(registry: SchemaRegistry, meetingTopic: string, sessionsTopic: string, count: number): Promise<SessionRecords> {
  const catalog = loadSchemaCatalog();
  const recordName = KNOWN_EVENTS['meeting.started']?.record ?? '';
  const encoder = await registerEventSchemas(registry, catalog, [
    { topic: meetingTopic, recordName },
    { topic: sessionsTopic, recordName: SESSION_STATE_RECORD },
  ]);
  const records: Message[] = [];
  const states: Message[] = [];
  const now = Date.now();
  for (let n = 0; n < count; n++) {
    const delivery = { deliveryId: `bench-${n}`, bodySha256: '0'.repeat(64), webhookId: null, source: 'dyte' as const, receivedAt: now * 1000 };
    const record = buildEventRecord(catalog, 'meeting.started', meetingStartedBody(n, now), delivery);
    records.push({ key: record.key, value: encoder.encode(meetingTopic, record.recordName, record.value), headers: { [KAFKA_HEADERS.deliveryId.name]: delivery.deliveryId } });
    const state = foldSession(sessionContributions(record.recordName, record.value, now * 1000).contributions);
    if (!state) throw new Error(`record ${n} gives the ledger no session`);
    states.push(sessionStateMessage(encoder, sessionsTopic, state));
  }
  return { records, states };
}
