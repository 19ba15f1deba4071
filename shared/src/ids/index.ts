export { hashedSegment, safeSegment, SAFE_SEGMENT_MAX_LENGTH } from './safe-segment.js';
