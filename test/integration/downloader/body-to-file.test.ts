import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { bodyToFile, WRITE_BATCH_BYTES } from '../../../services/downloader/src/download/body-to-file.js';

describe('downloader: a body written to its file in batches (on disk)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'body-to-file-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Chunks of uneven sizes (as socket reads come), spanning several batches and ending in a partial one.
  const chunksOf = (body: Buffer) => {
    const chunks: Buffer[] = [];
    for (let at = 0, size = 1; at < body.length; at += size, size = (size * 7 + 4093) % 70_000 || 1) chunks.push(body.subarray(at, at + size));
    return chunks;
  };

  it('when a body spans several batches, then the file holds exactly its bytes, in order, and every chunk was taken first', async () => {
    const body = randomBytes(3 * WRITE_BATCH_BYTES + 12_345);
    const path = join(dir, 'a.part');
    let taken = 0;
    await bodyToFile(Readable.from(chunksOf(body)), path, false, (chunk) => (taken += chunk.length));
    assert.equal(taken, body.length);
    assert.ok((await readFile(path)).equals(body), 'the file is the body');
  });

  it('when appending, then the body goes after the bytes already there', async () => {
    const path = join(dir, 'b.part');
    await writeFile(path, 'kept-');
    await bodyToFile(Readable.from([Buffer.from('rest')]), path, true, () => undefined);
    assert.equal(await readFile(path, 'utf8'), 'kept-rest');
  });

  it('when taking a chunk throws mid-body, then that error ends it, the body is destroyed and the file holds a prefix of the body', async () => {
    const body = randomBytes(4 * WRITE_BATCH_BYTES);
    const path = join(dir, 'c.part');
    const source = Readable.from(chunksOf(body));
    let taken = 0;
    await assert.rejects(
      bodyToFile(source, path, false, (chunk) => {
        taken += chunk.length;
        if (taken > 2.5 * WRITE_BATCH_BYTES) throw new Error('over the limit');
      }),
      /over the limit/,
    );
    assert.ok(source.destroyed, 'the body is not read on');
    const kept = await readFile(path);
    assert.ok(kept.length >= WRITE_BATCH_BYTES && kept.length < taken, `kept ${kept.length} of ${taken} bytes taken`);
    assert.ok(kept.equals(body.subarray(0, kept.length)), 'what is kept is the start of the body');
  });

  it('when the body breaks off with an error, then it is rethrown and the file holds a prefix of the body', async () => {
    const body = randomBytes(2 * WRITE_BATCH_BYTES);
    const path = join(dir, 'd.part');
    const source = new PassThrough();
    const done = bodyToFile(source, path, false, () => undefined);
    source.write(body.subarray(0, WRITE_BATCH_BYTES + 10));
    setImmediate(() => source.destroy(new Error('connection reset')));
    await assert.rejects(done, /connection reset/);
    const kept = await readFile(path);
    assert.ok(kept.equals(body.subarray(0, kept.length)), `kept ${kept.length} bytes, the start of the body`);
  });

  it('when the body was destroyed before it was read, then it fails at once as a premature close', async () => {
    const source = new PassThrough();
    source.destroy();
    await assert.rejects(bodyToFile(source, join(dir, 'e.part'), false, () => undefined), /premature close/i);
  });
});
