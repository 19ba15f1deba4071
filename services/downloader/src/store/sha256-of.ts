import { createHash } from 'node:crypto';

/** The SHA-256 (hex) of a stream of bytes, read chunk by chunk (a file or an object body; never held whole). */
export async function sha256Of(chunks: AsyncIterable<Uint8Array | string>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}
