import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DownloadError } from '../../../services/downloader/src/download/download-error.js';
import { s3ArchiveStore } from '../../../services/downloader/src/store/s3-archive-store.js';
import { ConditionalS3 } from '../../helpers/conditional-s3.js';
import { localS3 } from '../../helpers/local-s3.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Asserts that `put` fails for good as EXISTS_DIFFERENT, naming `location`. */
const refusedAsDifferent = (put: Promise<string>, location: string) =>
  assert.rejects(put, (error: unknown) => {
    assert.ok(error instanceof DownloadError, String(error));
    assert.equal(error.code, 'EXISTS_DIFFERENT', error.message);
    assert.equal(error.retriable, false);
    assert.ok(error.message.includes(location), error.message);
    return true;
  });

describe('S3 archive store: never over a different object', function () {
  this.timeout(120_000);
  let staging: string;

  beforeEach(async () => {
    staging = await mkdtemp(join(tmpdir(), 's3-store-'));
    await mkdir(join(staging, '.partial'), { recursive: true });
  });
  afterEach(() => rm(staging, { recursive: true, force: true }));

  /** A complete partial file of `bytes`, as fetchToFile leaves it, and what put() is told of it. */
  const partial = async (name: string, bytes: Buffer) => {
    const path = join(staging, '.partial', `${name}.part`);
    await writeFile(path, bytes);
    return { path, file: { bytes: bytes.length, sha256: sha256(bytes), contentType: 'text/csv' } };
  };
  const objectSha256 = async (client: S3Client, bucket: string, key: string) => {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return sha256(Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()));
  };

  describe('against S3Proxy (the local stack; it ignores If-None-Match, so the store looks first)', () => {
    let bucket: string;
    let store: ReturnType<typeof s3ArchiveStore>;

    beforeEach(async () => {
      bucket = await localS3.createBucket();
      store = s3ArchiveStore({ ...localS3, bucket, prefix: 'dyte/', credentials: localS3, forcePathStyle: true, partialDir: staging });
    });
    afterEach(() => store.client.destroy());

    for (const [shape, size] of [
      ['one PUT', 64 * 1024],
      ['a multipart upload', 17 * 1024 * 1024],
    ] as const) {
      it(`when a different file comes for a key that holds an object (${shape}), then it fails for good as EXISTS_DIFFERENT naming the location, and the object is untouched`, async () => {
        const first = await partial('a', randomBytes(size));
        const location = await store.put('o/m/s/chat.csv', first.path, first.file);
        assert.equal(location, `s3://${bucket}/dyte/o/m/s/chat.csv`);
        const head = await store.client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dyte/o/m/s/chat.csv' }));
        assert.equal(head.Metadata?.sha256, first.file.sha256, 'the SHA-256 is kept as x-amz-meta-sha256');
        const second = await partial('b', randomBytes(size));
        await refusedAsDifferent(store.put('o/m/s/chat.csv', second.path, second.file), location);
        assert.equal(await objectSha256(store.client, bucket, 'dyte/o/m/s/chat.csv'), first.file.sha256);
      });

      it(`when the same file comes again for its key (${shape}), then it counts as archived and its partial file is removed`, async () => {
        const bytes = randomBytes(size);
        const first = await partial('a', bytes);
        const location = await store.put('o/m/s/chat.csv', first.path, first.file);
        const again = await partial('a', bytes);
        assert.equal(await store.put('o/m/s/chat.csv', again.path, again.file), location);
        assert.ok(!existsSync(again.path));
      });
    }

    it('when an object stored without its SHA-256 metadata is there, then the same content counts as archived and other content of the same size is refused', async () => {
      const bytes = randomBytes(4096);
      await store.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'dyte/o/m/s/chat.csv', Body: bytes }));
      const same = await partial('a', bytes);
      assert.equal(await store.put('o/m/s/chat.csv', same.path, same.file), `s3://${bucket}/dyte/o/m/s/chat.csv`);
      const other = await partial('b', randomBytes(4096));
      await refusedAsDifferent(store.put('o/m/s/chat.csv', other.path, other.file), `s3://${bucket}/dyte/o/m/s/chat.csv`);
    });

    it('when an archived object is read back by its location, then its bytes come chunk by chunk, whole; a location of another bucket is refused', async () => {
      const bytes = randomBytes(17 * 1024 * 1024);
      const stored = await partial('c', bytes);
      const location = await store.put('o/m/s/chat.csv', stored.path, stored.file);
      const chunks: Buffer[] = [];
      for await (const chunk of store.read(location)) chunks.push(chunk);
      assert.ok(chunks.length > 1, 'streamed, not one buffer');
      assert.equal(sha256(Buffer.concat(chunks)), sha256(bytes));
      await assert.rejects(async () => {
        for await (const _chunk of store.read(`s3://another-bucket/dyte/o/m/s/chat.csv`)) break;
      }, /not in bucket/);
    });
  });

  describe('against an S3 API that honours If-None-Match (as AWS S3 does): an object appears between the look and the upload', () => {
    let s3: ConditionalS3;
    let store: ReturnType<typeof s3ArchiveStore>;

    beforeEach(async () => {
      s3 = await new ConditionalS3().start();
      store = s3ArchiveStore({ ...localS3, endpoint: s3.endpoint, bucket: 'b', prefix: '', credentials: localS3, forcePathStyle: true, partialDir: staging });
    });
    afterEach(async () => {
      store.client.destroy();
      await s3.close();
    });

    for (const [shape, size, write] of [
      ['one PUT', 64 * 1024, 'PUT'],
      ['a multipart upload', 17 * 1024 * 1024, 'POST'],
    ] as const) {
      it(`when the upload (${shape}) is refused with 412, then a different object is EXISTS_DIFFERENT and the same one counts as archived`, async () => {
        const other = randomBytes(size);
        s3.raceOnWrite('b/o/m/s/rec.mp4', other, { sha256: sha256(other) });
        const mine = await partial('a', randomBytes(size));
        await refusedAsDifferent(store.put('o/m/s/rec.mp4', mine.path, mine.file), 's3://b/o/m/s/rec.mp4');
        assert.equal(sha256(s3.object('b/o/m/s/rec.mp4')?.body ?? Buffer.alloc(0)), sha256(other), 'the object is untouched');
        // The request that makes the object appear carries the condition: the PUT, or the multipart completion.
        const writes = s3.requests.filter((r) => r.method === write && (write === 'PUT' ? !r.url.includes('uploadId') : r.url.includes('uploadId=')));
        assert.ok(writes.length === 1 && writes[0]?.ifNoneMatch === '*', JSON.stringify(s3.requests));

        const bytes = randomBytes(size);
        s3.raceOnWrite('b/o/m/s/same.mp4', bytes, { sha256: sha256(bytes) });
        const same = await partial('b', bytes);
        assert.equal(await store.put('o/m/s/same.mp4', same.path, same.file), 's3://b/o/m/s/same.mp4');
        assert.ok(!existsSync(same.path));
      });
    }
  });
});
