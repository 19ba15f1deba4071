import type { IncomingMessage } from 'node:http';
import { InvalidInputError } from '../../../../shared/src/index.js';

/**
 * Reads the whole request body as raw bytes (the signature covers the bytes, not a re-serialization), refusing
 * with 413 as soon as it exceeds `limit`, whether announced by Content-Length or not.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new InvalidInputError('BODY_TOO_LARGE', `request body exceeds the limit of ${limit} bytes (INGRESS_MAX_BODY_BYTES)`, 413);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}
