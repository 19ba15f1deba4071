import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { ArtifactRef } from '../../../shared/src/index.js';
import { archiveKey } from '../../../services/downloader/src/store/archive-path.js';

const base: ArtifactRef = { jobId: 'chat.s', kind: 'chat', organizationId: 'o', meetingId: 'm', sessionId: 's', recordingId: null };
const segments = (key: string) => key.split('/');

describe('archive keys (downloader)', () => {
  it('when organization ids differ only in characters the sanitiser replaces (acme corp, acme_corp, acme?corp), then each gets its own folder; acme_corp keeps its name', () => {
    const keys = ['acme corp', 'acme_corp', 'acme?corp'].map((organizationId) => archiveKey({ ...base, organizationId }, 'csv'));
    assert.equal(new Set(keys).size, 3, keys.join(' '));
    assert.equal(keys[1], 'acme_corp/m/s/chat.csv');
    assert.match(segments(keys[0] ?? '')[0] ?? '', /^acme_corp~[0-9a-f]{12}$/, 'readable, then a hash of the original value');
  });

  it('when two 200-character ids share their first 128 characters, then their keys differ and every segment stays within 128 characters', () => {
    const prefix = 'x'.repeat(128);
    const a = archiveKey({ ...base, meetingId: `${prefix}${'a'.repeat(72)}` }, 'csv');
    const b = archiveKey({ ...base, meetingId: `${prefix}${'b'.repeat(72)}` }, 'csv');
    assert.notEqual(a, b);
    for (const segment of [...segments(a), ...segments(b)]) assert.ok(segment.length <= 128, `${segment.length} characters`);
  });

  it("when a recording's id is r1-audio, then its video never takes the name of recording r1's audio, whatever the extensions", () => {
    const video = archiveKey({ ...base, kind: 'recording', jobId: 'recording.r1-audio', recordingId: 'r1-audio' }, 'm4a');
    const audio = archiveKey({ ...base, kind: 'recording_audio', jobId: 'recording_audio.r1', recordingId: 'r1' }, 'm4a');
    assert.notEqual(video, audio);
    assert.equal(audio, 'o/m/s/recording-r1-audio.m4a', "the audio keeps today's name");
    assert.equal(archiveKey({ ...base, kind: 'recording', recordingId: 'r1' }, 'mp4'), 'o/m/s/recording-r1.mp4', "the video keeps today's name");
  });

  it('when an id is literally the name used for a missing one, then it does not share that folder', () => {
    assert.notEqual(archiveKey({ ...base, organizationId: '_unknown-organization' }, 'csv'), archiveKey({ ...base, organizationId: null }, 'csv'));
    const missing = archiveKey({ ...base, sessionId: null }, 'csv');
    assert.equal(missing, 'o/m/_no-session-chat.s/chat.csv');
    assert.notEqual(archiveKey({ ...base, jobId: 'chat._no-session-chat.s', sessionId: '_no-session-chat.s' }, 'csv'), missing);
  });

  it('when ids are UUIDs, then the layout is exactly the readable one of today', () => {
    const ids = { organizationId: '70c5d391-4bac-4cf3-9907-bec205798adb', meetingId: 'd9fc4d6a-a5a0-4430-9a73-d4ba14e597f9', sessionId: '79365b9b-e5ef-452f-934e-e171d75d254b' };
    assert.equal(archiveKey({ ...base, ...ids }, 'csv'), `${ids.organizationId}/${ids.meetingId}/${ids.sessionId}/chat.csv`);
    const recordingId = '97cb480d-5840-4528-ace3-919b5e386c68';
    assert.equal(archiveKey({ ...base, ...ids, kind: 'recording_audio', recordingId }, 'm4a'), `${ids.organizationId}/${ids.meetingId}/${ids.sessionId}/recording-${recordingId}-audio.m4a`);
  });

  it('when artifacts differ in any id, then their keys differ, and every segment is a safe, visible path segment (property)', () => {
    const tricky = fc.string({ unit: fc.constantFrom('a', 'A', '0', '_', '-', '.', ' ', '?', '~', '/', 'é', '\u{1f431}'), maxLength: 140 });
    const id = fc.oneof(tricky, fc.constantFrom('_unknown-organization', '_unknown-meeting', '_unknown-recording', 'r1-audio', 'r1', '..', '.', ''));
    const nullable = fc.option(id, { nil: null });
    const artifact = fc.record({
      jobId: id,
      kind: fc.constantFrom('chat', 'transcript', 'summary', 'recording', 'recording_audio') as fc.Arbitrary<ArtifactRef['kind']>,
      organizationId: nullable,
      meetingId: id,
      sessionId: nullable,
      recordingId: nullable,
    });
    // Two artifacts share a key only when they name the same thing: same kind and ids, and (without a session) the same job.
    const identity = (a: ArtifactRef) =>
      JSON.stringify([
        a.kind,
        a.organizationId || null,
        a.meetingId || null,
        a.sessionId || null,
        a.sessionId ? null : a.jobId,
        a.kind === 'recording' || a.kind === 'recording_audio' ? a.recordingId || null : null,
      ]);
    // Artifacts that differ in one field only: where a lossy key would make two of them meet.
    const field = fc.constantFrom('jobId', 'kind', 'organizationId', 'meetingId', 'sessionId', 'recordingId') as fc.Arbitrary<keyof ArtifactRef>;
    const variants = fc.tuple(artifact, field, fc.array(nullable, { minLength: 2, maxLength: 6 })).map(([a, name, values]) =>
      values.map((value) => {
        if (name === 'kind') return { ...a, kind: (['chat', 'recording', 'recording_audio'] as const)[(value ?? '').length % 3] ?? 'chat' };
        return { ...a, [name]: name === 'meetingId' || name === 'jobId' ? (value ?? '') : value } as ArtifactRef;
      }),
    );
    fc.assert(
      fc.property(fc.oneof(variants, fc.array(artifact, { minLength: 2, maxLength: 8 })), fc.constantFrom('csv', 'mp4', 'm4a'), (artifacts, extension) => {
        const byKey = new Map<string, string>();
        for (const a of artifacts) {
          const key = archiveKey(a, extension);
          for (const segment of segments(key)) {
            assert.match(segment, /^[A-Za-z0-9_-][A-Za-z0-9._~-]*$/, `${segment} is a safe segment`);
            assert.ok(segment.length <= 160, `${segment} is short`);
          }
          const seen = byKey.get(key);
          assert.ok(seen === undefined || seen === identity(a), `${key} given to ${seen} and ${identity(a)}`);
          byKey.set(key, identity(a));
        }
      }),
      { numRuns: 500 },
    );
  });
});
