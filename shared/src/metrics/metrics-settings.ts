import { integerSetting, stringSetting } from '../config/index.js';

/**
 * The settings of a service's own metrics port: `METRICS_HOST`, shared, and a port variable per service, so that
 * every service of the fleet can run on one host with its default.
 */
export function metricsSettings(options: { service: string; portEnv: string; defaultPort: number }) {
  return {
    metricsHost: stringSetting({
      env: 'METRICS_HOST',
      doc: 'Interface the metrics port of the dispatcher and downloader binds (127.0.0.1 to keep it local)',
      default: '0.0.0.0',
    }),
    metricsPort: integerSetting({
      env: options.portEnv,
      doc: `Port of the ${options.service}'s Prometheus endpoint, GET /metrics (0: any free port)`,
      default: options.defaultPort,
      min: 0,
      max: 65535,
    }),
  };
}
