// Prints which top-level folders import which, as markdown: `make import-graph`, or
// `npx tsx scripts/imports/import-graph.ts [ROOT]` for another tree (e.g. a `git archive` export of main).
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { areaOf, sourceImports, type SourceImport } from './source-imports.js';

const FOLDERS = ['services', 'shared', 'cli', 'bench', 'scripts', 'test'];

/** The folders of the graph: one per service, then the others, in reading order. */
function areas(root: string): string[] {
  const services = existsSync(join(root, 'services')) ? readdirSync(join(root, 'services')).sort().map((name) => `services/${name}`) : [];
  return [...services, ...FOLDERS.filter((folder) => folder !== 'services')];
}

function count<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** The markdown: a matrix of import counts between folders, then every file imported from another folder (test/ aside). */
export function importGraph(root: string): string {
  const crossing = sourceImports(root, FOLDERS).filter(
    (i): i is SourceImport & { target: string } => i.target !== undefined && areaOf(i.file) !== areaOf(i.target),
  );
  const columns = areas(root);
  const edges = count(crossing, (i) => `${areaOf(i.file)} -> ${areaOf(i.target)}`);
  const matrix = [
    `| importer \\ imported | ${columns.join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...columns.map((from) => `| ${from} | ${columns.map((to) => (from === to ? '·' : String(edges.get(`${from} -> ${to}`) ?? ''))).join(' | ')} |`),
  ];
  const seams = [...count(crossing.filter((i) => areaOf(i.file) !== 'test'), (i) => `${areaOf(i.file)} | ${i.target}`)].sort(([a], [b]) => a.localeCompare(b));
  return [
    'Import specifiers from one folder into another (rows import columns; `·` is the folder itself):',
    '',
    ...matrix,
    '',
    'Files imported from another folder, by importer (test/ left out: tests may reach any file):',
    '',
    '| importer | imported file | imports |',
    '|---|---|---:|',
    ...seams.map(([edge, n]) => `| ${edge} | ${n} |`),
  ].join('\n');
}

if (require.main === module) {
  console.log(importGraph(resolve(process.argv[2] ?? join(__dirname, '..', '..'))));
}
