/**
 * Splits `messages`, in order, into produce requests of at most `maxRecords` records and `maxBytes` of values each;
 * a record larger than `maxBytes` goes alone. Every record is in exactly one chunk.
 */
export function produceChunks<T extends { value: Buffer }>(messages: readonly T[], limits: { maxRecords: number; maxBytes: number }): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (chunk.length > 0 && (chunk.length >= limits.maxRecords || bytes + message.value.length > limits.maxBytes)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += message.value.length;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
