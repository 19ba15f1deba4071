import type { Check, Figure } from '../harness/figure.js';
import { TABLE_HEADER, tableRows } from './format.js';

/** The final table for the terminal: every figure with its baseline and ratio, then the checks that failed. */
export function printTable(figures: Figure[], checks: Check[]): string {
  const rows = [TABLE_HEADER, ...tableRows(figures)];
  const widths = TABLE_HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ');
  const out = [line(rows[0] as string[]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)];
  const failed = checks.filter((c) => !c.ok);
  out.push('');
  out.push(failed.length === 0 ? `correctness: all ${checks.length} checks passed` : `CORRECTNESS FAILED (${failed.length} of ${checks.length}):`);
  for (const c of failed) out.push(`  ${c.name}: ${c.detail}`);
  return out.join('\n');
}
