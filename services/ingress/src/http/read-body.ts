import type { IncomingMessage } from 'node:http';
import { InvalidInputError } from '../../../../shared/src/index.js';

/**
 * Reads the whole request body as raw bytes (the signature covers the bytes, not a re-serialization), refusing
 * with 413 as soon as it exceeds `limit`, whether announced by Content-Length or not. Rejects when the client goes
 * away before the end. Plain 'data'/'end' listeners: no async iterator per request on the hot path.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new InvalidInputError('BODY_TOO_LARGE', `request body exceeds the limit of ${limit} bytes (INGRESS_MAX_BODY_BYTES)`, 413);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Stop reading: the answer closes the connection (the request is not complete).
        req.pause();
        reject(tooLarge());
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      if (!req.complete) reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
