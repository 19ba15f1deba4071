// The local stand-in for the provider's REST API (RealtimeKit and Dyte v2) that `make run` starts, so the fleet's
// provider API client has something to talk to: scripts/stand-ins/stand-in-provider.ts on a fixed port, seeded with the
// sessions of the sample webhooks (dyte-bridge send ...) and a few more, each with chat, transcript, summary and a
// recording behind links that expire. Development only, 127.0.0.1 only: never part of the fleet.
//   RTK_ACCOUNT_ID, RTK_APP_ID, RTK_API_TOKEN, DYTE_ORG_ID, DYTE_API_KEY   the credentials it accepts (scripts/run-fleet.sh
//       sets the RealtimeKit ones; an unset token or key is replaced by a random one nobody knows)
//   STAND_IN_PROVIDER_PORT (8091), STAND_IN_ARTIFACTS_PORT (8092), STAND_IN_LINK_TTL_MS (3600000)
import { sampleArtifact } from './sample-artifacts.js';
import { StandInProvider, type StandInSessionSpec } from './stand-ins/stand-in-provider.js';

const env = process.env;
const log = (msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', service: 'provider', msg, ...fields }));

// The ids of the sample webhooks in samples/seed/, so that the provider holds what `send` announces.
const SAMPLES: StandInSessionSpec[] = [
  { id: '79365b9b-e5ef-452f-934e-e171d75d254b', meetingId: 'd9fc4d6a-a5a0-4430-9a73-d4ba14e597f9', title: 'Sample meeting (chatSynced)' },
  {
    id: '56b81d16-5d4e-45ed-85b4-056587b00aa0',
    meetingId: '26c31468-55d4-4099-b49d-109778b182df',
    title: 'Sample meeting (recording)',
    recordings: [{ id: '97cb480d-5840-4528-ace3-919b5e386c68', size: 2 * 1024 * 1024, audioSize: 512 * 1024 }],
  },
  { id: '01eab2e1-3cd4-4237-8cf3-c8c071ef87e9', meetingId: 'bbbba351-90c5-487f-8358-ce4885555134', title: 'Sample meeting (transcript)' },
];

async function main(): Promise<void> {
  const standIn = new StandInProvider({
    accountId: env.RTK_ACCOUNT_ID ?? 'dev-account',
    appId: env.RTK_APP_ID ?? 'dev-app',
    organizationId: env.DYTE_ORG_ID ?? 'dev-organization',
    ...(env.RTK_API_TOKEN ? { apiToken: env.RTK_API_TOKEN } : {}),
    ...(env.DYTE_API_KEY ? { apiKey: env.DYTE_API_KEY } : {}),
    linkTtlMs: Number(env.STAND_IN_LINK_TTL_MS ?? 3600_000),
  });
  const file = (content: Buffer, contentType: string) => ({ size: content.length, content, contentType });
  const now = Date.now();
  const extra = Array.from({ length: 5 }, (_, i): StandInSessionSpec => ({ startedAt: new Date(now - (i + 2) * 3600_000) }));
  // The samples' sessions have just ended: the dispatcher's reconcile sweep leaves them to the webhooks `send` posts
  // for RECONCILE_GRACE_MINUTES, while the others ended hours ago and no webhook will announce them: the first sweep
  // recovers their files (the dispatcher logs each).
  for (const spec of [...SAMPLES.map((sample) => ({ endedAt: new Date(now), ...sample })), ...extra]) {
    standIn.addSession({
      // The realistic files of samples/artifacts/, so that their records show on dyte.chat and dyte.transcript.
      chat: file(sampleArtifact('chat.csv'), 'text/csv'),
      transcript: file(sampleArtifact('transcript.csv'), 'text/csv'),
      summary: file(sampleArtifact('summary.md'), 'text/plain'),
      recordings: [{ size: 1024 * 1024, audioSize: 256 * 1024 }],
      ...spec,
    });
  }
  await standIn.start(Number(env.STAND_IN_PROVIDER_PORT ?? 8091), Number(env.STAND_IN_ARTIFACTS_PORT ?? 8092));
  log('started', {
    realtimekit: `${standIn.realtimeKitBase}/accounts/${standIn.accountId}/realtime/kit/${standIn.appId}`,
    dyte: standIn.dyteBase,
    artifacts: standIn.artifacts.origin,
    sessions: SAMPLES.length + extra.length,
    notes: [
      ...(env.RTK_API_TOKEN ? [] : ['RTK_API_TOKEN unset: RealtimeKit requests are refused (a random token nobody knows is expected)']),
      ...(env.DYTE_API_KEY ? [] : ['DYTE_API_KEY unset: Dyte v2 requests are refused (a random key nobody knows is expected)']),
    ],
  });
  const stop = () => void standIn.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`stand-in provider failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
