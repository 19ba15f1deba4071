import type { BenchResults } from './bench-results.js';
import { TABLE_HEADER, formatNumber, tableRows } from './format.js';

/** The markdown summary written beside the JSON: the table, the checks, CPU per process, the charts. */
export function markdownSummary(results: BenchResults, charts: string[]): string {
  const out: string[] = [];
  out.push(`# Benchmarks of ${results.startedAt}`);
  out.push('');
  out.push(`Machine: ${results.machine.cpus} CPUs (${results.machine.cpuModel}), Node ${results.machine.node}, ${results.machine.kernel}.`);
  out.push(`Placement: ${results.placement}. Settings: ${JSON.stringify(results.settings)}. Took ${Math.round(results.tookSeconds)} s.`);
  out.push('');
  out.push('Each figure is the median of the repetitions (min-max in brackets), run alternately with its baseline after a warm-up; the ratio is of the medians.');
  out.push('');
  out.push(`| ${TABLE_HEADER.join(' | ')} |`);
  out.push(`|${TABLE_HEADER.map(() => '---').join('|')}|`);
  for (const row of tableRows(results.figures)) out.push(`| ${row.join(' | ')} |`);
  out.push('');
  const failed = results.checks.filter((c) => !c.ok);
  out.push(failed.length === 0 ? `Correctness: all ${results.checks.length} checks passed (2xx answers = records on Kafka, files archived whole).` : `**Correctness FAILED** in ${failed.length} of ${results.checks.length} checks:`);
  for (const c of failed) out.push(`- ${c.name}: ${c.detail}`);
  out.push('');
  out.push('## CPU seconds per process (median of the repetitions)');
  out.push('');
  out.push('| scenario | contender | CPU seconds by process |');
  out.push('|---|---|---|');
  for (const scenario of results.scenarios) {
    for (const [contender, reps] of Object.entries(scenario.cpu)) {
      const names = [...new Set(reps.flatMap((r) => Object.keys(r)))];
      const medians = names.map((n) => {
        const values = reps.map((r) => r[n] ?? 0).sort((a, b) => a - b);
        return `${n} ${formatNumber(values[Math.floor(values.length / 2)] ?? 0)}`;
      });
      out.push(`| ${scenario.name} | ${contender} | ${medians.join(', ')} |`);
    }
  }
  for (const [name, text] of Object.entries(results.notes)) {
    out.push('');
    out.push(`## ${name}`);
    out.push('');
    out.push(text);
  }
  if (charts.length > 0) {
    out.push('');
    out.push('## Charts');
    for (const chart of charts) out.push('', `![${chart}](${chart})`);
  }
  out.push('');
  return out.join('\n');
}
