import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';

/** One module specifier of a source file: who imports, what it wrote, and where that points in the repository. */
export interface SourceImport {
  /** The importing file, relative to the repository root, with `/` separators. */
  file: string;
  /** 1-based line of the specifier. */
  line: number;
  specifier: string;
  /** The imported file relative to the root (`.js` read as its `.ts` source); undefined for a package or `node:` module. */
  target: string | undefined;
}

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'results', '.stack']);
const SOURCE = /\.(ts|mts|cts)$/;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : filesUnder(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The TypeScript files under `folders` of `root`, relative to it, with `/` separators (builds and results left out). */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  return folders.flatMap((folder) => filesUnder(join(root, folder)).map((path) => relative(root, path).split('\\').join('/')));
}

/**
 * Every import, `export ... from`, `import()` and `require()` of the TypeScript files under `folders` of `root`,
 * read with TypeScript's own scanner (comments and strings that merely look like imports are not counted).
 */
export function sourceImports(root: string, folders: readonly string[]): SourceImport[] {
  return sourceFiles(root, folders).flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier, pos }) => ({
      file,
      line: text.slice(0, pos).split('\n').length,
      specifier,
      target: specifier.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts') : undefined,
    }));
  });
}

/** The top-level folder a path belongs to; each service is a folder of its own (`services/ingress`). */
export function areaOf(path: string): string {
  const [first, second] = path.split('/');
  return first === 'services' && second ? `services/${second}` : (first ?? path);
}
