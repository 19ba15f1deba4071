import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../../../../shared/src/index.js';
import { DownloadError } from './download-error.js';
import { httpGet, type HttpTimeouts } from './http-get.js';
import type { UrlPolicy } from './url-policy.js';

/** A file fetched completely into its partial path. */
export interface FetchedFile {
  bytes: number;
  sha256: string;
  contentType: string | null;
  /** Bytes that were already there from an interrupted attempt and were not fetched again. */
  resumedFrom: number;
  /** The final URL's path, for the file extension. */
  finalPath: string;
}

/** Options of one fetch. */
export interface FetchOptions extends HttpTimeouts {
  policy: UrlPolicy;
  maxBytes: number;
  progressIntervalMs: number;
  logger: Logger;
  /** Called with the bytes so far, at most once per progress interval. */
  onProgress?: (bytes: number, total: number | null) => void;
}

const MAX_REDIRECTS = 5;

/**
 * Streams `url` into `partialPath` (never the whole file in memory), hashing as it goes. If an earlier attempt
 * left part of the file, asks only for the rest (`Range`, guarded by `If-Range` with the validator saved beside
 * it) and keeps what it had when the server answers 206. Checks Content-Length and the size limit, and fsyncs
 * before returning, so a complete partial file is really complete.
 */
export async function fetchToFile(url: string, partialPath: string, options: FetchOptions): Promise<FetchedFile> {
  const metaPath = `${partialPath}.meta.json`;
  const meta = await readMeta(partialPath, metaPath);
  // A file an earlier attempt completed (its storing failed afterwards) is not fetched again.
  if (meta?.complete) return meta.complete;
  let offset = meta?.bytes ?? 0;
  const validator = meta?.validator;

  let current = new URL(url);
  let response: IncomingMessage | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = {};
    if (offset > 0 && validator) {
      headers.range = `bytes=${offset}-`;
      headers['if-range'] = validator;
    }
    response = await httpGet(current, headers, options.policy, options);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      current = new URL(response.headers.location, current);
      continue;
    }
    break;
  }
  if (!response) throw new DownloadError('NETWORK', 'no response', true);
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    response.resume();
    throw new DownloadError('NOT_ALLOWED', `more than ${MAX_REDIRECTS} redirects`, false);
  }
  if (status !== 200 && status !== 206) {
    response.resume();
    if (status === 416) await rm(partialPath, { force: true });
    const retriable = status >= 500 || status === 408 || status === 429 || status === 416;
    throw new DownloadError(`HTTP_${status}`, `the artifact server answered ${status}`, retriable);
  }

  if (status === 200) offset = 0; // The server sent the whole file: start over.
  else if (!String(response.headers['content-range'] ?? '').startsWith(`bytes ${offset}-`)) {
    response.resume();
    await rm(partialPath, { force: true });
    throw new DownloadError('NETWORK', `a resumed download got an unexpected Content-Range ${String(response.headers['content-range'])}`, true);
  }
  const length = response.headers['content-length'] === undefined ? null : Number(response.headers['content-length']);
  const total = length === null ? null : offset + length;
  if (total !== null && total > options.maxBytes) {
    response.resume();
    throw new DownloadError('TOO_LARGE', `the artifact is ${total} bytes, over DOWNLOAD_MAX_BYTES (${options.maxBytes})`, false);
  }
  const newValidator = (response.headers.etag ?? response.headers['last-modified']) as string | undefined;
  if (newValidator) await writeMeta(metaPath, { validator: newValidator });
  else await rm(metaPath, { force: true });

  const hash = createHash('sha256');
  if (offset > 0) {
    for await (const chunk of createReadStream(partialPath, { end: offset - 1 })) hash.update(chunk as Buffer);
  }
  let received = 0;
  let lastReport = Date.now();
  const startedAt = Date.now();
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (offset + received > options.maxBytes) {
        callback(new DownloadError('TOO_LARGE', `the artifact passed DOWNLOAD_MAX_BYTES (${options.maxBytes}) while downloading`, false));
        return;
      }
      hash.update(chunk);
      const now = Date.now();
      if (now - lastReport >= options.progressIntervalMs) {
        lastReport = now;
        const rate = received / Math.max(1, (now - startedAt) / 1000);
        options.logger.info('download progress', {
          bytes: offset + received,
          total,
          percent: total ? Math.round(((offset + received) / total) * 1000) / 10 : null,
          bytesPerSecond: Math.round(rate),
        });
        options.onProgress?.(offset + received, total);
      }
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response, meter, createWriteStream(partialPath, { flags: offset > 0 ? 'a' : 'w' }));
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError('NETWORK', `the download broke off after ${offset + received} bytes: ${(error as Error).message}`, true, error);
  }
  if (length !== null && received !== length) {
    throw new DownloadError('SIZE_MISMATCH', `got ${received} of the ${length} bytes announced by Content-Length`, true);
  }
  const handle = await open(partialPath, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  const fetched: FetchedFile = {
    bytes: offset + received,
    sha256: hash.digest('hex'),
    contentType: (response.headers['content-type'] as string | undefined) ?? null,
    resumedFrom: offset,
    finalPath: current.pathname,
  };
  await writeMeta(metaPath, { complete: { ...fetched, resumedFrom: fetched.bytes } });
  return fetched;
}

/** What is saved beside a partial file: the validator to resume it with, or the result once it is complete. */
interface PartialMeta {
  validator?: string;
  complete?: FetchedFile;
}

/**
 * The saved state of an earlier attempt, with the partial file's size; undefined when there is nothing usable.
 * A meta file that does not parse (a crash while writing it) discards the partial file: start over, never fail.
 */
async function readMeta(partialPath: string, metaPath: string): Promise<(PartialMeta & { bytes: number }) | undefined> {
  let bytes: number;
  let meta: PartialMeta;
  try {
    bytes = (await stat(partialPath)).size;
    meta = JSON.parse(await readFile(metaPath, 'utf8')) as PartialMeta;
  } catch {
    await rm(partialPath, { force: true });
    await rm(metaPath, { force: true });
    return undefined;
  }
  if (meta.complete && meta.complete.bytes !== bytes) return undefined;
  if (!meta.complete && !meta.validator) return undefined;
  return { ...meta, bytes };
}

/** Writes the meta file atomically (temporary name, then rename). */
async function writeMeta(metaPath: string, meta: PartialMeta): Promise<void> {
  await writeFile(`${metaPath}.tmp`, JSON.stringify(meta));
  await rename(`${metaPath}.tmp`, metaPath);
}
