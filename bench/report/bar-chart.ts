import type { Figure } from '../harness/figure.js';
import { formatNumber } from './format.js';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A hand-written SVG bar chart of one figure: the subject's and the baseline's medians as bars, each repetition
 * as a dot on its bar (the spread), the ratio in the title.
 */
export function barChartSvg(figure: Figure): string {
  const width = 640;
  const height = 360;
  const left = 70;
  const top = 60;
  const plotHeight = 220;
  const bars = [
    { label: 'measured', summary: figure.subject, color: '#2f6fb0' },
    ...(figure.baseline ? [{ label: figure.baselineName, summary: figure.baseline, color: '#9a9a9a' }] : []),
  ];
  const max = Math.max(...bars.flatMap((b) => [b.summary.max, b.summary.median]).filter(Number.isFinite), 1e-9) * 1.1;
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const barWidth = 140;
  const gap = (width - left - 40 - bars.length * barWidth) / (bars.length + 1);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  const ratio = Number.isFinite(figure.ratio) ? ` - ratio ${(figure.ratio * 100).toFixed(1)}%` : '';
  parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(`${figure.scenario}: ${figure.name}`)}</text>`);
  parts.push(`<text x="${width / 2}" y="42" text-anchor="middle" fill="#444">${escape(`target: ${figure.target}${ratio}`)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    parts.push(`<line x1="${left}" x2="${width - 30}" y1="${y(value)}" y2="${y(value)}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${left - 6}" y="${y(value) + 4}" text-anchor="end" fill="#555">${formatNumber(value)}</text>`);
  }
  parts.push(`<text x="16" y="${top + plotHeight / 2}" transform="rotate(-90 16 ${top + plotHeight / 2})" text-anchor="middle" fill="#555">${escape(figure.unit)}</text>`);
  bars.forEach((bar, i) => {
    const x = left + gap + i * (barWidth + gap);
    const median = Number.isFinite(bar.summary.median) ? bar.summary.median : 0;
    parts.push(`<rect x="${x}" y="${y(median)}" width="${barWidth}" height="${top + plotHeight - y(median)}" fill="${bar.color}"/>`);
    parts.push(`<text x="${x + barWidth / 2}" y="${y(median) - 6}" text-anchor="middle" font-weight="bold">${formatNumber(median)}</text>`);
    bar.summary.values.forEach((value, j) => {
      const cx = x + 20 + (j * (barWidth - 40)) / Math.max(1, bar.summary.values.length - 1);
      parts.push(`<circle cx="${cx}" cy="${y(value)}" r="3.5" fill="#111" fill-opacity="0.7"/>`);
    });
    const label = bar.label.length > 34 ? `${bar.label.slice(0, 33)}...` : bar.label;
    parts.push(`<text x="${x + barWidth / 2}" y="${top + plotHeight + 18}" text-anchor="middle">${escape(label)}</text>`);
  });
  parts.push(`<text x="${width / 2}" y="${height - 14}" text-anchor="middle" fill="#777">bars: medians; dots: each repetition</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
