import type { IncomingHttpHeaders } from 'node:http';
import type { Delivery } from '../../../../shared/src/index.js';
import { bodySha256 } from './body-sha256.js';

/** Header name prefixes of the two families (Dyte and Cloudflare RealtimeKit send the same events). */
export const HEADER_FAMILIES = ['dyte', 'rtk'] as const;

/**
 * Reads the delivery headers (dyte-uuid / rtk-uuid ...) and hashes the parsed body (secrets already removed, as it
 * goes to Kafka) in its canonical form for a second duplicate key, so a re-serialised replay has the same one.
 */
export function readDelivery(headers: IncomingHttpHeaders, body: unknown, receivedAtMs: number): Delivery {
  const source = HEADER_FAMILIES.find((prefix) => headers[`${prefix}-signature`] !== undefined || headers[`${prefix}-uuid`] !== undefined) ?? 'dyte';
  const header = (name: string) => {
    const value = headers[`${source}-${name}`];
    return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : null;
  };
  const hash = bodySha256(body);
  return {
    deliveryId: header('uuid') ?? hash,
    bodySha256: hash,
    webhookId: header('webhook-id'),
    source,
    receivedAt: receivedAtMs * 1000,
  };
}
