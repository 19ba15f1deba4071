import type { ArtifactKind } from '../contract/index.js';
import { safeSegment } from './safe-segment.js';

/** What names an artifact for its job id: its kind and whichever id the kind is keyed by. */
export interface ArtifactIdentity {
  kind: ArtifactKind;
  sessionId: string | null;
  recordingId: string | null;
}

/**
 * The id of an artifact's download job, the same whoever adds the job (the dispatcher from a webhook, the reconciler
 * from the provider's API): `<kind>.<sessionId>` for chat, transcript and summary, `recording.<recordingId>` and
 * `recording_audio.<recordingId>` for recordings, the id made safe by safeSegment. BullMQ drops a job whose id
 * exists, so this is what makes an artifact fetched once. `withoutId` names an artifact that lacks the id its kind
 * is keyed by (a webhook without a session id); it is called only then.
 */
export function artifactJobId(artifact: ArtifactIdentity, withoutId: () => string): string {
  const id = artifact.kind === 'recording' || artifact.kind === 'recording_audio' ? artifact.recordingId : artifact.sessionId;
  // Job ids become Redis key parts and partial file names: safe characters only, never ":". safeSegment is one to
  // one and kinds hold no ".", so two artifacts never share a job id (BullMQ would drop the second as a duplicate).
  return `${artifact.kind}.${safeSegment(id ?? withoutId())}`;
}
