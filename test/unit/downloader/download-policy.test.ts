import { strict as assert } from 'node:assert';
import { DownloadError } from '../../../services/downloader/src/download/download-error.js';
import { configSchema } from '../../../services/downloader/src/config.js';
import { deadlineError, downloadDeadline } from '../../../services/downloader/src/download/download-deadline.js';
import { checkAddress, checkUrl, parseList, type UrlPolicy } from '../../../services/downloader/src/download/url-policy.js';
import { deadlineBackoff } from '../../../services/downloader/src/process-archive-job.js';
import { archiveKey, checkIds, extensionOf } from '../../../services/downloader/src/store/archive-path.js';
import { safeSegment } from '../../../shared/src/index.js';

const policy: UrlPolicy = { allowedHosts: parseList(configSchema.allowedHosts.default ?? ''), allowHttp: false, allowedAddresses: [], allowedPorts: [] };
const refused = (fn: () => void, reason: string, text: RegExp) =>
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof DownloadError, String(error));
    assert.equal(error.code, reason, error.message);
    assert.match(error.message, text);
    return true;
  });

describe('download policy', () => {
  it('when a link is https on an allowed host, then it passes; a bare parent domain does not match *.domain', () => {
    checkUrl(new URL('https://dyte-recordings.s3.amazonaws.com/a.mp4?X-Amz-Signature=x'), policy);
    refused(() => checkUrl(new URL('https://amazonaws.com/a'), policy), 'NOT_ALLOWED', /not in DOWNLOAD_ALLOWED_HOSTS/);
    refused(() => checkUrl(new URL('https://evilamazonaws.com/a'), policy), 'NOT_ALLOWED', /not in DOWNLOAD_ALLOWED_HOSTS/);
  });

  it("when the default host list is used, then S3 and R2 presigned hosts pass and other AWS or Cloudflare hosts (API gateways, EC2, r2.dev) do not", () => {
    for (const host of [
      'dyte-recordings.s3.amazonaws.com',
      'dyte-recordings.s3.ap-south-1.amazonaws.com',
      'dyte-recordings.s3.dualstack.us-east-1.amazonaws.com',
      's3.amazonaws.com',
      's3.eu-west-1.amazonaws.com',
      'a1b2c3.r2.cloudflarestorage.com',
      'rtk-recordings.a1b2c3.r2.cloudflarestorage.com',
    ]) {
      checkUrl(new URL(`https://${host}/rec.mp4?X-Amz-Signature=x`), policy);
    }
    for (const host of [
      'abc123.execute-api.us-east-1.amazonaws.com',
      'ec2-52-1-2-3.compute-1.amazonaws.com',
      'my-lb-1234.us-east-1.elb.amazonaws.com',
      'attacker.lambda-url.us-east-1.on.aws',
      'pub-abc.r2.dev',
      'a.b.s3.amazonaws.com',
      'x.s3.amazonaws.com.evil.example',
      'r2.cloudflarestorage.com',
    ]) {
      refused(() => checkUrl(new URL(`https://${host}/a`), policy), 'NOT_ALLOWED', new RegExp(`host ${host.replace(/\./g, '\\.')} is not in DOWNLOAD_ALLOWED_HOSTS`));
    }
  });

  it('when a host pattern has a * label, then it stands for exactly one DNS label, anywhere in the pattern', () => {
    const custom = { ...policy, allowedHosts: parseList('*.s3.*.amazonaws.com') };
    checkUrl(new URL('https://bucket.s3.eu-west-1.amazonaws.com/a'), custom);
    refused(() => checkUrl(new URL('https://bucket.s3.amazonaws.com/a'), custom), 'NOT_ALLOWED', /not in DOWNLOAD_ALLOWED_HOSTS/);
    refused(() => checkUrl(new URL('https://a.bucket.s3.eu-west-1.amazonaws.com/a'), custom), 'NOT_ALLOWED', /not in DOWNLOAD_ALLOWED_HOSTS/);
    refused(() => checkUrl(new URL('https://bucket.s3.x.eu-west-1.amazonaws.com/a'), custom), 'NOT_ALLOWED', /not in DOWNLOAD_ALLOWED_HOSTS/);
  });

  it('when a host pattern is too broad or malformed, then it is refused at boot naming DOWNLOAD_ALLOWED_HOSTS', () => {
    for (const value of ['*.com', '*', 'example.*', '*.*', 's3-*.amazonaws.com', 'a..b.com', 'bad host.com']) {
      assert.throws(() => configSchema.allowedHosts.parse(value), /labels|DNS|host/, value);
    }
    assert.equal(configSchema.allowedHosts.parse('*.s3.*.amazonaws.com,127.0.0.1,localhost'), '*.s3.*.amazonaws.com,127.0.0.1,localhost');
    configSchema.allowedHosts.parse(configSchema.allowedHosts.default ?? '');
  });

  it('when a link names a port, then only 443 (and 80 with DOWNLOAD_ALLOW_HTTP) pass unless DOWNLOAD_ALLOWED_PORTS lists others', () => {
    checkUrl(new URL('https://x.s3.amazonaws.com:443/a'), policy);
    for (const port of [6379, 22, 80, 8443]) {
      refused(() => checkUrl(new URL(`https://x.s3.amazonaws.com:${port}/a`), policy), 'NOT_ALLOWED', new RegExp(`port ${port} is not allowed .*DOWNLOAD_ALLOWED_PORTS`));
    }
    const withHttp = { ...policy, allowHttp: true };
    checkUrl(new URL('http://x.s3.amazonaws.com/a'), withHttp);
    checkUrl(new URL('https://x.s3.amazonaws.com/a'), withHttp);
    refused(() => checkUrl(new URL('http://x.s3.amazonaws.com:8080/a'), withHttp), 'NOT_ALLOWED', /port 8080 is not allowed/);
    const listed = { ...withHttp, allowedPorts: [8090] };
    checkUrl(new URL('http://x.s3.amazonaws.com:8090/a'), listed);
    refused(() => checkUrl(new URL('https://x.s3.amazonaws.com/a'), listed), 'NOT_ALLOWED', /port 443 is not allowed .*DOWNLOAD_ALLOWED_PORTS/);
    assert.deepEqual(configSchema.allowedPorts.parse('8090, 443'), [8090, 443]);
    for (const value of ['0', '65536', 'http', '80,', '-1']) assert.throws(() => configSchema.allowedPorts.parse(value), /port/, value);
  });

  it('when a link is http or carries credentials, then it is refused', () => {
    refused(() => checkUrl(new URL('http://x.s3.amazonaws.com/a'), policy), 'NOT_ALLOWED', /https only/);
    refused(() => checkUrl(new URL('https://u:p@x.s3.amazonaws.com/a'), policy), 'NOT_ALLOWED', /credentials/);
  });

  it('when an address is private, loopback, link-local or mapped, then it is refused unless explicitly allowed', () => {
    for (const address of ['127.0.0.1', '10.0.0.5', '172.20.1.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0', '64:ff9b::a00:1', '2002:a00:1::1', '::a00:1']) {
      refused(() => checkAddress(address, policy), 'NOT_ALLOWED', /not a public unicast address \(not in DOWNLOAD_ALLOWED_ADDRESSES\)/);
    }
    refused(() => checkUrl(new URL('https://[::ffff:127.0.0.1]/a'), { ...policy, allowedHosts: ['::ffff:7f00:1'] }), 'NOT_ALLOWED', /\(127\.0\.0\.1\) is loopback/);
    checkAddress('52.216.1.1', policy);
    checkAddress('::ffff:52.216.1.1', policy);
    checkAddress('2600:1f18::1', policy);
    const allowing = { ...policy, allowedAddresses: parseList('127.0.0.1,10.0.0.0/8') };
    checkAddress('127.0.0.1', allowing);
    checkAddress('10.9.9.9', allowing);
    checkAddress('::ffff:10.9.9.9', allowing);
    refused(() => checkAddress('127.0.0.2', allowing), 'NOT_ALLOWED', /127\.0\.0\.2 is loopback/);
  });

  it('when an address is in any special-purpose range (mapped in every form, NAT64, Teredo, site-local, discard, documentation, reserved), then it is refused', () => {
    const ranges: Record<string, string[]> = {
      'IPv4-mapped ::ffff:0:0/96, every spelling': ['::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '::FFFF:10.0.0.1', '::ffff:0:0', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe'],
      'IPv4-translated ::ffff:0:0:0/96': ['::ffff:0:7f00:1', '::ffff:0:3412:101'],
      'NAT64 64:ff9b::/96 and 64:ff9b:1::/48': ['64:ff9b::a00:1', '64:ff9b::3412:101', '64:ff9b:1::a00:1', '64:ff9b:1:ffff::1'],
      'Teredo 2001::/32': ['2001::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
      '6to4 2002::/16': ['2002:a00:1::1', '2002:3412:101::1'],
      'site-local fec0::/10': ['fec0::1', 'feff::1'],
      'discard 100::/64': ['100::1', '100::ffff:ffff:ffff:ffff'],
      'IPv4 documentation': ['192.0.2.1', '198.51.100.7', '203.0.113.9'],
      'IPv6 documentation 2001:db8::/32 and 3fff::/20': ['2001:db8::1', '2001:db8:ffff::1', '3fff::1'],
      'IPv4 reserved, benchmarking, CGNAT, multicast, broadcast, IETF': ['240.0.0.1', '255.255.255.255', '198.18.0.1', '198.19.255.255', '100.64.0.1', '224.0.0.1', '239.255.255.250', '192.0.0.8', '0.1.2.3'],
      'IPv6 unspecified, multicast, link-local, unique-local, benchmarking, ORCHID, outside 2000::/3': ['::', 'ff02::1', 'fe80::1', 'fc00::1', '2001:2::1', '2001:10::1', '2001:20::1', '::a00:1', '4000::1', '5f00::1'],
    };
    for (const [range, addresses] of Object.entries(ranges)) {
      for (const address of addresses) {
        assert.throws(
          () => checkAddress(address, policy),
          (error: unknown) => error instanceof DownloadError && error.code === 'NOT_ALLOWED' && /not a public unicast address/.test(error.message),
          `${address} (${range}) is refused`,
        );
      }
    }
    for (const address of ['52.216.1.1', '104.18.2.3', '::ffff:52.216.1.1', '2600:1f18::1', '2606:4700::6810:1']) checkAddress(address, policy);
  });

  it('when DOWNLOAD_ALLOWED_ADDRESSES is malformed, then it is refused at boot naming the item', () => {
    for (const value of ['127.0.0.300', '10.0.0.0/33', 'localhost', '::1/129']) {
      assert.throws(() => configSchema.allowedAddresses.parse(value), /IP address or CIDR/, value);
    }
    assert.equal(configSchema.allowedAddresses.parse('127.0.0.1,10.0.0.0/8,::1,fd00::/8'), '127.0.0.1,10.0.0.0/8,::1,fd00::/8');
    assert.equal(configSchema.allowedAddresses.parse('none'), 'none');
  });

  it('when payload ids try path traversal, then they are refused; odd characters are replaced', () => {
    const artifact = { jobId: 'j', kind: 'chat' as const, organizationId: 'o', meetingId: 'm', sessionId: 's', recordingId: null };
    for (const meetingId of ['..', '.', '../x', 'a/b', 'a\\b', 'a\0b']) {
      refused(() => checkIds({ ...artifact, meetingId }), 'INVALID_ID', /not a safe path segment/);
    }
    // Replaced characters no longer make two ids one: the cleaned value gets a hash of the original.
    assert.match(safeSegment('a b*c'), /^a_b_c~[0-9a-f]{12}$/);
    assert.match(safeSegment('.hidden'), /^_hidden~[0-9a-f]{12}$/);
    assert.equal(safeSegment('a.b_c-9'), 'a.b_c-9');
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
  it("when an attempt starts, then its deadline is DOWNLOAD_TOTAL_TIMEOUT_MS later but never past the link's expiry", () => {
    const start = 1_800_000_000_000;
    assert.deepEqual(downloadDeadline(start, 60_000, null), { at: start + 60_000, bound: 'timeout' });
    assert.deepEqual(downloadDeadline(start, 60_000, (start + 10_000) * 1000 + 999), { at: start + 10_000, bound: 'expiry' });
    assert.deepEqual(downloadDeadline(start, 60_000, (start + 3_600_000) * 1000), { at: start + 60_000, bound: 'timeout' });
    const atExpiry = deadlineError({ at: start, bound: 'expiry' }, 5);
    assert.equal(atExpiry.code, 'EXPIRED');
    assert.equal(atExpiry.retriable, false);
    const atTimeout = deadlineError({ at: start, bound: 'timeout' }, 5);
    assert.equal(atTimeout.code, 'DEADLINE');
    assert.equal(atTimeout.retriable, true);
    assert.match(atTimeout.message, /DOWNLOAD_TOTAL_TIMEOUT_MS/);
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

  it('when the file is stored and only its content is left to publish, then the backoff is not cut by the expiry', () => {
    const stored = { data: { expiresAt: (Date.now() - 5000) * 1000, stored: { location: 'file:///a', bytes: 1, sha256: 'x', contentType: null } } } as never;
    assert.equal(deadlineBackoff(3, stored), 4000);
  });
});
