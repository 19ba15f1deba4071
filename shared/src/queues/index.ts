export { archiveJobOptions, meetingIndexKey, MEETING_INDEX_TTL_SECONDS, parkedQueueName, priorityOf } from './archive-queue.js';
