export { archiveJobOptions, meetingIndexKey, MEETING_INDEX_TTL_SECONDS, parkedQueueName } from './archive-queue.js';
export { createExpiryPriorities, priorityBasesKey, type ExpiryPriorities } from './expiry-priorities.js';
export { nextBases, priorityOf, NO_EXPIRY_PRIORITY, type PriorityBases } from './expiry-priority.js';
export { openArchiveQueues, type ArchiveQueues } from './open-archive-queues.js';
export { obliterateArchiveQueues } from './obliterate-archive-queues.js';
