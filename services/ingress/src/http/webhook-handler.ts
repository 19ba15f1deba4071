import type { IncomingMessage } from 'node:http';
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
import { webhookMessage } from '../domain/webhook-message.js';
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

      let parsed: ParsedWebhook | undefined;
      const parse = () => (parsed ??= parseWebhookBody(raw));
      if (deps.keySource) {
        const fallback = deps.compactJsonFallback ? { maxBytes: deps.compactJsonMaxBytes, parsed: () => parse().body } : undefined;
        await verifyWebhookSignature(deps.keySource, req.headers, raw, fallback);
      }
      const { event, body } = parse();
      eventLabel = knownEvent(event) ? event : 'other';

      const encoder = deps.encoder();
      if (!encoder) throw new UnavailableError('NOT_READY', 'the ingress is starting: Kafka or the registry is not ready yet');

      const { topic, record, message, delivery } = webhookMessage(
        { catalog: deps.catalog, encoder, topics: deps.topics },
        event,
        body,
        { headers: req.headers, receivedAtMs, ...(trace ? { traceparent: trace.traceparent } : {}) },
      );
      if (record.stored === 'raw') {
        deps.logger.warn('stored as RawEvent', { ...trace?.logFields, event, deliveryId: delivery.deliveryId, problems: record.problems.slice(0, 10) });
      }
      // Rejects with ACK_TIMEOUT (503) past the producer's deadline; the record may still be acked after it
      // (at-least-once: the delivery id tells duplicates apart).
      await deps.producer.send(topic, message);

      deps.metrics.webhooks.inc({ event: eventLabel, outcome: `accepted_${record.stored}` });
      deps.logger.debug('accepted', { ...trace?.logFields, event, deliveryId: delivery.deliveryId, topic, stored: record.stored });
      return {
        status: 'accepted',
        deliveryId: delivery.deliveryId,
        topic,
        stored: record.stored,
        problems: record.problems,
        ...(trace ? { traceId: trace.traceId } : {}),
      };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      deps.metrics.webhooks.inc({ event: eventLabel, outcome: typeof code === 'string' ? code : 'INTERNAL' });
      throw error;
    }
  };
}
