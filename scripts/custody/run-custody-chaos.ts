import type { StandInProvider, StandInSession } from '../stand-ins/stand-in-provider.js';
import type { ArchiveOutcomes } from './archive-outcomes.js';
import { CUSTODY_KINDS, type CustodyKind, type CustodyPhase, type PlannedSession, type WebhookFate } from './custody-plan.js';
import { artifactWebhook, fileOf, jobIdOf, type Link } from './custody-webhooks.js';

/** The fleet under the scenario, as the scenario drives it; the test and the benchmark each build one. */
export interface CustodyFleet {
  /** Posts a signed webhook body to the ingress; answers the HTTP status. */
  post(body: Record<string, unknown>): Promise<number>;
  /** Stops every downloader (SIGTERM: each finishes what it holds). */
  stopDownloaders(): Promise<void>;
  /** Starts the downloaders again and waits until they take jobs. */
  startDownloaders(): Promise<void>;
  /** Deletes the download queue with every job in it, completed ones too: a Redis that lost it. */
  wipeQueue(): Promise<void>;
  /** BullMQ's state of a download job, `unknown` when the queue has none. */
  jobState(jobId: string): Promise<string>;
  /** Download jobs waiting, prioritized, delayed or active. */
  jobsInFlight(): Promise<number>;
  /** Resolves once a reconcile sweep that started after the call has finished; absent when no sweep runs. */
  nextSweep?: () => Promise<void>;
}

/** How the scenario runs. */
export interface CustodyRunOptions {
  /** The fleet has the provider API: then every artifact must end archived, else every one announced must end somewhere. */
  api: boolean;
  /** How long the links the webhooks carry live (the stand-in's own links should live as long). */
  linkTtlMs: number;
  /** What the provider's API answers as the sessions' organization (the app id for RealtimeKit). */
  organizationId: string;
  /** Longest wait for any one condition of the timeline. */
  timeoutMs?: number;
  progress?: (line: string) => void;
}

/** One artifact of the scenario and what was done to it. */
export interface CustodyArtifact {
  session: StandInSession;
  kind: CustodyKind;
  fate: WebhookFate;
  phase: CustodyPhase;
  jobId: string;
  /** The stand-in's file name. */
  file: string;
  bytes: number;
  /** The status the ingress answered its webhook; undefined when it was never delivered. */
  webhookStatus?: number;
  /** Announced, with a job and no outcome yet, when the queue was wiped. */
  wiped: boolean;
}

/** What the run did. */
export interface CustodyRun {
  artifacts: CustodyArtifact[];
  /** Jobs in flight just before the wipe (waiting for the stopped downloaders). */
  jobsWiped: number;
  /** How long the downloaders were stopped, and how long the links they missed lived. */
  downloadersStoppedMs: number;
  tookMs: number;
}

/**
 * The custody chaos scenario (issue 14): every planned session is held by the stand-in provider, live, and ends in
 * its phase; as it ends, its artifacts' webhooks are delivered on time, late (their link already expired) or never.
 * Sessions of the `steady` phase end while the downloaders run; then the downloaders stop, `before_wipe` sessions
 * end, the download queue is wiped (completed jobs and waiting ones alike), `after_wipe` sessions end, and the
 * downloaders stay stopped until every link of those phases has expired; then they restart and `restarted` sessions
 * end. It returns when the fleet has settled: every artifact archived (with the API), or every artifact announced
 * and not wiped archived or failed (without), no job left in flight, and (when a sweep runs) one more sweep done
 * with nothing left in flight after it, so that a sweep that would fetch something twice has done so.
 */
export async function runCustodyChaos(
  plan: PlannedSession[],
  stand: StandInProvider,
  fleet: CustodyFleet,
  outcomes: ArchiveOutcomes,
  options: CustodyRunOptions,
): Promise<CustodyRun> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 180_000;
  const say = options.progress ?? (() => undefined);
  const artifacts: CustodyArtifact[] = plan.flatMap((planned) => {
    const session = stand.addSession({
      startedAt: new Date(started - 40 * 60_000),
      endedAt: null,
      chat: { size: planned.bytes.chat, contentType: 'text/csv' },
      transcript: { size: planned.bytes.transcript, contentType: 'text/csv' },
      summary: { size: planned.bytes.summary, contentType: 'text/plain' },
      recordings: [{ size: planned.bytes.recording }],
    });
    return CUSTODY_KINDS.map((kind) => ({
      session,
      kind,
      fate: planned.fate[kind],
      phase: planned.phase,
      jobId: jobIdOf(session, kind),
      file: fileOf(session, kind),
      bytes: planned.bytes[kind],
      wiped: false,
    }));
  });
  const inPhase = (phase: CustodyPhase) => artifacts.filter((a) => a.phase === phase);
  const announced = (list: CustodyArtifact[]) => list.filter((a) => a.webhookStatus !== undefined);
  const settled = (a: CustodyArtifact) => outcomes.about(a.jobId).length > 0;
  const archived = (a: CustodyArtifact) => outcomes.about(a.jobId).some((o) => o.type === 'archived');
  let latestExpiry = 0;

  const endPhase = async (phase: CustodyPhase) => {
    const list = inPhase(phase);
    for (const session of new Set(list.map((a) => a.session))) {
      stand.endSession(session.id);
      await Promise.all(
        list
          .filter((a) => a.session === session && a.fate !== 'never')
          .map(async (a) => {
            // A late webhook carries the link it was sent with, whose life ended before it arrived.
            const link: Link = stand.artifacts.url(a.file, a.fate === 'late' ? -1000 : options.linkTtlMs);
            latestExpiry = Math.max(latestExpiry, link.expiresAt.getTime());
            a.webhookStatus = await fleet.post(artifactWebhook(session, a.kind, link, options.organizationId));
          }),
      );
    }
    const refused = announced(list).filter((a) => a.webhookStatus !== 202);
    if (refused.length > 0) throw new Error(`the ingress refused ${refused.length} webhook(s) of phase ${phase}: ${refused.map((a) => `${a.jobId} ${a.webhookStatus}`).join(', ')}`);
    say(`${phase}: ${new Set(list.map((a) => a.session)).size} sessions ended, ${announced(list).length} webhooks delivered (${list.filter((a) => a.fate === 'late').length} late), ${list.filter((a) => a.fate === 'never').length} never`);
  };
  const until = async (description: string, condition: () => boolean | Promise<boolean>, left?: () => CustodyArtifact[]) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) {
        const missing = left?.().map((a) => `${a.jobId} (${a.fate}, ${a.phase}${a.wiped ? ', wiped' : ''})`) ?? [];
        throw new Error(`custody chaos: timed out after ${timeoutMs} ms waiting for ${description}${missing.length > 0 ? `; still ${missing.length}: ${missing.slice(0, 20).join(', ')}` : ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const queued = (list: CustodyArtifact[]) => async () => (await Promise.all(announced(list).map((a) => fleet.jobState(a.jobId)))).every((state) => state !== 'unknown');

  await endPhase('steady');
  await until('an outcome for every webhook of the steady phase', () => announced(inPhase('steady')).every(settled), () => announced(inPhase('steady')).filter((a) => !settled(a)));

  await fleet.stopDownloaders();
  const stoppedAt = Date.now();
  say('downloaders stopped');
  await endPhase('before_wipe');
  await until('a job for every webhook delivered before the wipe', queued(inPhase('before_wipe')));
  const jobsWiped = await fleet.jobsInFlight();
  for (const a of announced(artifacts)) a.wiped = !settled(a);
  await fleet.wipeQueue();
  say(`download queue wiped: ${jobsWiped} job(s) in flight, ${artifacts.filter((a) => a.wiped).length} of them announced by a webhook, and every completed job`);
  await endPhase('after_wipe');
  await until('a job for every webhook delivered after the wipe', queued(inPhase('after_wipe')));
  // Stopped for longer than a link lives: every link the phases' webhooks carried has expired.
  await until('the links delivered while the downloaders were stopped to expire', () => Date.now() > Math.max(latestExpiry, stoppedAt + options.linkTtlMs) + 1000);
  await fleet.startDownloaders();
  const downloadersStoppedMs = Date.now() - stoppedAt;
  say(`downloaders restarted after ${(downloadersStoppedMs / 1000).toFixed(1)} s (links live ${(options.linkTtlMs / 1000).toFixed(1)} s)`);
  await endPhase('restarted');

  if (options.api) await until('every artifact archived', () => artifacts.every(archived), () => artifacts.filter((a) => !archived(a)));
  else {
    const expected = () => announced(artifacts).filter((a) => !a.wiped);
    await until('an outcome for every artifact announced and not wiped', () => expected().every(settled), () => expected().filter((a) => !settled(a)));
  }
  await until('no download job in flight', async () => (await fleet.jobsInFlight()) === 0);
  if (fleet.nextSweep) {
    await fleet.nextSweep();
    await until('no download job in flight after one more sweep', async () => (await fleet.jobsInFlight()) === 0);
  }
  say(`settled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { artifacts, jobsWiped, downloadersStoppedMs, tookMs: Date.now() - started };
}
