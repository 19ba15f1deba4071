// The record types that cross Kafka (and the BullMQ queues) are the ones generated from schemas/, nothing written
// beside them; archive-records.ts only narrows a field the schema keeps a plain string.
export * from '../generated/records.js';
