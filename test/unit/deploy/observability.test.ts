import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram, type Registry } from 'prom-client';
import { parse } from 'yaml';
import { createLogger, type ObservedQueue } from '../../../shared/src/index.js';
import { createDispatcherMetrics } from '../../../services/dispatcher/src/metrics.js';
import { createDownloaderMetrics } from '../../../services/downloader/src/metrics.js';
import { createIngressMetrics } from '../../../services/ingress/src/metrics.js';
import { repoRoot, serviceConfigs } from '../../helpers/service-configs.js';

// The dashboard and the Prometheus config are checked against the metrics the services really register, built
// here without a server or a connection (queue and lag readers are only called at scrape time).

interface Panel {
  title: string;
  type: string;
  panels?: Panel[];
  targets?: { expr: string }[];
}

const logger = createLogger({ level: 'error', name: 'observability-test' });
const queue = (name: string) => ({ name }) as unknown as ObservedQueue;
const queues = { archive: queue('q'), parked: queue('q-parked') };
// Every service serves its metrics on a port of its own; the ingress's webhook port does not serve them.
const metricsPortEnv: Record<string, string> = { ingress: 'INGRESS_METRICS_PORT', dispatcher: 'DISPATCHER_METRICS_PORT', downloader: 'DOWNLOADER_METRICS_PORT' };
const registries: Record<string, Registry> = {
  ingress: createIngressMetrics(() => 0).registry,
  dispatcher: createDispatcherMetrics({ consumerLag: async () => [], queues, logger }).registry,
  downloader: createDownloaderMetrics({ queues, logger }).registry,
};

/** Every metric a service registers, with its label names and whether it is a histogram. */
const registered = new Map<string, { labels: Set<string>; histogram: boolean; services: string[] }>();
for (const [service, registry] of Object.entries(registries)) {
  for (const metric of registry.getMetricsAsArray()) {
    const known = registered.get(metric.name) ?? { labels: new Set((metric as unknown as { labelNames: string[] }).labelNames), histogram: metric instanceof Histogram, services: [] };
    known.services.push(service);
    registered.set(metric.name, known);
  }
}

const dashboard = JSON.parse(readFileSync(join(repoRoot, 'deploy/grafana/dashboards/dyte-bridge.json'), 'utf8')) as { uid: string; panels: Panel[] };
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const expressions = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: `panel ${panel.title}`, expr: target.expr })));
const alertRules = (
  parse(readFileSync(join(repoRoot, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }
).groups.flatMap((group) => group.rules);

// Series names the fleet exports: its own (dyte_) and prom-client's default process metrics.
const SERIES = /\b((?:dyte|process|nodejs)_[a-zA-Z0-9_]+)(\{[^}]*\})?/g;
// Labels Prometheus adds to every series it scrapes.
const TARGET_LABELS = new Set(['job', 'instance']);

/** The registered metric a series name belongs to (a histogram's _bucket, _sum and _count series are its own). */
function metricOf(series: string): string | undefined {
  if (registered.has(series)) return series;
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return registered.get(base)?.histogram ? base : undefined;
}

describe('observability: Prometheus config and Grafana dashboard', () => {
  it('when the dashboard is read, then it parses, has panels, and every panel queries something', () => {
    assert.equal(dashboard.uid, 'dyte-bridge');
    const charts = panels.filter((panel) => panel.type !== 'row');
    assert.ok(charts.length >= 10, `${charts.length} panels`);
    for (const panel of charts) assert.ok((panel.targets ?? []).length > 0, `panel "${panel.title}" has a query`);
  });

  it('when the PromQL of its panels and of the alert rules is read, then every metric it uses is registered by a service, with the labels it filters on', () => {
    let seen = 0;
    assert.ok(alertRules.length > 0, 'alerts.yml has rules');
    for (const { panel, expr } of [...expressions, ...alertRules.map((rule) => ({ panel: `alert ${rule.alert}`, expr: rule.expr }))]) {
      for (const [, series, selector] of expr.matchAll(SERIES)) {
        seen++;
        const metric = metricOf(series as string);
        assert.ok(metric, `"${panel}" uses ${series}, which no service registers`);
        const labels = registered.get(metric)?.labels ?? new Set();
        for (const [, label] of (selector ?? '').matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) {
          const allowed = labels.has(label as string) || TARGET_LABELS.has(label as string) || (label === 'le' && series !== metric);
          assert.ok(allowed, `"${panel}" filters ${series} on "${label}", which ${metric} does not have`);
        }
      }
      for (const [, labelList] of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        for (const label of (labelList as string).split(',').map((l) => l.trim())) {
          const somewhere = label === 'le' || TARGET_LABELS.has(label) || [...registered.values()].some((m) => m.labels.has(label));
          assert.ok(somewhere, `"${panel}" groups by "${label}", which no metric has`);
        }
      }
    }
    assert.ok(seen > 20, `${seen} metric references found`);
  });

  it('when compared with the services, then every dyte_ metric they register has a panel', () => {
    const used = new Set(expressions.flatMap(({ expr }) => [...expr.matchAll(SERIES)].map(([, series]) => metricOf(series as string))));
    const missing = [...registered.keys()].filter((name) => name.startsWith('dyte_') && !used.has(name));
    assert.deepEqual(missing, [], 'metrics without a panel');
  });

  it('when it is read, then the share archived before expiry and rejected webhooks by reason are on it', () => {
    const all = expressions.map(({ expr }) => expr.replace(/\s+/g, ' '));
    assert.ok(all.some((e) => /dyte_downloader_archived_before_expiry_total.*\/.*dyte_downloader_archived_total.*dyte_downloader_failed_total/.test(e)));
    assert.ok(all.some((e) => /sum by \(outcome\) \(rate\(dyte_ingress_webhooks_total\{outcome!~"accepted_\.\*"\}/.test(e)));
  });

  it('when prometheus.yml is read, then it scrapes each service of the fleet by its compose name on its default metrics port', () => {
    const config = parse(readFileSync(join(repoRoot, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; dns_sd_configs: { names: string[]; type: string; port: number }[] }[];
    };
    const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, unknown> }>;
    };
    for (const { name, configSchema } of serviceConfigs().filter(({ name }) => name in registries)) {
      const job = config.scrape_configs.find((c) => c.job_name === name);
      assert.ok(job, `a scrape job for ${name}`);
      const sd = job.dns_sd_configs?.[0];
      assert.deepEqual(sd?.names, [name], `${name} is found by its compose service name, every replica`);
      assert.equal(sd?.type, 'A');
      const setting = Object.values(configSchema).find((s) => s.env === metricsPortEnv[name]);
      assert.equal(sd?.port, setting?.default, `${name} is scraped on its default ${metricsPortEnv[name]}`);
      assert.equal(Number(compose.services[name]?.environment?.[metricsPortEnv[name] as string] ?? sd?.port), sd?.port, `compose runs ${name} on that port`);
      assert.equal(compose.services[name]?.environment?.METRICS_HOST, '0.0.0.0', `compose binds ${name}'s metrics port where Prometheus can reach it`);
    }
  });

  it('when prometheus-local.yml is read, then it scrapes each service of the fleet on this host on its default metrics port', () => {
    const config = parse(readFileSync(join(repoRoot, 'deploy/prometheus/prometheus-local.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    for (const { name, configSchema } of serviceConfigs().filter(({ name }) => name in registries)) {
      const job = config.scrape_configs.find((c) => c.job_name === name);
      assert.ok(job, `a scrape job for ${name}`);
      const setting = Object.values(configSchema).find((s) => s.env === metricsPortEnv[name]);
      assert.deepEqual(job.static_configs?.[0]?.targets, [`127.0.0.1:${String(setting?.default)}`], `${name} is scraped on its default ${metricsPortEnv[name]}`);
    }
  });

  it('when docker-compose.yml is read, then Prometheus and Grafana mount files that exist', () => {
    const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { volumes?: string[] }> };
    for (const name of ['prometheus', 'grafana']) {
      const mounts = (compose.services[name]?.volumes ?? []).filter((v) => v.startsWith('./'));
      assert.ok(mounts.length > 0, `${name} mounts its configuration`);
      for (const mount of mounts) assert.ok(existsSync(join(repoRoot, mount.split(':')[0] as string)), `${mount} exists`);
    }
    for (const file of ['deploy/grafana/provisioning/datasources/prometheus.yml', 'deploy/grafana/provisioning/dashboards/dyte-bridge.yml']) {
      assert.doesNotThrow(() => parse(readFileSync(join(repoRoot, file), 'utf8')), file);
    }
  });
});
