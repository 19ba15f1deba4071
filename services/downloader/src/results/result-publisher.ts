import type { Producer } from 'kafkajs';
import {
  ARTIFACT_ARCHIVED_RECORD,
  ARTIFACT_FAILED_RECORD,
  KAFKA_HEADERS,
  type ArtifactArchived,
  type ArtifactFailed,
  type EventEncoder,
} from '../../../../shared/src/index.js';

/**
 * Publishes the fate of every artifact on the archive topic (acks=all), keyed by meeting id; each stamped when published,
 * its traceparent (the download's span) both in the value and as the record's header.
 */
export interface ResultPublisher {
  archived(result: Omit<ArtifactArchived, 'archivedAt'>): Promise<void>;
  failed(result: Omit<ArtifactFailed, 'failedAt'>): Promise<void>;
}

/** A publisher over a connected producer and an encoder that has the archive records registered on `topic`. */
export function resultPublisher(producer: Producer, encoder: EventEncoder, topic: string): ResultPublisher {
  const send = async (recordName: string, value: ArtifactArchived | ArtifactFailed) => {
    await producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: value.artifact.meetingId,
          value: encoder.encode(topic, recordName, value),
          headers: {
            [KAFKA_HEADERS.recordName.name]: recordName,
            [KAFKA_HEADERS.jobId.name]: value.artifact.jobId,
            [KAFKA_HEADERS.eventType.name]: recordName.split('.').at(-1) ?? recordName,
            ...(value.traceparent ? { [KAFKA_HEADERS.traceparent.name]: value.traceparent } : {}),
          },
        },
      ],
    });
  };
  const now = () => Date.now() * 1000;
  return {
    archived: (result) => send(ARTIFACT_ARCHIVED_RECORD, { ...result, archivedAt: now() }),
    failed: (result) => send(ARTIFACT_FAILED_RECORD, { ...result, failedAt: now() }),
  };
}
