import { pipeline, Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import type { SourceRow } from './source-rows.js';
import { UnparseableFileError } from './unparseable-file-error.js';

/**
 * The rows of a CSV file as objects keyed by its header's names, streamed with csv-parse (memory bounded by one
 * chunk, whatever the file's size), in line order. The header must hold every name of `required`, else the file is
 * unparseable. A row with another number of fields than the header, or that csv-parse cannot read, is rejected
 * with its line and the reason; the rows after it go on.
 */
export async function* csvRows(chunks: AsyncIterable<Buffer>, required: readonly string[]): AsyncGenerator<SourceRow> {
  const skipped: SourceRow[] = [];
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    // A stray quote inside a field is kept as text instead of swallowing the lines after it.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (error) skipped.push({ line: Number((error as CsvError & { lines?: number }).lines ?? 0), rejected: `${error.code}: ${error.message}` });
    },
  });
  // pipeline destroys the parser with the source's error, so a store that fails mid-file fails the iteration.
  pipeline(Readable.from(chunks), parser, () => undefined);
  let header: string[] | undefined;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = info.lines;
    // csv-parse reports a skipped record before the records after it reach this loop: yield it in its place.
    while (skipped.length > 0 && (skipped[0] as SourceRow).line < line) yield skipped.shift() as SourceRow;
    if (!header) {
      header = record.map((name) => name.trim());
      const missing = required.filter((name) => !header?.includes(name));
      if (missing.length > 0) {
        parser.destroy();
        throw new UnparseableFileError(`line ${line}: the CSV header lacks ${missing.join(', ')} (got ${JSON.stringify(header.slice(0, 20)).slice(0, 300)})`);
      }
      continue;
    }
    if (record.length !== header.length) {
      yield { line, rejected: `${record.length} field(s) where the header has ${header.length}` };
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.forEach((name, i) => {
      fields[name] = record[i];
    });
    yield { line, fields };
  }
  yield* skipped;
  if (!header) throw new UnparseableFileError('the file is empty: no CSV header');
}
