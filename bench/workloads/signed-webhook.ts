import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchemaCatalog, type SigningKey } from '../../shared/src/index.js';
import { buildEventRecord, readDelivery } from '../../services/ingress/src/index.js';
import { repoRoot } from '../harness/service-process.js';

/** The webhook of the ingress scenario: the seed's meeting.started, signed in Dyte's scheme. */
export interface SignedWebhook {
  body: Buffer;
  headers: Record<string, string>;
  /** Bytes of the Avro value the ingress writes for it (magic byte and schema id included). */
  recordBytes: number;
}

/** Signs the seed's meeting.started with `key` and works out the size of the record it becomes. */
export function signedWebhook(key: SigningKey): SignedWebhook {
  const body = Buffer.from(JSON.stringify(JSON.parse(readFileSync(join(repoRoot, 'samples', 'seed', 'meeting-started.json'), 'utf8'))));
  const headers = { 'content-type': 'application/json', 'dyte-signature': key.sign(body), 'dyte-uuid': 'bench-meeting-started' };
  const parsed = JSON.parse(body.toString()) as Record<string, unknown>;
  const record = buildEventRecord(loadSchemaCatalog(), String(parsed.event), parsed, readDelivery(headers, parsed, Date.now()));
  const recordBytes = 5 + loadSchemaCatalog().type(record.recordName).toBuffer(record.value).length;
  return { body, headers, recordBytes };
}
