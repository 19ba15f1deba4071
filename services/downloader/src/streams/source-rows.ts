/** One row of an archived file: its line (CSV) or position (JSON), and its fields, or why it was rejected. */
export type SourceRow =
  | { line: number; fields: Record<string, unknown>; rejected?: undefined }
  | { line: number; rejected: string; fields?: undefined };

/** The two formats a chat or transcript file comes in. */
export type FileFormat = 'csv' | 'json';
