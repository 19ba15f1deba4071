import type { ArtifactRef, ChatMessage } from '../../../../shared/src/index.js';
import { rowFields } from './row-fields.js';
import type { FileFormat } from './source-rows.js';

/** The columns of Dyte's chat CSV; a chat file's header must name each. */
export const CHAT_CSV_COLUMNS = ['id', 'participantId', 'sessionId', 'meetingId', 'displayName', 'pinned', 'isEdited', 'payloadType', 'payload', 'createdAt'] as const;

/** Where a JSON chat keeps its messages when the document is an object. */
export const CHAT_JSON_ARRAYS = ['messages', 'chat', 'chatMessages'] as const;

/**
 * A ChatMessage of one row of a chat file: Dyte's CSV columns, or RealtimeKit's JSON object with the same names in
 * camelCase or snake_case. Throws a RowError naming the field and the rule.
 */
export function chatMessageOf(artifact: ArtifactRef, line: number, format: FileFormat, fields: Record<string, unknown>): ChatMessage {
  const row = rowFields(fields);
  const message: Omit<ChatMessage, 'extraJson'> = {
    artifact,
    line,
    format,
    id: row.required(['id', 'messageId', 'message_id']),
    participantId: row.optional(['participantId', 'participant_id', 'userId', 'user_id']),
    sessionId: row.optional(['sessionId', 'session_id']),
    meetingId: row.optional(['meetingId', 'meeting_id']),
    displayName: row.optional(['displayName', 'display_name']),
    pinned: row.flag(['pinned']),
    isEdited: row.flag(['isEdited', 'is_edited']),
    payloadType: row.optional(['payloadType', 'payload_type', 'type']),
    payload: row.required(['payload', 'message'], true),
    createdAt: row.time(['createdAt', 'created_at', 'time']),
  };
  return { ...message, extraJson: row.extraJson() };
}
