import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { randomSpanId, randomTraceId } from './random-ids.js';
import { formatTraceparent, isSampled, parseTraceparent } from './traceparent.js';

/** One unit of work of a trace (a webhook received, a record dispatched, a job processed). */
export interface TraceSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** The `traceparent` to pass on: this span as the parent of what it causes. */
  readonly traceparent: string;
  /** `{ traceId, spanId }`, for `logger.child(...)`: every line about this work carries them. */
  readonly logFields: { traceId: string; spanId: string };
  /** Ends the span; with an error, marks it failed. */
  end(error?: unknown): void;
}

/** Kinds of span the fleet starts (OpenTelemetry's SpanKind). */
export type TraceSpanKind = 'server' | 'consumer' | 'producer' | 'internal';

/** Starts spans; exports them over OTLP/HTTP only when configured. */
export interface Tracing {
  /**
   * Starts a span that continues the trace of `parent` (a `traceparent` value), or a new trace when it is absent or
   * not a valid traceparent. Whether it is sampled follows the parent's flag; a new trace is sampled.
   */
  startSpan(name: string, options: { parent?: string | null | undefined; kind: TraceSpanKind; attributes?: Attributes }): TraceSpan;
  /** Exports what is still buffered and stops; nothing is exported after. */
  shutdown(): Promise<void>;
}

/** How a service traces: its name, and where to export spans (undefined: nowhere, ids are still propagated). */
export interface TracingOptions {
  serviceName: string;
  /** The OTLP/HTTP traces URL (`<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`); undefined: spans are not exported. */
  otlpTracesUrl?: string | undefined;
}

const KINDS: Record<TraceSpanKind, SpanKind> = {
  server: SpanKind.SERVER,
  consumer: SpanKind.CONSUMER,
  producer: SpanKind.PRODUCER,
  internal: SpanKind.INTERNAL,
};

/**
 * Tracing: span ids are always made and propagated (they join a webhook, its record, its job and its file, and stand
 * in every log line about them). With an OTLP URL spans go through OpenTelemetry's SDK and leave the process; without
 * one only the ids are made.
 */
export function createTracing(options: TracingOptions): Tracing {
  return options.otlpTracesUrl ? exportingTracing(options.serviceName, options.otlpTracesUrl) : idOnlyTracing();
}

/**
 * Spans that only make and pass on ids, for a service that exports nothing: what OpenTelemetry's SDK would give with
 * no span processor (the parent's trace id and sampled flag, else a new sampled trace; a new span id), without its
 * span objects, attribute copies and context per span on the hot path.
 */
function idOnlyTracing(): Tracing {
  return {
    startSpan(_name, { parent }) {
      const parentContext = parseTraceparent(parent);
      const traceId = parentContext?.traceId ?? randomTraceId();
      const spanId = randomSpanId();
      const sampled = parentContext ? isSampled(parentContext) : true;
      return {
        traceId,
        spanId,
        traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`,
        logFields: { traceId, spanId },
        end() {},
      };
    },
    shutdown: () => Promise.resolve(),
  };
}

/** Spans through OpenTelemetry's SDK, exported over OTLP/HTTP in batches. */
function exportingTracing(serviceName: string, otlpTracesUrl: string): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl }), { scheduledDelayMillis: 1000 })],
  });
  const tracer = provider.getTracer('dyte-bridge');
  return {
    startSpan(name, { parent, kind, attributes }) {
      const parentContext = parseTraceparent(parent);
      const context = parentContext ? trace.setSpanContext(ROOT_CONTEXT, parentContext) : ROOT_CONTEXT;
      const span = tracer.startSpan(name, { kind: KINDS[kind], ...(attributes ? { attributes } : {}) }, context);
      const spanContext = span.spanContext();
      const { traceId, spanId } = spanContext;
      return {
        traceId,
        spanId,
        traceparent: formatTraceparent(spanContext),
        logFields: { traceId, spanId },
        end(error?: unknown) {
          if (error !== undefined) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          }
          span.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
}

let untraced: Tracing | undefined;

/** A Tracing that exports nothing, for code given none (tests, the CLI): ids are still made and propagated. */
export function untracedTracing(): Tracing {
  untraced ??= createTracing({ serviceName: 'dyte-bridge' });
  return untraced;
}
