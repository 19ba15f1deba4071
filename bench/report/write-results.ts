import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { barChartSvg } from './bar-chart.js';
import type { BenchResults } from './bench-results.js';
import { markdownSummary } from './markdown-summary.js';

/** Writes <dir>/<stamp>.json, <stamp>.md and one PNG chart per figure; returns the paths written. */
export function writeResults(dir: string, stamp: string, results: BenchResults): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const charts: string[] = [];
  results.figures.forEach((figure, i) => {
    const slug = `${figure.scenario}-${figure.name}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const file = `${stamp}-${String(i + 1).padStart(2, '0')}-${slug}.png`;
    const png = new Resvg(barChartSvg(figure), { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
    writeFileSync(join(dir, file), png);
    charts.push(file);
    written.push(join(dir, file));
  });
  writeFileSync(join(dir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, `${stamp}.md`), markdownSummary(results, charts));
  written.unshift(join(dir, `${stamp}.json`), join(dir, `${stamp}.md`));
  return written;
}
