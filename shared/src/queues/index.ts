export { archiveJobOptions, meetingIndexKey, MEETING_INDEX_TTL_SECONDS, parkedQueueName, priorityOf } from './archive-queue.js';
export { openArchiveQueues, type ArchiveQueues } from './open-archive-queues.js';
export { obliterateArchiveQueues } from './obliterate-archive-queues.js';
