import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { DownloadError } from './download-error.js';
import { checkAddress, checkUrl, type UrlPolicy } from './url-policy.js';

/** Timeouts of one request. */
export interface HttpTimeouts {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
}

/**
 * One GET, without following redirects. The host is checked before connecting and every address it resolves to
 * is checked before the socket uses it, so DNS cannot steer a link to a private address (no rebinding window).
 * No Accept-Encoding is sent: the bytes stored are the bytes served, never decompressed. `signal` cuts the
 * request until it has an answer, failing with the signal's reason (once answered, the caller owns the response).
 */
export function httpGet(url: URL, headers: Record<string, string>, policy: UrlPolicy, timeouts: HttpTimeouts, signal?: AbortSignal): Promise<IncomingMessage> {
  checkUrl(url, policy);
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      try {
        for (const { address } of list) checkAddress(address, policy);
      } catch (refused) {
        return callback(refused as Error, '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} resolved to no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { headers: { 'user-agent': 'dyte-kafka-bridge-downloader', ...headers }, lookup, agent: false });
    const connectTimer = setTimeout(() => {
      request.destroy(new DownloadError('TIMEOUT', `no connection to ${url.host} within ${timeouts.connectTimeoutMs} ms`, true));
    }, timeouts.connectTimeoutMs);
    request.once('socket', (socket) => {
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    request.setTimeout(timeouts.idleTimeoutMs, () => {
      request.destroy(new DownloadError('TIMEOUT', `no data from ${url.host} for ${timeouts.idleTimeoutMs} ms`, true));
    });
    const onAbort = () => request.destroy(signal?.reason as Error);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('response', (response) => {
      clearTimeout(connectTimer);
      signal?.removeEventListener('abort', onAbort);
      resolve(response);
    });
    request.once('error', (error) => {
      clearTimeout(connectTimer);
      signal?.removeEventListener('abort', onAbort);
      reject(error instanceof DownloadError ? error : new DownloadError('NETWORK', `${url.host}: ${error.message}`, true, error));
    });
  });
}
