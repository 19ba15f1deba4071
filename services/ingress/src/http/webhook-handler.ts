import type { Middleware } from 'koa';
import {
  InvalidInputError,
  knownEvent,
  UnavailableError,
  withDeadline,
  type EventEncoder,
  type Logger,
  type SchemaCatalog,
  type TraceSpan,
  type Topics,
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
  /** How long a request may wait for Kafka's ack before it is answered 503 (well inside Dyte's 3 s). */
  ackTimeoutMs: number;
  metrics: IngressMetrics;
  logger: Logger;
}

/**
 * POST /webhooks/dyte: verify the signature on the raw bytes, parse, fit the schema, produce, and answer 202 only
 * once Kafka acknowledged the record. Every refusal is an AppError for the error handler to answer.
 */
export function webhookHandler(deps: WebhookHandlerDeps): Middleware {
  return async (ctx) => {
    let eventLabel = 'none';
    // The request's span (webhook-route.ts): its ids in every log line, its traceparent on the Kafka record.
    const trace = ctx.state.trace as TraceSpan | undefined;
    const logger = trace ? deps.logger.child(trace.logFields) : deps.logger;
    try {
      const type = ctx.request.type;
      if (type !== 'application/json' && !type.endsWith('+json')) {
        throw new InvalidInputError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json (got ${type || 'none'})`, 415);
      }
      const raw = await readBody(ctx.req, deps.maxBodyBytes);
      const receivedAtMs = Date.now();

      let parsed: ParsedWebhook | undefined;
      const parse = () => (parsed ??= parseWebhookBody(raw));
      if (deps.keySource) {
        const fallback = deps.compactJsonFallback ? { maxBytes: deps.compactJsonMaxBytes, parsed: () => parse().body } : undefined;
        await verifyWebhookSignature(deps.keySource, ctx.headers, raw, fallback);
      }
      const { event, body } = parse();
      eventLabel = knownEvent(event) ? event : 'other';

      const encoder = deps.encoder();
      if (!encoder) throw new UnavailableError('NOT_READY', 'the ingress is starting: Kafka or the registry is not ready yet');

      const { topic, record, message, delivery } = webhookMessage(
        { catalog: deps.catalog, encoder, topics: deps.topics },
        event,
        body,
        { headers: ctx.headers, receivedAtMs, ...(trace ? { traceparent: trace.traceparent } : {}) },
      );
      if (record.stored === 'raw') {
        logger.warn('stored as RawEvent', { event, deliveryId: delivery.deliveryId, problems: record.problems.slice(0, 10) });
      }
      // The record may still be acked after the deadline (at-least-once: the delivery id tells duplicates apart).
      await withDeadline(
        deps.producer.send(topic, message),
        deps.ackTimeoutMs,
        () => new UnavailableError('ACK_TIMEOUT', `Kafka did not acknowledge the event within ${deps.ackTimeoutMs} ms`),
      );

      deps.metrics.webhooks.inc({ event: eventLabel, outcome: `accepted_${record.stored}` });
      logger.debug('accepted', { event, deliveryId: delivery.deliveryId, topic, stored: record.stored });
      ctx.status = 202;
      ctx.body = {
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
