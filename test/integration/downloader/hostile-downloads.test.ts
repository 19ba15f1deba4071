import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UnrecoverableError, type Job } from 'bullmq';
import { createLogger, type ArchiveJobData, type ArtifactFailed } from '../../../shared/src/index.js';
import { DownloadError } from '../../../services/downloader/src/download/download-error.js';
import { fetchToFile, type FetchOptions } from '../../../services/downloader/src/download/fetch-to-file.js';
import { partialFile } from '../../../services/downloader/src/download/partial-file.js';
import { processArchiveJob, type ProcessorDeps } from '../../../services/downloader/src/process-archive-job.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('downloader: hostile artifact servers', function () {
  this.timeout(60_000);
  let server: Server;
  let origin: string;
  let dir: string;
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
  /** What the server wrote for each endless answer, and whether the client has closed its connection. */
  const served = new Map<string, { written: number; closed: boolean }>();
  // Writes `res` an endless body (as fast as the client reads), counting the bytes written.
  const endless = (path: string, res: import('node:http').ServerResponse) => {
    const seen = { written: 0, closed: false };
    served.set(path, seen);
    const chunk = Buffer.alloc(64 * 1024, 3);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) seen.written += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    res.on('close', () => {
      seen.closed = true;
      res.removeAllListeners('drain');
    });
    pump();
  };
  // Trickles one byte every 300 ms: never idle long enough for the idle timeout.
  const trickle = (res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-length': 1000 });
    const timer = setInterval(() => res.write('t'), 300);
    res.on('close', () => clearInterval(timer));
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hostile-'));
    server = createServer((req, res) => {
      const path = req.url ?? '';
      if (path === '/endless-404') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        endless(path, res);
      } else if (path === '/endless-302') {
        res.writeHead(302, { location: '/small' });
        endless(path, res);
      } else if (path === '/endless-too-large') {
        res.writeHead(200, { 'content-length': 1024 ** 4 });
        endless(path, res);
      } else if (path === '/small') {
        res.writeHead(200, { 'content-length': 2 }).end('ok');
      } else if (path === '/bad-location') {
        res.writeHead(302, { location: 'http://[::1' }).end();
      } else if (path === '/trickle') {
        trickle(res);
      } else if (path.startsWith('/slow-hop')) {
        // Each redirect takes 400 ms: well within the idle timeout, but five of them pass a 1 s deadline.
        setTimeout(() => res.writeHead(302, { location: `/slow-hop${Number(path.slice(9) || 0) + 1}` }).end(), 400);
      } else if (path === '/endless') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        const pump = () => {
          while (res.write(chunk)) if (res.destroyed) return;
          if (!res.destroyed) res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
      } else if (path === '/lying-length') {
        res.writeHead(200, { 'content-length': 10_000 });
        res.write(Buffer.alloc(4000, 2));
        setTimeout(() => res.socket?.destroy(), 50);
      } else if (path === '/bomb') {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length, 'content-type': 'text/csv' });
        res.end(bomb);
      } else if (path.startsWith('/loop')) {
        res.writeHead(302, { location: `/loop${Number(path.slice(5) || 0) + 1}` }).end();
      } else if (path === '/drip') {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('a');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const options = (overrides: Partial<FetchOptions> = {}): FetchOptions => ({
    policy: { allowedHosts: ['127.0.0.1', 'localhost'], allowHttp: true, allowedAddresses: ['127.0.0.1'], allowedPorts: [Number(new URL(origin).port)] },
    maxBytes: 5 * 1024 * 1024,
    connectTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    progressIntervalMs: 60_000,
    deadline: { at: Date.now() + 60_000, bound: 'timeout' },
    minRate: { bytesPerSecond: 0, windowMs: 1000 },
    logger: createLogger({ level: 'error', name: 'test' }),
    ...overrides,
  });
  const refused = async (promise: Promise<unknown>, reason: string, text: RegExp) =>
    assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof DownloadError, String(error));
      assert.equal(error.code, reason, error.message);
      assert.match(error.message, text);
      return true;
    });

  it('when a host name resolves to 127.0.0.1 and that address is not allowed, then it is refused before connecting', async () => {
    const { port } = new URL(origin);
    const policy = { allowedHosts: ['localhost'], allowHttp: true, allowedAddresses: [], allowedPorts: [Number(port)] };
    await refused(fetchToFile(`http://localhost:${port}/x`, partialFile(dir, 'a'), options({ policy })), 'NOT_ALLOWED', /is loopback, not a public unicast address/);
  });

  it('when the body never ends, then the download stops at DOWNLOAD_MAX_BYTES as TOO_LARGE', async () => {
    await refused(fetchToFile(`${origin}/endless`, partialFile(dir, 'b'), options()), 'TOO_LARGE', /DOWNLOAD_MAX_BYTES/);
  });

  it('when Content-Length lies (fewer bytes arrive), then the download fails as retriable, never as a complete file', async () => {
    await assert.rejects(fetchToFile(`${origin}/lying-length`, partialFile(dir, 'c'), options()), (error: unknown) => {
      assert.ok(error instanceof DownloadError && error.retriable, String(error));
      assert.match(error.code, /NETWORK|SIZE_MISMATCH/);
      return true;
    });
  });

  it('when the server sends a compression bomb, then the bytes are stored as served, never inflated', async () => {
    const partial = partialFile(dir, 'd');
    const fetched = await fetchToFile(`${origin}/bomb`, partial, options());
    assert.equal(fetched.bytes, bomb.length);
    assert.equal((await stat(partial.path)).size, bomb.length, `stored ${bomb.length} bytes, not 50 MB`);
    assert.deepEqual(await readFile(partial.path), bomb);
  });

  it('when redirects never end, then the download is refused after five', async () => {
    await refused(fetchToFile(`${origin}/loop0`, partialFile(dir, 'e'), options()), 'NOT_ALLOWED', /more than 5 redirects/);
  });

  it('when the server stops sending mid-body, then the idle timeout cuts it as a retriable TIMEOUT', async () => {
    await assert.rejects(fetchToFile(`${origin}/drip`, partialFile(dir, 'g'), options({ idleTimeoutMs: 500 })), (error: unknown) => {
      assert.ok(error instanceof DownloadError && error.retriable, String(error));
      assert.match(error.code, /TIMEOUT|NETWORK/);
      return true;
    });
  });

  describe('answers it does not keep', () => {
    const closedQuickly = async (path: string) => {
      const seen = await waitFor(() => served.get(path)?.closed && served.get(path), {
        timeoutMs: 3000,
        description: `the server to see the connection of ${path} closed`,
      });
      assert.ok(seen.written < 8 * 1024 * 1024, `the server wrote only ${seen.written} bytes of ${path} before the connection closed`);
    };

    it('when a 404 has an endless body, then the job fails and the connection is closed at once, never read on', async () => {
      await refused(fetchToFile(`${origin}/endless-404`, partialFile(dir, 'h'), options()), 'HTTP_404', /answered 404/);
      await closedQuickly('/endless-404');
    });

    it('when a redirect has an endless body, then it is followed and its own connection is closed at once', async () => {
      const fetched = await fetchToFile(`${origin}/endless-302`, partialFile(dir, 'i'), options());
      assert.equal(fetched.bytes, 2);
      await closedQuickly('/endless-302');
    });

    it('when Content-Length is over DOWNLOAD_MAX_BYTES and the body is endless, then TOO_LARGE and the connection is closed at once', async () => {
      await refused(fetchToFile(`${origin}/endless-too-large`, partialFile(dir, 'j'), options()), 'TOO_LARGE', /over DOWNLOAD_MAX_BYTES/);
      await closedQuickly('/endless-too-large');
    });
  });

  describe('deadlines and the minimum rate', () => {
    it('when the deadline passes after the answer came and before its body is read, then the attempt is cut at the deadline, never left hanging', async function () {
      // Found by the custody chaos suite: a link that expired while the validator was being saved left the answer
      // destroyed before the body was piped, and the attempt waited forever (no timer left to end it).
      this.timeout(5000);
      const partial = partialFile(dir, 'late-cut');
      const slowToSave = { ...partial, path: partial.path, saveValidator: async (validator: string | undefined) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await partial.saveValidator(validator);
      } };
      const started = Date.now();
      await assert.rejects(
        fetchToFile(`${origin}/small`, slowToSave, options({ deadline: { at: Date.now() + 150, bound: 'expiry', refreshable: true } })),
        (error: unknown) => {
          assert.ok(error instanceof DownloadError, String(error));
          assert.equal(error.code, 'EXPIRED', error.message);
          assert.ok(error.retriable, 'a fresh link goes on from there');
          return true;
        },
      );
      assert.ok(Date.now() - started < 2000, `cut after ${Date.now() - started} ms`);
    });

    it('when a server trickles a byte every 300 ms, then the minimum rate cuts it as a retriable TOO_SLOW', async function () {
      this.timeout(10_000);
      const started = Date.now();
      await assert.rejects(
        fetchToFile(`${origin}/trickle`, partialFile(dir, 'k'), options({ minRate: { bytesPerSecond: 100, windowMs: 1000 } })),
        (error: unknown) => {
          assert.ok(error instanceof DownloadError, String(error));
          assert.equal(error.code, 'TOO_SLOW', error.message);
          assert.ok(error.retriable);
          assert.match(error.message, /DOWNLOAD_MIN_BYTES_PER_SECOND \(100\)/);
          return true;
        },
      );
      assert.ok(Date.now() - started < 4000, `cut after ${Date.now() - started} ms`);
    });

    it('when the total timeout passes during the body, then the download is cut as a retriable DEADLINE naming DOWNLOAD_TOTAL_TIMEOUT_MS', async function () {
      this.timeout(10_000);
      const started = Date.now();
      await assert.rejects(
        fetchToFile(`${origin}/trickle`, partialFile(dir, 'l'), options({ deadline: { at: Date.now() + 1000, bound: 'timeout' } })),
        (error: unknown) => {
          assert.ok(error instanceof DownloadError, String(error));
          assert.equal(error.code, 'DEADLINE', error.message);
          assert.ok(error.retriable);
          assert.match(error.message, /DOWNLOAD_TOTAL_TIMEOUT_MS/);
          return true;
        },
      );
      assert.ok(Date.now() - started < 3000, `cut after ${Date.now() - started} ms`);
    });

    it('when the deadline passes during redirects, then the whole attempt is cut, not each hop', async function () {
      this.timeout(10_000);
      await refused(
        fetchToFile(`${origin}/slow-hop0`, partialFile(dir, 'm'), options({ deadline: { at: Date.now() + 1000, bound: 'timeout' } })),
        'DEADLINE',
        /DOWNLOAD_TOTAL_TIMEOUT_MS/,
      );
    });

    it("when the deadline is the link's expiry, then the download is cut there as a final EXPIRED", async function () {
      this.timeout(10_000);
      await assert.rejects(
        fetchToFile(`${origin}/trickle`, partialFile(dir, 'n'), options({ deadline: { at: Date.now() + 1000, bound: 'expiry' } })),
        (error: unknown) => {
          assert.ok(error instanceof DownloadError, String(error));
          assert.equal(error.code, 'EXPIRED', error.message);
          assert.equal(error.retriable, false);
          return true;
        },
      );
    });
  });

  describe('links and redirects that are not URLs', () => {
    it('when a redirect Location does not parse, then it is a final NOT_ALLOWED naming the Location', async () => {
      await assert.rejects(fetchToFile(`${origin}/bad-location`, partialFile(dir, 'o'), options()), (error: unknown) => {
        assert.ok(error instanceof DownloadError, String(error));
        assert.equal(error.code, 'NOT_ALLOWED', error.message);
        assert.equal(error.retriable, false);
        assert.match(error.message, /Location "http:\/\/\[::1"/);
        return true;
      });
    });

    it("when the job's link does not parse, then it is a final NOT_ALLOWED", async () => {
      await refused(fetchToFile('http://[::1', partialFile(dir, 'p'), options()), 'NOT_ALLOWED', /not a valid URL/);
    });

    it('when the processor gets a link that does not parse, then it reports NOT_ALLOWED once and ends the job, never retried as STORE', async () => {
      const failed: Omit<ArtifactFailed, 'failedAt'>[] = [];
      const deps: ProcessorDeps = {
        store: {
          partialDir: join(dir, 'partial'),
          put: () => Promise.reject(new Error('never stored')),
          read: () => {
            throw new Error('never read');
          },
        },
        publisher: { archived: () => Promise.reject(new Error('never archived')), failed: async (result) => void failed.push(result) },
        jobType: { isValid: () => true } as unknown as ProcessorDeps['jobType'],
        fetch: { ...options(), totalTimeoutMs: 60_000 } as unknown as ProcessorDeps['fetch'],
        logger: createLogger({ level: 'error', name: 'test' }),
      };
      const data: ArchiveJobData = {
        artifact: { jobId: 'chat.bad-link', kind: 'chat', organizationId: 'o', meetingId: 'm', sessionId: 's', recordingId: null },
        url: 'https://[::1',
        expiresAt: (Date.now() + 3_600_000) * 1000,
        sourceEvent: 'meeting.chatSynced',
        deliveryId: 'd',
        expectedBytes: null,
      };
      const job = { id: 'chat.bad-link', data, attemptsMade: 0, opts: { attempts: 5 }, timestamp: Date.now(), updateProgress: async () => undefined };
      await assert.rejects(processArchiveJob(job as unknown as Job<ArchiveJobData>, deps), (error: unknown) => {
        assert.ok(error instanceof UnrecoverableError, `ended for good, not retried: ${String(error)}`);
        return true;
      });
      assert.equal(failed.length, 1);
      assert.equal(failed[0]?.reason, 'NOT_ALLOWED', failed[0]?.message);
    });
  });
});
