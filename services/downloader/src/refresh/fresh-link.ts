import type { ArtifactRef, ProviderClient } from '../../../../shared/src/index.js';

/** What the provider said about an artifact's link: a fresh one, or why there is none. */
export type FreshLink =
  | { held: true; url: string; /** Microseconds since the epoch; null when the provider gave no expiry. */ expiresAt: number | null }
  | { held: false; because: 'NOT_HELD' | 'NOT_ASKABLE'; message: string };

/**
 * Asks the provider for a fresh link to `artifact`: getChat/getTranscript/getSummary by session id, getRecording by
 * recording id (its audio-only link for `recording_audio`). A provider failure is thrown as its ProviderError.
 */
export async function askFreshLink(provider: ProviderClient, artifact: ArtifactRef): Promise<FreshLink> {
  const notAskable = (id: string) => ({ held: false as const, because: 'NOT_ASKABLE' as const, message: `the job has no ${id} to ask the provider API with` });
  switch (artifact.kind) {
    case 'chat':
    case 'transcript':
    case 'summary': {
      if (!artifact.sessionId) return notAskable('session id');
      const get = { chat: provider.getChat, transcript: provider.getTranscript, summary: provider.getSummary }[artifact.kind];
      const answer = await get.call(provider, artifact.sessionId);
      if (!answer.held) return { held: false, because: 'NOT_HELD', message: `${answer.reason}: ${answer.message}` };
      return { held: true, url: answer.url, expiresAt: micros(answer.expiresAt) };
    }
    case 'recording':
    case 'recording_audio': {
      if (!artifact.recordingId) return notAskable('recording id');
      const recording = await provider.getRecording(artifact.recordingId);
      if (!recording.held) return { held: false, because: 'NOT_HELD', message: `${recording.reason}: ${recording.message}` };
      const link = artifact.kind === 'recording' ? recording.video : recording.audio;
      if (!link) return { held: false, because: 'NOT_HELD', message: `NO_LINK: recording ${artifact.recordingId} has no audio-only file` };
      if (!link.held) return { held: false, because: 'NOT_HELD', message: `${link.reason}: ${link.message}` };
      return { held: true, url: link.url, expiresAt: micros(link.expiresAt) };
    }
    default:
      return { held: false, because: 'NOT_ASKABLE', message: `the provider API gives no link to a ${String(artifact.kind)}` };
  }
}

const micros = (date: Date | null) => (date === null ? null : date.getTime() * 1000);
