import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * Bytes gathered before one write. A body arrives in socket reads of up to 64 KiB; writing each through a
 * WriteStream cost a thread-pool round trip per read (16384 per GiB: futex wake-ups, an eventfd, an epoll turn,
 * two context switches when the process has one CPU). One writev per 256 KiB makes that a quarter, with one write
 * in flight while the next batch gathers. Larger batches measured worse (1 MiB: more system time than per-read
 * writes), as the bytes are no longer in the CPU's cache when the kernel copies them; so did writing synchronously
 * on the main thread (no overlap of disk and network, and the event loop stalled for hundreds of ms on a busy disk).
 */
export const WRITE_BATCH_BYTES = 256 * 1024;
// A body of many small chunks (a trickle, a chunked answer) is written at least every IOV_MAX chunks.
const MAX_BATCH_CHUNKS = 1024;

/**
 * Reads `body` to its end and writes it to `path` (appended when `append`, else from empty), in order, in batches
 * of WRITE_BATCH_BYTES. `take` sees every chunk first, in order, before it is written (to count, limit and hash it);
 * what it throws stops the transfer. Whatever way it ends, no write is left in flight and the file is closed; on a
 * failure the file holds a prefix of the body (what was written before it), which is what resuming relies on.
 */
export async function bodyToFile(body: Readable, path: string, append: boolean, take: (chunk: Buffer) => void): Promise<void> {
  // An error of the body while the file opens must not be uncaught: the stream keeps it (errored), and the loop's
  // iterator, which only listens once it starts, rejects with it. The iterator also rejects on a premature close (a
  // body destroyed without an error, before or during the loop) and destroys the body when the loop is left early.
  const ignore = () => undefined;
  body.on('error', ignore);
  let file: FileHandle;
  try {
    file = await open(path, append ? 'a' : 'w');
  } catch (error) {
    body.destroy();
    throw error;
  } finally {
    body.off('error', ignore);
  }
  let writing: Promise<void> | undefined;
  let writeError: { error: unknown } | undefined;
  // Caught at once (an unhandled rejection would end the process) and rethrown when the next write waits for it.
  const startWrite = (chunks: Buffer[], bytes: number) =>
    writeAll(file, chunks, bytes).catch((error: unknown) => {
      writeError ??= { error };
    });
  const written = async () => {
    await writing;
    if (writeError) throw writeError.error;
  };
  try {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      take(chunk);
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= WRITE_BATCH_BYTES || batch.length >= MAX_BATCH_CHUNKS) {
        // The previous batch must be on disk first: writes stay in order and memory stays bounded.
        await written();
        writing = startWrite(batch, batchBytes);
        batch = [];
        batchBytes = 0;
      }
    }
    if (batchBytes > 0) {
      await written();
      writing = startWrite(batch, batchBytes);
    }
    await written();
  } finally {
    // A write still in flight (the body failed meanwhile) ends before the file is closed.
    await writing;
    await file.close();
  }
}

/** Writes `chunks` (`bytes` in all) at the file's position, going on after a short write. */
async function writeAll(file: FileHandle, chunks: Buffer[], bytes: number): Promise<void> {
  const { bytesWritten } = await file.writev(chunks);
  if (bytesWritten === bytes) return;
  const rest = Buffer.concat(chunks).subarray(bytesWritten);
  for (let done = 0; done < rest.length; ) done += (await file.write(rest, done)).bytesWritten;
}
