import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_FOLDERS } from '../../../cli/src/io/samples.js';
import { repoRoot } from '../../helpers/service-configs.js';

// docker build cannot run on the machines this is developed on, so the Dockerfile is checked as text.
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').split('\n');
const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim().replace(/^\/|\/$/g, ''))
  .filter((line) => line !== '' && !line.startsWith('#'));

describe('Dockerfile', () => {
  it('when the image is built, then it carries the sample webhooks the CLI sends, and .dockerignore keeps them', () => {
    const finalStage = dockerfile.slice(dockerfile.map((line) => line.startsWith('FROM ')).lastIndexOf(true));
    const copied = finalStage.filter((line) => /^COPY\s/.test(line) && !line.includes('--from')).map((line) => line.split(/\s+/)[1]);
    for (const folder of SAMPLE_FOLDERS) {
      const top = folder.split('/')[0] ?? folder;
      assert.ok(copied.includes(top), `the final stage copies ${top}/ (dyte-bridge send reads ${folder} at run time); it copies: ${copied.join(', ')}`);
      assert.ok(!ignored.includes(top) && !ignored.includes(folder), `.dockerignore leaves ${folder} in the build context`);
    }
  });

  it('when the image is built, then its runtime is a Node LTS line (even major, 22+) and it has a HEALTHCHECK running a script the final stage copies', () => {
    const froms = dockerfile.filter((line) => line.startsWith('FROM '));
    for (const from of froms) {
      const major = Number(/^FROM node:(\d+)/.exec(from)?.[1]);
      assert.ok(major >= 22 && major % 2 === 0, `${from}: an LTS line of Node (even major, 22 or later)`);
    }
    const finalStage = dockerfile.slice(dockerfile.map((line) => line.startsWith('FROM ')).lastIndexOf(true));
    const healthcheck = finalStage.find((line) => line.startsWith('HEALTHCHECK '));
    assert.ok(healthcheck, 'the final stage has a HEALTHCHECK');
    const script = /CMD \["node", "([^"]+)"/.exec(healthcheck)?.[1];
    const copy = finalStage.find((line) => /^COPY\s/.test(line) && line.trim().endsWith(`./${script}`));
    assert.ok(copy, `the final stage copies ${script}`);
    const source = copy.split(/\s+/)[1] ?? '';
    assert.ok(existsSync(join(repoRoot, source)), `${source} exists`);
    assert.ok(!ignored.some((entry) => source === entry || source.startsWith(`${entry}/`)), `.dockerignore leaves ${source} in the build context`);
  });
});
