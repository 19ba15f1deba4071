export { formatTraceparent, TRACEPARENT_HEADER, isSampled, parseTraceparent, traceparentIn } from './traceparent.js';
export { createTracing, untracedTracing, type TraceSpan, type TraceSpanKind, type Tracing, type TracingOptions } from './tracing.js';
export { tracingConfigSchema, tracingOptions } from './tracing-settings.js';
