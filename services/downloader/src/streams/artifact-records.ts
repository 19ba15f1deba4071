import {
  CHAT_MESSAGE_RECORD,
  MEETING_SUMMARY_TEXT_RECORD,
  TRANSCRIPT_SEGMENT_RECORD,
  type ArchivedFile,
  type ArtifactRef,
  type RecordName,
} from '../../../../shared/src/index.js';
import { CHAT_CSV_COLUMNS, CHAT_JSON_ARRAYS, chatMessageOf } from './chat-message-of.js';
import { csvRows } from './csv-rows.js';
import { jsonRows } from './json-rows.js';
import { peekFormat } from './peek-format.js';
import { RowError } from './row-fields.js';
import type { SourceRow } from './source-rows.js';
import { summaryText } from './summary-text.js';
import { TRANSCRIPT_CSV_COLUMNS, TRANSCRIPT_JSON_ARRAYS, transcriptSegmentOf } from './transcript-segment-of.js';

/** The kinds of artifact whose content is published. */
export type StreamedKind = 'chat' | 'transcript' | 'summary';

/** What one line of an archived file becomes: a record to publish, or a rejected row with its reason. */
export type StreamItem = { line: number; recordName: RecordName; value: object; rejected?: undefined } | { line: number; rejected: string };

/**
 * The records of an archived chat, transcript or summary, in the file's order, streamed: CSV or JSON (told from the
 * content) for chats and transcripts, one bounded MeetingSummaryText for a summary. Throws an UnparseableFileError
 * when the file cannot be read as its kind (after the records before the fault).
 */
export async function* artifactRecords(
  kind: StreamedKind,
  artifact: ArtifactRef,
  stored: ArchivedFile,
  chunks: AsyncIterable<Buffer>,
  summaryMaxBytes: number,
): AsyncGenerator<StreamItem> {
  if (kind === 'summary') {
    const { text, truncated } = await summaryText(chunks, summaryMaxBytes);
    const value = { artifact, line: 1, text, truncated, bytes: stored.bytes, sha256: stored.sha256, location: stored.location };
    yield { line: 1, recordName: MEETING_SUMMARY_TEXT_RECORD, value };
    return;
  }
  const { format, arrayAtTop, chunks: content } = await peekFormat(chunks);
  const chat = kind === 'chat';
  const rows: AsyncGenerator<SourceRow> =
    format === 'csv'
      ? csvRows(content, chat ? CHAT_CSV_COLUMNS : TRANSCRIPT_CSV_COLUMNS)
      : jsonRows(content, arrayAtTop, chat ? CHAT_JSON_ARRAYS : TRANSCRIPT_JSON_ARRAYS);
  const recordName = chat ? CHAT_MESSAGE_RECORD : TRANSCRIPT_SEGMENT_RECORD;
  const recordOf = chat ? chatMessageOf : transcriptSegmentOf;
  for await (const row of rows) {
    if (row.rejected !== undefined) {
      yield row;
      continue;
    }
    try {
      yield { line: row.line, recordName, value: recordOf(artifact, row.line, format, row.fields) };
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      yield { line: row.line, rejected: error.message };
    }
  }
}
