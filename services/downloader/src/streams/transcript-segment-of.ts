import type { ArtifactRef, TranscriptSegment } from '../../../../shared/src/index.js';
import { rowFields } from './row-fields.js';
import type { FileFormat } from './source-rows.js';

/** The columns of Dyte's transcript CSV; a transcript file's header must name each. */
export const TRANSCRIPT_CSV_COLUMNS = ['Timestamp', 'Participant ID', 'Participant Name', 'Transcript'] as const;

/** Where a JSON transcript keeps its lines when the document is an object. */
export const TRANSCRIPT_JSON_ARRAYS = ['transcript', 'segments', 'transcripts'] as const;

/**
 * A TranscriptSegment of one row of a transcript file: Dyte's CSV columns, or a JSON object (timestamp,
 * participantId, participantName, transcript or text; camelCase or snake_case). Throws a RowError naming the field.
 */
export function transcriptSegmentOf(artifact: ArtifactRef, line: number, format: FileFormat, fields: Record<string, unknown>): TranscriptSegment {
  const row = rowFields(fields);
  const segment: Omit<TranscriptSegment, 'extraJson'> = {
    artifact,
    line,
    format,
    timestamp: row.required(['Timestamp', 'timestamp']),
    participantId: row.optional(['Participant ID', 'participantId', 'participant_id']),
    participantName: row.optional(['Participant Name', 'participantName', 'participant_name']),
    text: row.required(['Transcript', 'transcript', 'text'], true),
  };
  return { ...segment, extraJson: row.extraJson() };
}
