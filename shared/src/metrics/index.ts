export { cached } from './cached.js';
export { createMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics-server.js';
export { minPendingHeadroomSeconds, type JobLister } from './pending-headroom.js';
export { JOB_STATES, registerQueueMetrics, type ObservedQueue, type QueueMetricsOptions } from './queue-metrics.js';
export { metricsSettings } from './metrics-settings.js';
export { providerRequestOutcome, registerProviderRequestMetrics } from './provider-request-metrics.js';
