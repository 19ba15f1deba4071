import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DownloadError } from '../../../services/downloader/src/download/download-error.js';
import type { ArchiveStore } from '../../../services/downloader/src/store/archive-store.js';
import { localArchiveStore } from '../../../services/downloader/src/store/local-archive-store.js';

describe('local archive store: never over a different file', () => {
  let root: string;
  let store: ArchiveStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-store-'));
    store = localArchiveStore(root);
    await mkdir(store.partialDir, { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** A complete partial file with `content`, as fetchToFile leaves it, and what put() is told of it. */
  const partial = async (name: string, content: string) => {
    const path = join(store.partialDir, `${name}.part`);
    await writeFile(path, content);
    return { path, file: { bytes: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex'), contentType: 'text/csv' } };
  };

  it('when a file is stored, then it appears whole under its key and the partial file is gone', async () => {
    const first = await partial('chat.s1', 'a,b\n1,2\n');
    const location = await store.put('o/m/s1/chat.csv', first.path, first.file);
    assert.equal(location, `file://${join(root, 'o/m/s1/chat.csv')}`);
    assert.equal(await readFile(fileURLToPath(location), 'utf8'), 'a,b\n1,2\n');
    assert.ok(!existsSync(first.path), 'the partial file is removed');
  });

  it('when an archived file is read back by its location, then its bytes come whole; a location outside the archive is refused', async () => {
    const first = await partial('chat.s2', 'id,payload\n1,hello\n'.repeat(10_000));
    const location = await store.put('o/m/s2/chat.csv', first.path, first.file);
    const chunks: Buffer[] = [];
    for await (const chunk of store.read(location)) chunks.push(chunk as Buffer);
    assert.ok(chunks.length > 1, 'streamed, not one buffer');
    assert.equal(createHash('sha256').update(Buffer.concat(chunks)).digest('hex'), first.file.sha256);
    assert.throws(() => store.read('file:///etc/passwd'), /not in the archive folder/);
  });

  it('when a different file of the same size comes for a key that holds one, then it fails for good as EXISTS_DIFFERENT naming the location, and the first file is untouched', async () => {
    const first = await partial('chat.a', 'first file');
    const location = await store.put('o/m/s/chat.csv', first.path, first.file);
    const second = await partial('chat.b', 'other file');
    await assert.rejects(store.put('o/m/s/chat.csv', second.path, second.file), (error: unknown) => {
      assert.ok(error instanceof DownloadError, String(error));
      assert.equal(error.code, 'EXISTS_DIFFERENT');
      assert.equal(error.retriable, false);
      assert.ok(error.message.includes(location), error.message);
      assert.ok(error.message.includes(first.file.sha256) && error.message.includes(second.file.sha256), error.message);
      return true;
    });
    assert.equal(await readFile(fileURLToPath(location), 'utf8'), 'first file');
  });

  it('when a file of another size comes for a key that holds one, then it fails as EXISTS_DIFFERENT without reading the first', async () => {
    const first = await partial('chat.a', 'first');
    const location = await store.put('o/m/s/chat.csv', first.path, first.file);
    const second = await partial('chat.b', 'a longer second file');
    await assert.rejects(store.put('o/m/s/chat.csv', second.path, second.file), (error: unknown) => {
      assert.ok(error instanceof DownloadError && error.code === 'EXISTS_DIFFERENT', String(error));
      assert.match(error.message, /already holds a different file \(5 bytes, sha256 not computed\)/);
      return true;
    });
    assert.equal(await readFile(fileURLToPath(location), 'utf8'), 'first');
  });

  it('when the same content is stored again under its key (a retry after a crash between storing and reporting), then it counts as archived', async () => {
    const first = await partial('chat.s', 'same bytes');
    const location = await store.put('o/m/s/chat.csv', first.path, first.file);
    const again = await partial('chat.s', 'same bytes');
    assert.equal(await store.put('o/m/s/chat.csv', again.path, again.file), location);
    assert.ok(!existsSync(again.path), 'the partial file is removed');
    assert.equal(await readFile(fileURLToPath(location), 'utf8'), 'same bytes');
  });

  it('when a crash came after the file was linked and before its partial file was removed, then the retry stores it without reading it again', async () => {
    const first = await partial('chat.s', 'linked already');
    await mkdir(join(root, 'o/m/s'), { recursive: true });
    await link(first.path, join(root, 'o/m/s/chat.csv'));
    // The SHA-256 given is not the content's: the same inode is enough, so nothing is hashed.
    assert.equal(await store.put('o/m/s/chat.csv', first.path, { ...first.file, sha256: '0'.repeat(64) }), `file://${join(root, 'o/m/s/chat.csv')}`);
    assert.ok(!existsSync(first.path));
  });
});
