import { integerSetting, stringSetting } from '../config/index.js';

/**
 * The settings of a service's own metrics port: `METRICS_HOST`, shared, and a port variable per service, so that
 * every service of the fleet can run on one host with its default.
 */
export function metricsSettings(options: { service: string; portEnv: string; defaultPort: number }) {
  return {
    // Loopback by default: metrics are for a scraper the operator places, never for the public; compose sets 0.0.0.0.
    metricsHost: stringSetting({
      env: 'METRICS_HOST',
      doc: 'Interface the metrics port of each service (ingress, dispatcher, downloader) binds; 0.0.0.0 for a scraper on another host',
      default: '127.0.0.1',
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
