import { isSpanContextValid, ROOT_CONTEXT, trace, TraceFlags, type SpanContext, type TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { KAFKA_HEADERS } from '../contract/index.js';

/** The W3C Trace Context header: the same name on HTTP requests and Kafka records. */
export const TRACEPARENT_HEADER = KAFKA_HEADERS.traceparent.name;
const TRACEPARENT = TRACEPARENT_HEADER;
const propagator = new W3CTraceContextPropagator();

/** Reads a header of an HTTP request or a Kafka record (Buffer values; the first of repeated ones). */
const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') return first;
    if (Buffer.isBuffer(first)) return first.toString('latin1');
    return undefined;
  },
};

/**
 * The span context a `traceparent` value names, checked by OpenTelemetry's W3C propagator: version 00 with exactly
 * four parts (a later version may add parts), a 32-hex trace id and a 16-hex parent id, neither all zeros, lowercase
 * hex, 2-hex flags. Anything else (absent, malformed, version ff) gives undefined: a new trace is started instead.
 */
export function parseTraceparent(value: string | null | undefined): SpanContext | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return traceparentIn({ [TRACEPARENT]: value });
}

/** The span context in the `traceparent` header of an HTTP request's or a Kafka record's headers, if valid. */
export function traceparentIn(headers: Record<string, unknown> | undefined): SpanContext | undefined {
  if (!headers) return undefined;
  const context = propagator.extract(ROOT_CONTEXT, headers, headerGetter);
  const span = trace.getSpanContext(context);
  return span && isSpanContextValid(span) ? span : undefined;
}

/** The `traceparent` value of a span context: `00-<trace id>-<span id>-<flags>`. */
export function formatTraceparent(span: SpanContext): string {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpanContext(ROOT_CONTEXT, span), carrier, { set: (c, key, value) => (c[key] = value) });
  const value = carrier[TRACEPARENT];
  if (value === undefined) throw new Error('not a valid span context');
  return value;
}

/** Whether the flags of a span context say it is sampled. */
export function isSampled(span: SpanContext): boolean {
  return (span.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
}
