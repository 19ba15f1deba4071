import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { formatTraceparent, parseTraceparent } from './traceparent.js';

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
 * Tracing through OpenTelemetry's SDK: span ids are always made and propagated (they join a webhook, its record, its
 * job and its file, and stand in every log line about them); spans leave the process only with an OTLP URL.
 */
export function createTracing(options: TracingOptions): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: options.otlpTracesUrl ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: options.otlpTracesUrl }), { scheduledDelayMillis: 1000 })] : [],
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
