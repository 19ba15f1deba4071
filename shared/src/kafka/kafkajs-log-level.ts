import { logLevel as KafkaLogLevel } from 'kafkajs';
import type { LogLevel } from '../logging/index.js';

// kafkajs logs every error answer of a request at level error ("Response GroupCoordinator(...)" with the broker's
// error), also those it handles itself by retrying or re-joining, and those the caller expects. A fleet starting
// on fresh topics and groups meets several of them every time. By the broker's error message (kafkajs 2.2.4's
// protocol/error.js, checked by a unit test), the level each deserves:
const ANSWER_LEVELS: Record<string, LogLevel> = {
  // GROUP_COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR_FOR_GROUP, GROUP_LOAD_IN_PROGRESS: a group's coordinator is
  // still being elected or loading its offsets (every new group, every broker start); kafkajs asks again.
  'The group coordinator is not available': 'info',
  'This is not the correct coordinator for this group': 'info',
  "The coordinator is loading and hence can't process requests for this group": 'info',
  // TOPIC_ALREADY_EXISTS: another replica created the fleet's topics first; ensureTopics counts that as done.
  'Topic with this name already exists': 'info',
  // The same answer for several topics at once (kafkajs's KafkaJSAggregateError of CreateTopics): admin.createTopics
  // ignores TOPIC_ALREADY_EXISTS and throws any other topic's error to ensureTopics's caller, which logs it.
  'Topic creation errors': 'info',
  // MEMBER_ID_REQUIRED: the first JoinGroup of every member is answered so (KIP-394); kafkajs joins again with the id.
  'The group member needs to have a valid member id before actually entering a consumer group': 'info',
  // REBALANCE_IN_PROGRESS: another member joined or left; kafkajs re-joins.
  'The group is rebalancing, so a rejoin is needed': 'info',
  // UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION: this member was dropped from the group (a missed session); it re-joins,
  // which is worth seeing, but handled.
  'The coordinator is not aware of this member': 'warn',
  'Specified group generation id is not valid': 'warn',
  // LEADER_NOT_AVAILABLE, NOT_LEADER_FOR_PARTITION, UNKNOWN_TOPIC_OR_PARTITION: a topic just created or a leader
  // being elected; kafkajs refreshes its metadata and retries. A produce that still fails reaches its caller.
  'There is no leader for this topic-partition as we are in the middle of a leadership election': 'warn',
  'This server is not the leader for that topic-partition': 'warn',
  'This server does not host this topic-partition': 'warn',
};

// kafkajs's own error lines that announce a retry or re-join it then makes; what finally fails is logged by the
// caller (a 503, a failed start) or by kafkajs as a crash, which stays an error.
const RETRY_MESSAGES: Record<string, LogLevel> = {
  'The coordinator is not aware of this member, re-joining the group': 'warn',
  'Failed to connect to broker, reconnecting': 'warn',
};

/** The project's level for one of kafkajs's log lines: its own, except for the expected answers above. */
export function kafkajsLogLevel(level: KafkaLogLevel, message: string, fields: Record<string, unknown>): LogLevel {
  if (level === KafkaLogLevel.ERROR) {
    if (message.startsWith('Response ') && typeof fields.error === 'string') return ANSWER_LEVELS[fields.error] ?? 'error';
    return RETRY_MESSAGES[message] ?? 'error';
  }
  if (level === KafkaLogLevel.WARN) return 'warn';
  if (level === KafkaLogLevel.INFO) return 'info';
  return 'debug';
}

/** The broker error messages mapped above, for the test that checks them against kafkajs's own table. */
export const EXPECTED_ANSWERS: readonly string[] = Object.keys(ANSWER_LEVELS);
