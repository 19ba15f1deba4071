import type { RunningService } from './spawn-service.js';

/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a scrape, with a way to pick them by name and labels. */
export interface Scrape {
  samples: Sample[];
  /** Samples named `name` whose labels include `labels`. */
  find(name: string, labels?: Record<string, string>): Sample[];
  /** The sum of those samples' values, or undefined when there is none. */
  sum(name: string, labels?: Record<string, string>): number | undefined;
}

/** Parses the Prometheus text format (comments skipped). */
export function parseMetrics(text: string): Scrape {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[label[1] as string] = label[2] as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  const find = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    samples,
    find,
    sum: (name, labels) => {
      const found = find(name, labels);
      return found.length === 0 ? undefined : found.reduce((total, s) => total + s.value, 0);
    },
  };
}

/** The metrics URL of a spawned service (ingress, dispatcher, downloader), from its "metrics listening" log line. */
export async function metricsUrlOf(service: RunningService): Promise<string> {
  const line = await service.waitForLog('metrics listening');
  return `http://127.0.0.1:${String(line.port)}/metrics`;
}

/** GETs a metrics URL and parses it; fails on a non-200 answer. */
export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${text}`);
  return parseMetrics(text);
}
