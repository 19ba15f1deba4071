import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import {
  InvalidInputError,
  knownEvent,
  UnavailableError,
  type EventEncoder,
  type Logger,
  type SchemaCatalog,
  type Topics,
  type TraceSpan,
} from '../../../../shared/src/index.js';
import { parseWebhookBody, type ParsedWebhook } from '../domain/parse-webhook-body.js';
import { webhookMessage, type WebhookArrival, type WebhookMessage } from '../domain/webhook-message.js';
import type { GroupCommitProducer } from '../kafka/group-commit-producer.js';
import type { IngressMetrics } from '../metrics.js';
import type { PublicKeySource } from '../signature/public-key-source.js';
import { verifyWebhookSignature } from '../signature/verify-webhook-signature.js';
import { readBody } from './read-body.js';

/** What the webhook endpoint needs. */
export interface WebhookHandlerDeps {
  /** Undefined only when verification was turned off explicitly (DYTE_WEBHOOK_VERIFY=false). */
  keySource: PublicKeySource | undefined;
  catalog: SchemaCatalog;
  /** The encoder once schemas are registered; undefined while the ingress is starting. */
  encoder: () => EventEncoder | undefined;
  producer: GroupCommitProducer;
  topics: Topics;
  maxBodyBytes: number;
  /** Also accept a signature over the compact JSON of the parsed body (DYTE_WEBHOOK_COMPACT_JSON_FALLBACK). */
  compactJsonFallback: boolean;
  /** Largest body the compact-JSON fallback is tried for (DYTE_WEBHOOK_COMPACT_JSON_MAX_BYTES). */
  compactJsonMaxBytes: number;
  metrics: IngressMetrics;
  logger: Logger;
}

/** The answer to an accepted webhook (202). */
export interface AcceptedWebhook {
  status: 'accepted';
  deliveryId: string;
  topic: string;
  stored: 'typed' | 'raw';
  problems: string[];
  /** The trace the webhook joined or started (its traceparent is on the Kafka record). */
  traceId?: string;
}

/** The media type of a Content-Type header, lowercased, without parameters (as Koa's `request.type`). */
export function mediaType(header: string | undefined): string {
  if (!header) return '';
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

/** Verifies the signature on the raw bytes (parsing first only if the compact-JSON fallback needs it), then parses. */
async function verifiedWebhook(deps: WebhookHandlerDeps, headers: IncomingHttpHeaders, raw: Buffer): Promise<ParsedWebhook> {
  let parsed: ParsedWebhook | undefined;
  const parse = () => (parsed ??= parseWebhookBody(raw));
  if (deps.keySource) {
    const fallback = deps.compactJsonFallback ? { maxBytes: deps.compactJsonMaxBytes, parsed: () => parse().body } : undefined;
    await verifyWebhookSignature(deps.keySource, headers, raw, fallback);
  }
  return parse();
}

/**
 * The Kafka message of a verified webhook and the answer it gets once acked. Synchronous, so that what waits for
 * Kafka holds only these (not the parsed body and the typed record): less for each scavenge to copy.
 */
function acceptedMessage(
  deps: WebhookHandlerDeps,
  encoder: EventEncoder,
  { event, body }: ParsedWebhook,
  arrival: WebhookArrival,
  trace: TraceSpan | undefined,
): { topic: string; message: WebhookMessage['message']; accepted: AcceptedWebhook } {
  const { topic, record, message, delivery } = webhookMessage({ catalog: deps.catalog, encoder, topics: deps.topics }, event, body, arrival);
  if (record.stored === 'raw') {
    deps.logger.warn('stored as RawEvent', { ...trace?.logFields, event, deliveryId: delivery.deliveryId, problems: record.problems.slice(0, 10) });
  }
  const accepted: AcceptedWebhook = { status: 'accepted', deliveryId: delivery.deliveryId, topic, stored: record.stored, problems: record.problems };
  if (trace) accepted.traceId = trace.traceId;
  return { topic, message, accepted };
}

/**
 * POST /webhooks/dyte: verify the signature on the raw bytes, parse, fit the schema, produce, and resolve with the
 * 202 answer only once Kafka acknowledged the record (the producer answers 503 past its deadline). Every refusal
 * is an AppError for the route to answer. Independent of any web framework: it reads the node:http request.
 */
export function webhookHandler(deps: WebhookHandlerDeps): (req: IncomingMessage, trace?: TraceSpan) => Promise<AcceptedWebhook> {
  return async (req, trace) => {
    let eventLabel = 'none';
    try {
      const type = mediaType(req.headers['content-type']);
      if (type !== 'application/json' && !type.endsWith('+json')) {
        throw new InvalidInputError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json (got ${type || 'none'})`, 415);
      }
      const raw = await readBody(req, deps.maxBodyBytes);
      const receivedAtMs = Date.now();
      const parsed = await verifiedWebhook(deps, req.headers, raw);
      const { event } = parsed;
      eventLabel = knownEvent(event) ? event : 'other';

      const encoder = deps.encoder();
      if (!encoder) throw new UnavailableError('NOT_READY', 'the ingress is starting: Kafka or the registry is not ready yet');
      const arrival = { headers: req.headers, receivedAtMs, ...(trace ? { traceparent: trace.traceparent } : {}) };
      const { topic, message, accepted } = acceptedMessage(deps, encoder, parsed, arrival, trace);
      // Rejects with ACK_TIMEOUT (503) past the producer's deadline; the record may still be acked after it
      // (at-least-once: the delivery id tells duplicates apart).
      await deps.producer.send(topic, message);

      deps.metrics.webhooks.inc({ event: eventLabel, outcome: `accepted_${accepted.stored}` });
      deps.logger.debug('accepted', { ...trace?.logFields, event, deliveryId: accepted.deliveryId, topic, stored: accepted.stored });
      return accepted;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      deps.metrics.webhooks.inc({ event: eventLabel, outcome: typeof code === 'string' ? code : 'INTERNAL' });
      throw error;
    }
  };
}
