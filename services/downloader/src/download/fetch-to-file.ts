import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../../../shared/src/index.js';
import { bodyToFile } from './body-to-file.js';
import { deadlineError, type DownloadDeadline } from './download-deadline.js';
import { DownloadError } from './download-error.js';
import { httpGet, type HttpTimeouts } from './http-get.js';
import { watchMinRate, type MinRate } from './min-rate-watch.js';
import type { PartialFile } from './partial-file.js';
import { parseLink, type UrlPolicy } from './url-policy.js';

/** A file fetched completely into its partial file. */
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
  /** When the whole attempt (every redirect and the body) must be over. */
  deadline: DownloadDeadline;
  /** The slowest transfer accepted; judged from the attempt's start, again from the body's start. */
  minRate: MinRate;
  logger: Logger;
  /** Called with the bytes so far, at most once per progress interval. */
  onProgress?: (bytes: number, total: number | null) => void;
}

const MAX_REDIRECTS = 5;
// setTimeout fires at once past this (2^31 - 1 ms, about 24.8 days); deadlines are far shorter (at most 7 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Streams `url` into `partial` (never the whole file in memory), hashing as it goes. If an earlier attempt
 * left part of the file, asks only for the rest (`Range`, guarded by `If-Range` with the validator saved beside
 * it) and keeps what it had when the server answers 206. Checks Content-Length and the size limit, and marks the
 * file complete (fsynced) before returning, so a complete partial file is really complete. The attempt is cut at
 * its deadline or when slower than the minimum rate; every answer that is not written to the file is destroyed at
 * once, never read.
 */
export async function fetchToFile(url: string, partial: PartialFile, options: FetchOptions): Promise<FetchedFile> {
  const meta = await partial.resumeState();
  // A file an earlier attempt completed (its storing failed afterwards) is not fetched again.
  if (meta?.complete) return meta.complete;
  let offset = meta?.bytes ?? 0;
  const validator = meta?.validator;
  let current = parseLink(url, 'link');

  let received = 0;
  let response: IncomingMessage | undefined;
  // One signal cuts whatever is in flight (a request, a redirect, the body) with the reason it was cut for.
  const abort = new AbortController();
  const cut = (error: DownloadError) => {
    if (abort.signal.aborted) return;
    abort.abort(error);
    // Destroyed without an error: it may have no 'error' listener yet. The reason is rethrown below instead.
    response?.destroy();
  };
  const deadlineTimer = setTimeout(
    () => cut(deadlineError(options.deadline, offset + received)),
    Math.min(MAX_TIMER_MS, Math.max(0, options.deadline.at - Date.now())),
  );
  const rateWatch = watchMinRate(
    () => received,
    options.minRate,
    (rate) =>
      cut(
        new DownloadError(
          'TOO_SLOW',
          `${rate} bytes/s over the last ${options.minRate.windowMs} ms, under DOWNLOAD_MIN_BYTES_PER_SECOND (${options.minRate.bytesPerSecond}), after ${offset + received} bytes`,
          true,
        ),
      ),
  );
  let progressTimer: NodeJS.Timeout | undefined;
  try {
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = {};
      if (offset > 0 && validator) {
        headers.range = `bytes=${offset}-`;
        headers['if-range'] = validator;
      }
      response = await httpGet(current, headers, options.policy, options, abort.signal);
      const status = response.statusCode ?? 0;
      if (status < 300 || status >= 400) break;
      // A redirect's body is never read: an endless one would otherwise be downloaded and thrown away.
      response.destroy();
      const location = response.headers.location;
      if (!location) throw new DownloadError('NOT_ALLOWED', `the artifact server answered ${status} without a Location`, false);
      if (hop >= MAX_REDIRECTS) throw new DownloadError('NOT_ALLOWED', `more than ${MAX_REDIRECTS} redirects`, false);
      current = parseLink(location, 'redirect Location', current);
    }
    const status = response.statusCode ?? 0;
    if (status !== 200 && status !== 206) {
      response.destroy();
      if (status === 416) await partial.discard();
      const retriable = status >= 500 || status === 408 || status === 429 || status === 416;
      throw new DownloadError(`HTTP_${status}`, `the artifact server answered ${status}`, retriable);
    }

    if (status === 200) offset = 0; // The server sent the whole file: start over.
    else if (!String(response.headers['content-range'] ?? '').startsWith(`bytes ${offset}-`)) {
      response.destroy();
      await partial.discard();
      throw new DownloadError('NETWORK', `a resumed download got an unexpected Content-Range ${String(response.headers['content-range'])}`, true);
    }
    const length = response.headers['content-length'] === undefined ? null : Number(response.headers['content-length']);
    const total = length === null ? null : offset + length;
    if (total !== null && total > options.maxBytes) {
      response.destroy();
      throw new DownloadError('TOO_LARGE', `the artifact is ${total} bytes, over DOWNLOAD_MAX_BYTES (${options.maxBytes})`, false);
    }
    await partial.saveValidator((response.headers.etag ?? response.headers['last-modified']) as string | undefined);

    const hash = createHash('sha256');
    if (offset > 0) {
      for await (const chunk of createReadStream(partial.path, { end: offset - 1 })) hash.update(chunk as Buffer);
    }
    // Re-reading the kept bytes is local work: the rate is judged on the body alone, from here.
    rateWatch.restart();
    const startedAt = Date.now();
    progressTimer = setInterval(() => {
      const rate = received / Math.max(1, (Date.now() - startedAt) / 1000);
      options.logger.info('download progress', {
        bytes: offset + received,
        total,
        percent: total ? Math.round(((offset + received) / total) * 1000) / 10 : null,
        bytesPerSecond: Math.round(rate),
      });
      options.onProgress?.(offset + received, total);
    }, options.progressIntervalMs);
    const take = (chunk: Buffer) => {
      received += chunk.length;
      if (offset + received > options.maxBytes) {
        throw new DownloadError('TOO_LARGE', `the artifact passed DOWNLOAD_MAX_BYTES (${options.maxBytes}) while downloading`, false);
      }
      hash.update(chunk);
    };
    // A cut that landed while the answer waited here (its validator saved, the kept bytes hashed) has destroyed it
    // already: the attempt ends with the cut's reason before the file is touched.
    if (abort.signal.aborted) throw abort.signal.reason as DownloadError;
    try {
      await bodyToFile(response, partial.path, offset > 0, take);
    } catch (error) {
      if (error instanceof DownloadError) throw error;
      throw new DownloadError('NETWORK', `the download broke off after ${offset + received} bytes: ${(error as Error).message}`, true, error);
    }
    if (length !== null && received !== length) {
      throw new DownloadError('SIZE_MISMATCH', `got ${received} of the ${length} bytes announced by Content-Length`, true);
    }
    const fetched: FetchedFile = {
      bytes: offset + received,
      sha256: hash.digest('hex'),
      contentType: (response.headers['content-type'] as string | undefined) ?? null,
      resumedFrom: offset,
      finalPath: current.pathname,
    };
    await partial.markComplete(fetched);
    return fetched;
  } catch (error) {
    // A cut that landed between two steps (a redirect and the next request, writing the meta file) wins.
    if (abort.signal.aborted) throw abort.signal.reason as DownloadError;
    throw error;
  } finally {
    clearTimeout(deadlineTimer);
    clearInterval(progressTimer);
    rateWatch.stop();
    // Whatever way this ends, an answer still open is closed, not left to trickle in.
    response?.destroy();
  }
}
