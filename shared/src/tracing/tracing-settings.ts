import { enumSetting, optionalStringSetting, urlSetting, type Setting } from '../config/index.js';
import type { TracingOptions } from './tracing.js';

/**
 * The OpenTelemetry settings every service reads, under their standard names. Trace ids are always propagated and
 * logged; spans are exported over OTLP/HTTP only when OTEL_TRACES_EXPORTER is otlp, or unset with an endpoint set.
 */
export const tracingConfigSchema = {
  otelTracesExporter: {
    ...enumSetting({ env: 'OTEL_TRACES_EXPORTER', doc: 'otlp: export spans over OTLP/HTTP; none: do not (unset: otlp when OTEL_EXPORTER_OTLP_ENDPOINT is set, else none)', values: ['none', 'otlp'] as const }),
    default: undefined,
    optional: true,
  } as Setting<'none' | 'otlp' | undefined>,
  otelExporterOtlpEndpoint: {
    ...urlSetting({ env: 'OTEL_EXPORTER_OTLP_ENDPOINT', doc: 'Base URL of an OTLP/HTTP receiver (spans go to <url>/v1/traces); unset: http://localhost:4318 when OTEL_TRACES_EXPORTER=otlp', protocols: ['http:', 'https:'] }),
    default: undefined,
    optional: true,
  } as Setting<string | undefined>,
  otelServiceName: optionalStringSetting({ env: 'OTEL_SERVICE_NAME', doc: 'service.name of exported spans (unset: dyte-bridge-<service>)' }),
};

/** The tracing options of a service from its config. */
export function tracingOptions(
  config: { otelTracesExporter?: 'none' | 'otlp' | undefined; otelExporterOtlpEndpoint?: string | undefined; otelServiceName?: string | undefined },
  service: string,
): TracingOptions {
  const exporter = config.otelTracesExporter ?? (config.otelExporterOtlpEndpoint ? 'otlp' : 'none');
  const serviceName = config.otelServiceName ?? `dyte-bridge-${service}`;
  if (exporter === 'none') return { serviceName };
  return { serviceName, otlpTracesUrl: `${config.otelExporterOtlpEndpoint ?? 'http://localhost:4318'}/v1/traces` };
}
