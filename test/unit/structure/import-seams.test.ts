import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { areaOf, sourceFiles, sourceImports, type SourceImport } from '../../../scripts/imports/source-imports.js';
import { repoRoot } from '../../helpers/service-configs.js';

// Everything that ships or runs outside the tests; test/ may reach into any file.
const CHECKED = ['services', 'shared', 'cli', 'bench', 'scripts'];
type RepoImport = SourceImport & { target: string };
// Packages and node: modules aside: only imports of the repository's own files.
const imports = sourceImports(repoRoot, CHECKED).filter((i): i is RepoImport => i.target !== undefined);
const isService = (area: string) => area.startsWith('services/');
const serviceIndex = (area: string) => `${area}/src/index.ts`;

/** The imports that break `rule`, each as `file:line imports 'specifier'`. */
function broken(rule: (i: RepoImport) => boolean): string[] {
  return imports.filter(rule).map((i) => `  ${i.file}:${i.line} imports '${i.specifier}'`);
}

describe('the seams between folders (who may import what)', () => {
  it('when cli/, bench/ or scripts/ use a service, then only through its src/index.ts', () => {
    const found = broken((i) => !isService(areaOf(i.file)) && isService(areaOf(i.target)) && i.target !== serviceIndex(areaOf(i.target)));
    assert.ok(found.length === 0, `import the step from the service's src/index.ts (export it there, with a one-line doc), or move it to shared/:\n${found.join('\n')}`);
  });

  it('when a service imports, then never from another service (a step two services need belongs in shared/)', () => {
    const found = broken((i) => isService(areaOf(i.file)) && isService(areaOf(i.target)) && areaOf(i.file) !== areaOf(i.target));
    assert.ok(found.length === 0, `services import only themselves and shared/:\n${found.join('\n')}`);
  });

  it('when shared/ imports, then nothing of the services, cli/, bench/, scripts/ or test/ (it is what they stand on)', () => {
    const found = broken((i) => areaOf(i.file) === 'shared' && areaOf(i.target) !== 'shared');
    assert.ok(found.length === 0, `shared/ imports only shared/:\n${found.join('\n')}`);
  });

  it('when code outside test/ imports, then nothing from test/ (what it needs at run time lives outside test/)', () => {
    const found = broken((i) => areaOf(i.target) === 'test');
    assert.ok(found.length === 0, `move what runs outside the tests out of test/ (as samples/, shared/src/signing/ and scripts/stand-ins/ were):\n${found.join('\n')}`);
  });

  it('when code outside test/ builds a path, then not into test/ (a file read at run time must not live there)', () => {
    // A `'test', '...'` path segment or a `'test/...'` literal: how a path into test/ is built in this codebase
    // (imports from test/ are the rule above).
    const intoTest = /['"`]test['"`]\s*,\s*['"`]|['"`]test\/[^'"`]/;
    const found = sourceFiles(repoRoot, CHECKED).flatMap((file) =>
      readFileSync(join(repoRoot, file), 'utf8')
        .split('\n')
        .flatMap((text, index) => (intoTest.test(text) && !/^\s*(\/\/|\/\*|\*)/.test(text) ? [`  ${file}:${index + 1}: ${text.trim()}`] : [])),
    );
    assert.ok(found.length === 0, `read samples from samples/, not test/:\n${found.join('\n')}`);
  });
});
