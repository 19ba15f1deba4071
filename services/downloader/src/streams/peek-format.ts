import type { FileFormat } from './source-rows.js';

/** How many bytes at most are looked at to tell the format: past a byte-order mark and leading blanks. */
const PEEK_BYTES = 4096;

/**
 * Tells a file's format from its content, never from its name or content type: JSON when its first character (past
 * a UTF-8 byte-order mark and white space) is `[` or `{` (`arrayAtTop` for `[`), CSV otherwise. Returns the format
 * and the same bytes as a stream again (the ones looked at first, without the byte-order mark), so the file is read
 * once.
 */
export async function peekFormat(chunks: AsyncIterable<Buffer>): Promise<{ format: FileFormat; arrayAtTop: boolean; chunks: AsyncIterable<Buffer> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let seenBytes = 0;
  let first: number | undefined;
  let done = false;
  while (first === undefined && seenBytes < PEEK_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    seen.push(chunk);
    seenBytes += chunk.length;
    first = firstCharacter(Buffer.concat(seen));
  }
  const format: FileFormat = first === 0x5b || first === 0x7b ? 'json' : 'csv';
  async function* replay(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  // A byte-order mark is dropped here: the JSON parser would take it for content.
  const whole = Buffer.concat(seen);
  if (whole[0] === 0xef && whole[1] === 0xbb && whole[2] === 0xbf) seen.splice(0, seen.length, whole.subarray(3));
  return { format, arrayAtTop: first === 0x5b, chunks: replay() };
}

/** The first byte that is not a byte-order mark or white space, or undefined when there is none yet. */
function firstCharacter(bytes: Buffer): number | undefined {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i];
}
