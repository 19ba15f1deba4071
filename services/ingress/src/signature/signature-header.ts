import type { IncomingHttpHeaders } from 'node:http';
import { HEADER_FAMILIES } from '../domain/delivery.js';

/** The signature header of either family (`dyte-signature`, `rtk-signature`), if any. */
export function signatureHeader(headers: IncomingHttpHeaders): string | undefined {
  for (const family of HEADER_FAMILIES) {
    const value = headers[`${family}-signature`];
    if (typeof value === 'string') return value;
  }
  return undefined;
}
