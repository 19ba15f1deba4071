import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What the request says about itself, besides the body: the Avro `Delivery` record. */
export interface Delivery {
  deliveryId: string;
  bodySha256: string;
  webhookId: string | null;
  source: 'dyte' | 'rtk';
  /** Microseconds since the epoch. */
  receivedAt: number;
}

/** Header names of the two families (Dyte and Cloudflare RealtimeKit send the same events). */
const PREFIXES = ['dyte', 'rtk'] as const;

/** The signature header of either family, if any. */
export function signatureHeader(headers: IncomingHttpHeaders): string | undefined {
  for (const prefix of PREFIXES) {
    const value = headers[`${prefix}-signature`];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Reads the delivery headers (dyte-uuid / rtk-uuid ...) and hashes the body for a second duplicate key. */
export function readDelivery(headers: IncomingHttpHeaders, body: Buffer, receivedAtMs: number): Delivery {
  const source = PREFIXES.find((prefix) => headers[`${prefix}-signature`] !== undefined || headers[`${prefix}-uuid`] !== undefined) ?? 'dyte';
  const header = (name: string) => {
    const value = headers[`${source}-${name}`];
    return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : null;
  };
  const bodySha256 = createHash('sha256').update(body).digest('hex');
  return {
    deliveryId: header('uuid') ?? bodySha256,
    bodySha256,
    webhookId: header('webhook-id'),
    source,
    receivedAt: receivedAtMs * 1000,
  };
}
