export { artifactJobId, type ArtifactIdentity } from './artifact-job-id.js';
export { hashedSegment, safeSegment, SAFE_SEGMENT_MAX_LENGTH } from './safe-segment.js';
