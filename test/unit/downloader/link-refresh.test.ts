import { strict as assert } from 'node:assert';
import { deadlineError, downloadDeadline } from '../../../services/downloader/src/download/download-deadline.js';
import { DownloadError } from '../../../services/downloader/src/download/download-error.js';
import { deadlineBackoff } from '../../../services/downloader/src/process-archive-job.js';
import { ExpiredLinkError } from '../../../services/downloader/src/refresh/expired-link-error.js';
import { askFreshLink } from '../../../services/downloader/src/refresh/fresh-link.js';
import { expectedRate, triggerAfterFailure, triggerBeforeFetch, type JobLink } from '../../../services/downloader/src/refresh/refresh-trigger.js';
import { sameObject } from '../../../services/downloader/src/refresh/same-object.js';
import { transferRate } from '../../../services/downloader/src/refresh/transfer-rate.js';
import type { ArtifactAnswer, ArtifactRef, ProviderClient, ProviderRecording } from '../../../shared/src/index.js';

const NOW = 1_800_000_000_000;
const MiB = 1024 * 1024;
const expiringIn = (ms: number) => ({ expiresAt: (NOW + ms) * 1000 });

describe('link refresh: when a link needs replacing', () => {
  it('when a link has no expiry or has passed it, then nothing or "expired" is said before fetching, whatever the size', () => {
    assert.equal(triggerBeforeFetch({ expiresAt: null }, NOW, 10 * MiB, 1), undefined);
    assert.equal(triggerBeforeFetch(expiringIn(0), NOW, null, undefined), 'expired');
    assert.equal(triggerBeforeFetch(expiringIn(-60_000), NOW, 1, 1e9), 'expired');
  });

  it('when the expected bytes at the expected rate, plus 30 s, take longer than the link has left, then it is "expiring"', () => {
    // 100 MiB at 1 MiB/s: 100 s, plus 30 s.
    assert.equal(triggerBeforeFetch(expiringIn(129_000), NOW, 100 * MiB, MiB), 'expiring');
    assert.equal(triggerBeforeFetch(expiringIn(131_000), NOW, 100 * MiB, MiB), undefined);
    assert.equal(triggerBeforeFetch(expiringIn(20_000), NOW, 1, MiB), 'expiring', 'the 30 s margin alone is more than 20 s');
  });

  it('when the link has less than 2 s left, then it is "expiring" whatever the size (a fetch cut before its first bytes is sent again whole)', () => {
    assert.equal(triggerBeforeFetch(expiringIn(1999), NOW, null, undefined), 'expiring');
    assert.equal(triggerBeforeFetch(expiringIn(50), NOW, 1, 1e9), 'expiring');
    assert.equal(triggerBeforeFetch(expiringIn(2000), NOW, null, undefined), undefined);
  });

  it('when the size or the rate is unknown, then nothing is predicted (the cut at the expiry is the fallback)', () => {
    assert.equal(triggerBeforeFetch(expiringIn(5000), NOW, null, MiB), undefined);
    assert.equal(triggerBeforeFetch(expiringIn(5000), NOW, 100 * MiB, undefined), undefined);
    assert.equal(triggerBeforeFetch(expiringIn(5000), NOW, 0, MiB), undefined);
  });

  it('when a rate is expected, then it is half the observed rate, never under the minimum, and the minimum before any is observed', () => {
    assert.equal(expectedRate(10 * MiB, 16 * 1024), 5 * MiB);
    assert.equal(expectedRate(20 * 1024, 16 * 1024), 16 * 1024, 'not under DOWNLOAD_MIN_BYTES_PER_SECOND');
    assert.equal(expectedRate(undefined, 16 * 1024), 16 * 1024);
    assert.equal(expectedRate(undefined, 0), undefined, 'no minimum and nothing observed: no estimate');
    assert.equal(expectedRate(4 * MiB, 0), 2 * MiB);
  });

  it('when a fetch fails, then only failures a fresh link can fix ask for one', () => {
    const link = (overrides: Partial<JobLink> = {}): JobLink => ({ url: 'https://b.s3.amazonaws.com/k?sig=1', ...expiringIn(60_000), freshThisAttempt: false, ...overrides });
    const cut = deadlineError({ at: NOW, bound: 'expiry', refreshable: true }, 5);
    assert.equal(triggerAfterFailure(cut, link(), NOW), 'mid_download');
    assert.equal(triggerAfterFailure(new DownloadError('HTTP_403', 'the artifact server answered 403', false), link(), NOW), 'refused');
    assert.equal(
      triggerAfterFailure(new DownloadError('HTTP_403', 'the artifact server answered 403', false), link({ freshThisAttempt: true }), NOW),
      undefined,
      'a link the provider has just given that is refused is not an expiry',
    );
    assert.equal(triggerAfterFailure(new DownloadError('HTTP_403', '403', false), link({ ...expiringIn(-1), freshThisAttempt: true }), NOW), 'expired');
    assert.equal(triggerAfterFailure(new DownloadError('NETWORK', 'reset', true), link(expiringIn(-1000)), NOW), 'expired');
    for (const code of ['HTTP_404', 'NETWORK', 'TOO_SLOW', 'DEADLINE', 'TOO_LARGE']) {
      assert.equal(triggerAfterFailure(new DownloadError(code, code, true), link(), NOW), undefined, code);
    }
    assert.equal(triggerAfterFailure(new ExpiredLinkError('not held', 'NOT_HELD', false), link(expiringIn(-1)), NOW), undefined, 'a refresh that failed is not refreshed again');
  });

  it('when a fresh link names the same path whatever its query, then it is the same object; another path or host is not', () => {
    assert.equal(sameObject('https://b.s3.amazonaws.com/a/chat.csv?X-Amz-Signature=1&X-Amz-Expires=1', 'https://b.s3.amazonaws.com/a/chat.csv?X-Amz-Signature=2'), true);
    assert.equal(sameObject('https://b.s3.amazonaws.com/a/chat.csv?s=1', 'https://b.s3.amazonaws.com/a/chat-2.csv?s=1'), false);
    assert.equal(sameObject('https://b.s3.amazonaws.com/a/chat.csv', 'https://c.s3.amazonaws.com/a/chat.csv'), false);
    assert.equal(sameObject('not a url', 'not a url'), false);
  });

  it('when transfers are observed, then transfers under a second are ignored and the rest averaged with more weight on the latest', () => {
    const rate = transferRate();
    assert.equal(rate.bytesPerSecond(), undefined);
    rate.observe(100 * MiB, 500);
    assert.equal(rate.bytesPerSecond(), undefined, 'half a second measures the round trip, not the bandwidth');
    rate.observe(10 * MiB, 1000);
    assert.equal(rate.bytesPerSecond(), 10 * MiB);
    rate.observe(20 * MiB, 1000);
    assert.equal(rate.bytesPerSecond(), 13 * MiB);
  });
});

describe('link refresh: deadlines and backoff with a provider API', () => {
  it("when a provider API is configured, then the attempt is still cut at the link's expiry, as a retriable EXPIRED a fresh link goes on from", () => {
    assert.deepEqual(downloadDeadline(NOW, 60_000, (NOW + 10_000) * 1000, true), { at: NOW + 10_000, bound: 'expiry', refreshable: true });
    assert.deepEqual(downloadDeadline(NOW, 60_000, (NOW + 3_600_000) * 1000, true), { at: NOW + 60_000, bound: 'timeout' });
    const cut = deadlineError({ at: NOW, bound: 'expiry', refreshable: true }, 5);
    assert.equal(cut.code, 'EXPIRED');
    assert.equal(cut.retriable, true);
    assert.match(cut.message, /a fresh link goes on from there/);
    assert.equal(deadlineError(downloadDeadline(NOW, 60_000, NOW * 1000), 5).retriable, false, 'without one it stays final');
  });

  it('when a provider API is configured, then a retry is not pulled before the expiry: it will ask for a fresh link', () => {
    const job = { data: { expiresAt: (Date.now() - 5000) * 1000 } } as never;
    assert.equal(deadlineBackoff(3, job), 0);
    assert.equal(deadlineBackoff(3, job, true), 4000);
  });
});

describe('link refresh: asking the provider', () => {
  const expiresAt = new Date(NOW + 3_600_000);
  const held = (kind: ArtifactAnswer['kind'], url: string): ArtifactAnswer => ({ held: true, kind, sessionId: 's', url, expiresAt });
  const calls: string[] = [];
  const recording = (audio: boolean): ProviderRecording => ({
    held: true,
    recordingId: 'r',
    sessionId: 's',
    meetingId: 'm',
    status: 'UPLOADED',
    video: held('recording', 'https://b/r.mp4?sig'),
    audio: audio ? { held: true, kind: 'recording_audio', sessionId: 's', url: 'https://b/r.m4a?sig', expiresAt: null } : null,
  });
  let audio = true;
  const provider = {
    getChat: async (id: string) => (calls.push(`getChat ${id}`), held('chat', 'https://b/chat.csv?sig')),
    getTranscript: async (id: string) => (calls.push(`getTranscript ${id}`), held('transcript', 'https://b/t.csv?sig')),
    getSummary: async (id: string) => {
      calls.push(`getSummary ${id}`);
      return { held: false, kind: 'summary', sessionId: id, reason: 'NOT_FOUND', message: 'past retention' } satisfies ArtifactAnswer;
    },
    getRecording: async (id: string) => (calls.push(`getRecording ${id}`), recording(audio)),
  } as unknown as ProviderClient;
  const ref = (kind: ArtifactRef['kind'], ids: Partial<ArtifactRef> = {}): ArtifactRef => ({
    jobId: `${kind}.x`,
    kind,
    organizationId: null,
    meetingId: 'm',
    sessionId: 's',
    recordingId: kind.startsWith('recording') ? 'r' : null,
    ...ids,
  });

  it('when each kind is refreshed, then the matching call is made by session or recording id, and the recording audio takes the audio link', async () => {
    calls.length = 0;
    assert.deepEqual(await askFreshLink(provider, ref('chat')), { held: true, url: 'https://b/chat.csv?sig', expiresAt: expiresAt.getTime() * 1000 });
    assert.equal((await askFreshLink(provider, ref('transcript'))).held, true);
    assert.deepEqual(await askFreshLink(provider, ref('summary')), { held: false, because: 'NOT_HELD', message: 'NOT_FOUND: past retention' });
    assert.deepEqual(await askFreshLink(provider, ref('recording')), { held: true, url: 'https://b/r.mp4?sig', expiresAt: expiresAt.getTime() * 1000 });
    assert.deepEqual(await askFreshLink(provider, ref('recording_audio')), { held: true, url: 'https://b/r.m4a?sig', expiresAt: null });
    assert.deepEqual(calls, ['getChat s', 'getTranscript s', 'getSummary s', 'getRecording r', 'getRecording r']);
  });

  it('when the recording has no audio file or the job lacks the id to ask with, then it says so without a link', async () => {
    audio = false;
    const noAudio = await askFreshLink(provider, ref('recording_audio'));
    assert.equal(noAudio.held === false && noAudio.because, 'NOT_HELD');
    audio = true;
    calls.length = 0;
    const noSession = await askFreshLink(provider, ref('chat', { sessionId: null }));
    assert.equal(noSession.held === false && noSession.because, 'NOT_ASKABLE');
    const noRecording = await askFreshLink(provider, ref('recording', { recordingId: null }));
    assert.equal(noRecording.held === false && noRecording.because, 'NOT_ASKABLE');
    assert.deepEqual(calls, [], 'the API is not asked without an id');
  });
});
