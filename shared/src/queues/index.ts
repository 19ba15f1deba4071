export { archiveJobOptions, meetingIndexKey, MEETING_INDEX_TTL_SECONDS, parkedQueueName, priorityOf, type ParkedRecord } from './archive-queue.js';
export { openArchiveQueues, type ArchiveQueues } from './open-archive-queues.js';
