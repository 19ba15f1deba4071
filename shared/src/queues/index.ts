export { archiveJobOptions, parkedQueueName, priorityOf } from './archive-queue.js';
