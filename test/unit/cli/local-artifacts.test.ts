import { strict as assert } from 'node:assert';
import { withLocalArtifacts } from '../../../cli/src/io/local-artifacts.js';
import { fixture } from '../../helpers/fixtures.js';

describe('send --local-artifacts', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('when a chat sample is rewritten, then its link points at the local server and is valid for an hour', () => {
    const body = withLocalArtifacts(fixture('seed', 'meeting-chatSynced'), 'http://127.0.0.1:8090/', now);
    assert.equal(body.chatDownloadUrl, 'http://127.0.0.1:8090/chat.csv');
    // RealtimeKit's chat link names chat.json: the sample server's JSON chat.
    assert.equal(withLocalArtifacts(fixture('domain', 'meeting-chatSynced-rtk'), 'http://127.0.0.1:8090/', now).chatDownloadUrl, 'http://127.0.0.1:8090/chat.json');
    assert.equal(body.chatDownloadUrlExpiry, '2026-01-01T01:00:00.000Z');
  });

  it('when an UPLOADED recording is rewritten, then video and audio links move and the claimed size is dropped', () => {
    const body = withLocalArtifacts(fixture('domain', 'recording-uploaded'), 'http://127.0.0.1:8090', now);
    const recording = body.recording as Record<string, unknown>;
    assert.equal(recording.downloadUrl, 'http://127.0.0.1:8090/recording.mp4');
    assert.equal(recording.downloadUrlExpiry, '2026-01-01T01:00:00.000Z');
    assert.equal('fileSize' in recording, false);
  });

  it('when an event has no link, then it comes back unchanged', () => {
    const started = fixture('seed', 'meeting-started');
    assert.deepEqual(withLocalArtifacts(started, 'http://127.0.0.1:8090', now), started);
  });
});
