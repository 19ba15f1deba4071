import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { partialFile } from '../../../services/downloader/src/download/partial-file.js';

describe('partial files of downloads (on disk)', () => {
  let dir: string;
  const fetched = { bytes: 5, sha256: 'ab', contentType: 'text/csv', resumedFrom: 2, finalPath: '/chat.csv' };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'partial-file-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('when job ids are safe or not, then each names its own .part file in the partial folder', () => {
    assert.equal(partialFile(dir, 'chat.s-1').path, join(dir, 'chat.s-1.part'));
    const odd = basename(partialFile(dir, 'chat.a b').path);
    assert.match(odd, /^chat\.a_b~[0-9a-f]{12}\.part$/);
    assert.notEqual(odd, basename(partialFile(dir, 'chat.a_b').path));
  });

  it('when nothing was fetched yet, then there is no state to resume', async () => {
    assert.equal(await partialFile(dir, 'j').resumeState(), undefined);
  });

  it('when an attempt kept bytes and a validator, then the next one resumes from those bytes with that validator', async () => {
    const partial = partialFile(dir, 'j');
    await writeFile(partial.path, 'abc');
    await partial.saveValidator('"etag-1"');
    assert.deepEqual(await partial.resumeState(), { validator: '"etag-1"', bytes: 3 });
  });

  it('when the server gave no validator, then the kept bytes are not resumed', async () => {
    const partial = partialFile(dir, 'j');
    await writeFile(partial.path, 'abc');
    await partial.saveValidator('"etag-1"');
    await partial.saveValidator(undefined);
    assert.equal(await partial.resumeState(), undefined);
  });

  it('when the meta file does not parse, then the data and the meta are discarded, never an error', async () => {
    const partial = partialFile(dir, 'j');
    await writeFile(partial.path, 'abc');
    await partial.saveValidator('"etag-1"');
    const [meta] = (await readdir(dir)).filter((name) => name !== basename(partial.path));
    await writeFile(join(dir, meta!), '{"valid');
    assert.equal(await partial.resumeState(), undefined);
    assert.deepEqual(await readdir(dir), []);
  });

  it('when a file was marked complete, then the next attempt gets it whole; if its size changed since, it is not trusted', async () => {
    const partial = partialFile(dir, 'j');
    await writeFile(partial.path, 'abcde');
    await partial.markComplete(fetched);
    assert.deepEqual(await partial.resumeState(), { complete: { ...fetched, resumedFrom: 5 }, bytes: 5 });
    await writeFile(partial.path, 'abcdef');
    assert.equal(await partial.resumeState(), undefined);
  });

  it('when discarded, then neither the data nor the meta file is left', async () => {
    const partial = partialFile(dir, 'j');
    await writeFile(partial.path, 'abcde');
    await partial.markComplete(fetched);
    await partial.discard();
    assert.ok(!existsSync(partial.path));
    assert.deepEqual(await readdir(dir), []);
    await partial.discard();
  });
});
