import { JSONParser } from '@streamparser/json';
import type { SourceRow } from './source-rows.js';
import { UnparseableFileError } from './unparseable-file-error.js';

/**
 * The elements of a JSON file's array, streamed with @streamparser/json (memory bounded by one element, whatever the
 * file's size), numbered from 1. The array is the whole document (`arrayAtTop`) or, in an object, under one of
 * `arrayKeys` (at the top, or under `data`, as a provider API answer wraps it). An element that is not an object is
 * rejected with its position; a document that breaks off, or holds no such array, is unparseable (what came before
 * is yielded first).
 */
export async function* jsonRows(chunks: AsyncIterable<Buffer>, arrayAtTop: boolean, arrayKeys: readonly string[]): AsyncGenerator<SourceRow> {
  const paths = arrayAtTop ? ['$.*'] : arrayKeys.flatMap((key) => [`$.${key}.*`, `$.data.${key}.*`]);
  // keepStack false: an element handed over is not also kept in its array, so memory holds one element at a time.
  const parser = new JSONParser({ paths, keepStack: false });
  const found: unknown[] = [];
  parser.onValue = ({ value }) => {
    found.push(value);
  };
  let position = 0;
  const drain = function* (): Generator<SourceRow> {
    for (const value of found.splice(0)) {
      position++;
      yield isObject(value) ? { line: position, fields: value } : { line: position, rejected: `element ${position} is ${typeOf(value)}, not an object` };
    }
  };
  const broken = (error: unknown) => new UnparseableFileError(`the JSON breaks off after element ${position + found.length}: ${(error as Error).message}`);
  for await (const chunk of chunks) {
    try {
      parser.write(chunk);
    } catch (error) {
      yield* drain();
      throw broken(error);
    }
    yield* drain();
  }
  try {
    if (!parser.isEnded) parser.end();
  } catch (error) {
    yield* drain();
    throw broken(error);
  }
  yield* drain();
  if (!arrayAtTop && position === 0) {
    throw new UnparseableFileError(`the JSON object holds no array of rows under ${arrayKeys.join(', ')} (or data.<key>)`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
