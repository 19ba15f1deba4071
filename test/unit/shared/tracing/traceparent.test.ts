import { strict as assert } from 'node:assert';
import { createTracing, formatTraceparent, isSampled, parseTraceparent, tracingOptions } from '../../../../shared/src/index.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('W3C traceparent (shared/src/tracing)', () => {
  it('when a valid version 00 traceparent is read, then its ids and sampled flag come out and format back to the same text', () => {
    for (const flags of ['01', '00']) {
      const span = parseTraceparent(`00-${TRACE}-${PARENT}-${flags}`);
      assert.ok(span);
      assert.equal(span.traceId, TRACE);
      assert.equal(span.spanId, PARENT);
      assert.equal(isSampled(span), flags === '01');
      assert.equal(formatTraceparent(span), `00-${TRACE}-${PARENT}-${flags}`);
    }
  });

  it('when a traceparent breaks the W3C rules, then it is refused (a new trace is started instead)', () => {
    for (const bad of [
      `00-${'0'.repeat(32)}-${PARENT}-01`, // all-zero trace id
      `00-${TRACE}-${'0'.repeat(16)}-01`, // all-zero parent id
      `00-${TRACE.toUpperCase()}-${PARENT}-01`, // uppercase hex
      `ff-${TRACE}-${PARENT}-01`, // version ff is invalid
      `00-${TRACE}-${PARENT}-01-extra`, // version 00 has exactly four parts
      `00-${TRACE.slice(1)}-${PARENT}-01`, // 31 hex digits
      `00-${TRACE}-${PARENT}0-01`, // 17 hex digits
      `00-${TRACE}-${PARENT}-1`, // one-digit flags
      `00-${TRACE}-${PARENT}-0g`,
      '',
      'garbage',
    ]) {
      assert.equal(parseTraceparent(bad), undefined, bad);
    }
    assert.equal(parseTraceparent(undefined), undefined);
  });

  it('when a span continues a traceparent, then it keeps the trace id and flags with a new span id; without one it starts a sampled trace', async () => {
    const tracing = createTracing({ serviceName: 'test' });
    const child = tracing.startSpan('child', { parent: `00-${TRACE}-${PARENT}-01`, kind: 'consumer' });
    assert.equal(child.traceId, TRACE);
    assert.notEqual(child.spanId, PARENT);
    assert.equal(child.traceparent, `00-${TRACE}-${child.spanId}-01`);
    assert.deepEqual(child.logFields, { traceId: TRACE, spanId: child.spanId });
    const unsampled = tracing.startSpan('unsampled', { parent: `00-${TRACE}-${PARENT}-00`, kind: 'consumer' });
    assert.equal(unsampled.traceparent, `00-${TRACE}-${unsampled.spanId}-00`, 'the caller decided not to sample: kept');
    const root = tracing.startSpan('root', { parent: 'garbage', kind: 'server' });
    assert.notEqual(root.traceId, TRACE);
    assert.match(root.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    for (const span of [child, unsampled, root]) span.end();
    await tracing.shutdown();
  });

  it('when nothing is exported, then spans pass on the same ids and flags as the exporting SDK path, with fresh ids each time', async () => {
    // The exporter is never reached: no span is ended before shutdown, so nothing is sent.
    const exporting = createTracing({ serviceName: 'test', otlpTracesUrl: 'http://127.0.0.1:1/v1/traces' });
    const idOnly = createTracing({ serviceName: 'test' });
    for (const parent of [`00-${TRACE}-${PARENT}-01`, `00-${TRACE}-${PARENT}-00`, undefined, 'garbage']) {
      const [a, b] = [exporting, idOnly].map((tracing) => tracing.startSpan('s', { parent, kind: 'server' }));
      assert.ok(a && b);
      assert.equal(b.traceId === TRACE, a.traceId === TRACE, `${parent}: the parent's trace is continued by both or neither`);
      assert.equal(b.traceparent.slice(-3), a.traceparent.slice(-3), `${parent}: same sampled flag`);
      assert.match(b.traceparent, new RegExp(`^00-${b.traceId}-${b.spanId}-0[01]$`));
    }
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const { traceId, spanId, traceparent } = idOnly.startSpan('s', { kind: 'internal' });
      assert.match(traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      assert.ok(!/^0+$/.test(traceId) && !/^0+$/.test(spanId));
      assert.equal(parseTraceparent(traceparent)?.spanId, spanId);
      seen.add(traceId).add(spanId);
    }
    assert.equal(seen.size, 10_000, 'every id is new');
    await Promise.all([exporting.shutdown(), idOnly.shutdown()]);
  });

  it('when the OTEL settings are read, then spans are exported only with OTEL_TRACES_EXPORTER=otlp or an endpoint', () => {
    assert.deepEqual(tracingOptions({}, 'ingress'), { serviceName: 'dyte-bridge-ingress' });
    assert.deepEqual(tracingOptions({ otelTracesExporter: 'none', otelExporterOtlpEndpoint: 'http://c:4318' }, 'ingress'), { serviceName: 'dyte-bridge-ingress' });
    assert.deepEqual(tracingOptions({ otelExporterOtlpEndpoint: 'http://c:4318' }, 'dispatcher'), { serviceName: 'dyte-bridge-dispatcher', otlpTracesUrl: 'http://c:4318/v1/traces' });
    assert.deepEqual(tracingOptions({ otelTracesExporter: 'otlp', otelServiceName: 'x' }, 'downloader'), { serviceName: 'x', otlpTracesUrl: 'http://localhost:4318/v1/traces' });
  });
});
