import type { Producer } from 'kafkajs';
import {
  ARTIFACT_ARCHIVED_RECORD,
  ARTIFACT_FAILED_RECORD,
  type ArtifactRef,
  type EventEncoder,
} from '../../../../shared/src/index.js';

/** An artifact stored in the archive. */
export interface Archived {
  artifact: ArtifactRef;
  location: string;
  bytes: number;
  sha256: string;
  contentType: string | null;
  tookMs: number;
  attempts: number;
}

/** An artifact that will not be archived. */
export interface Failed {
  artifact: ArtifactRef;
  reason: string;
  message: string;
  attempts: number;
}

/** Publishes the fate of every artifact on the archive topic (acks=all), keyed by meeting id. */
export interface ResultPublisher {
  archived(result: Archived): Promise<void>;
  failed(result: Failed): Promise<void>;
}

/** A publisher over a connected producer and an encoder that has the archive records registered on `topic`. */
export function resultPublisher(producer: Producer, encoder: EventEncoder, topic: string): ResultPublisher {
  const send = async (recordName: string, value: Record<string, unknown> & { artifact: ArtifactRef }) => {
    await producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: value.artifact.meetingId,
          value: encoder.encode(topic, recordName, value),
          headers: { 'record-name': recordName, 'job-id': value.artifact.jobId, 'event-type': recordName.split('.').at(-1) ?? recordName },
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
