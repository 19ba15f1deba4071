import { strict as assert } from 'node:assert';
import { archiveJobOptions, priorityOf } from '../../../shared/src/index.js';
import { DownloadError } from '../../../services/downloader/src/download/download-error.js';
import { checkAddress, checkUrl, parseList } from '../../../services/downloader/src/download/url-policy.js';
import { deadlineBackoff } from '../../../services/downloader/src/process-archive-job.js';
import { archiveKey, checkIds, extensionOf, safeSegment } from '../../../services/downloader/src/store/archive-path.js';

const policy = { allowedHosts: parseList('*.amazonaws.com,*.r2.cloudflarestorage.com'), allowHttp: false, allowedAddresses: [] };
const refused = (fn: () => void, reason: string, text: RegExp) =>
  assert.throws(fn, (error: unknown) => error instanceof DownloadError && error.code === reason && text.test(error.message));

describe('download policy', () => {
  it('when a link is https on an allowed host, then it passes; a bare parent domain does not match *.domain', () => {
    checkUrl(new URL('https://dyte-recordings.s3.amazonaws.com/a.mp4?X-Amz-Signature=x'), policy);
    refused(() => checkUrl(new URL('https://amazonaws.com/a'), policy), 'NOT_ALLOWED', /not in DOWNLOAD_ALLOWED_HOSTS/);
    refused(() => checkUrl(new URL('https://evilamazonaws.com/a'), policy), 'NOT_ALLOWED', /not in DOWNLOAD_ALLOWED_HOSTS/);
  });

  it('when a link is http or carries credentials, then it is refused', () => {
    refused(() => checkUrl(new URL('http://x.s3.amazonaws.com/a'), policy), 'NOT_ALLOWED', /https only/);
    refused(() => checkUrl(new URL('https://u:p@x.s3.amazonaws.com/a'), policy), 'NOT_ALLOWED', /credentials/);
  });

  it('when an address is private, loopback, link-local or mapped, then it is refused unless explicitly allowed', () => {
    for (const address of ['127.0.0.1', '10.0.0.5', '172.20.1.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0', '64:ff9b::a00:1', '2002:a00:1::1', '::a00:1']) {
      refused(() => checkAddress(address, policy), 'NOT_ALLOWED', /private or loopback/);
    }
    refused(() => checkUrl(new URL('https://[::ffff:127.0.0.1]/a'), { ...policy, allowedHosts: ['::ffff:7f00:1'] }), 'NOT_ALLOWED', /127\.0\.0\.1 is private/);
    checkAddress('52.216.1.1', policy);
    checkAddress('::ffff:52.216.1.1', policy);
    checkAddress('2600:1f18::1', policy);
    const allowing = { ...policy, allowedAddresses: parseList('127.0.0.1,10.0.0.0/8') };
    checkAddress('127.0.0.1', allowing);
    checkAddress('10.9.9.9', allowing);
    refused(() => checkAddress('127.0.0.2', allowing), 'NOT_ALLOWED', /private or loopback/);
  });

  it('when payload ids try path traversal, then they are refused; odd characters are replaced', () => {
    const artifact = { jobId: 'j', kind: 'chat' as const, organizationId: 'o', meetingId: 'm', sessionId: 's', recordingId: null };
    for (const meetingId of ['..', '.', '../x', 'a/b', 'a\\b', 'a\0b']) {
      refused(() => checkIds({ ...artifact, meetingId }), 'INVALID_ID', /not a safe path segment/);
    }
    assert.equal(safeSegment('a b*c', 'x'), 'a_b_c');
    assert.equal(safeSegment('.hidden', 'x'), '_hidden');
    assert.equal(safeSegment(null, 'fallback'), 'fallback');
    assert.equal(archiveKey({ ...artifact, organizationId: null, sessionId: null }, 'csv'), '_unknown-organization/m/_no-session-j/chat.csv');
    assert.equal(archiveKey({ ...artifact, kind: 'recording_audio', recordingId: 'r1' }, 'm4a'), 'o/m/s/recording-r1-audio.m4a');
  });

  it('when the extension is chosen, then the link path wins, then the content type, then the kind', () => {
    assert.equal(extensionOf('chat', '/x/chat.json', 'text/csv'), 'json');
    assert.equal(extensionOf('transcript', '/x/t', 'text/vtt; charset=utf-8'), 'vtt');
    assert.equal(extensionOf('summary', '/x/s', null), 'txt');
    assert.equal(extensionOf('recording', '/x/r.exe', null), 'mp4');
    assert.equal(extensionOf('chat', '/x/c', 'constructor'), 'csv', 'inherited keys are not content types');
  });
});

describe('deadlines', () => {
  it('when links expire at different times, then the earlier expiry gets the smaller (sooner) priority', () => {
    const now = Date.now() * 1000;
    assert.ok(priorityOf(now + 3600e6) < priorityOf(now + 7 * 24 * 3600e6));
    assert.ok(priorityOf(now + 7 * 24 * 3600e6) < priorityOf(null), 'no expiry comes last');
    assert.ok(priorityOf(now) >= 1);
    const options = archiveJobOptions(
      { artifact: { jobId: 'chat.s', kind: 'chat', organizationId: null, meetingId: 'm', sessionId: 's', recordingId: null }, url: 'u', expiresAt: now, sourceEvent: 'e', deliveryId: 'd', expectedBytes: null },
      5,
    );
    assert.equal(options.jobId, 'chat.s');
    assert.equal(options.attempts, 5);
  });

  it('when a retry would fall after the expiry, then the backoff is cut so the retry still happens in time', () => {
    const job = (expiresInMs: number | null) => ({ data: { expiresAt: expiresInMs === null ? null : (Date.now() + expiresInMs) * 1000 } }) as never;
    assert.equal(deadlineBackoff(1, job(null)), 1000);
    assert.equal(deadlineBackoff(4, job(null)), 8000);
    assert.equal(deadlineBackoff(30, job(null)), 300_000, 'capped at 5 minutes');
    const cut = deadlineBackoff(10, job(10_000));
    assert.ok(cut <= 9000 && cut > 8000, `cut to before the expiry (${cut})`);
    assert.equal(deadlineBackoff(3, job(-5000)), 0);
  });
});
