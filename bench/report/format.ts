import type { Figure } from '../harness/figure.js';

/** A figure's number as people read it: 3 significant digits, no exponent. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toString();
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** "median unit (min-max)" */
export function formatSummary(figure: Figure, which: 'subject' | 'baseline'): string {
  const summary = figure[which];
  if (!summary) return '-';
  return `${formatNumber(summary.median)} ${figure.unit} (${formatNumber(summary.min)}-${formatNumber(summary.max)})`;
}

/** The ratio as a percentage. */
export function formatRatio(figure: Figure): string {
  return Number.isFinite(figure.ratio) ? `${(figure.ratio * 100).toFixed(1)}%` : '-';
}

/** met / MISSED / - */
export function formatMet(figure: Figure): string {
  return figure.met === null ? '-' : figure.met ? 'met' : 'MISSED';
}

/** The rows of the final table: figure, subject, baseline, ratio, target, met. */
export function tableRows(figures: Figure[]): string[][] {
  return figures.map((f) => [
    `${f.scenario}: ${f.name}`,
    formatSummary(f, 'subject'),
    f.baseline ? `${formatSummary(f, 'baseline')} ${f.baselineName}` : f.baselineName,
    formatRatio(f),
    f.target,
    formatMet(f),
  ]);
}

export const TABLE_HEADER = ['figure', 'measured (median, min-max)', 'baseline (median, min-max)', 'ratio', 'target', 'met'];
