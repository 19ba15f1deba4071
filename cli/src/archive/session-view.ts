import type { SessionArtifact, SessionState } from '../../../shared/src/index.js';

const iso = (micros: number | null) => (micros === null ? null : new Date(micros / 1000).toISOString());

/** One artifact of a session as `archive status` shows it, times in ISO 8601. */
export interface SessionArtifactView {
  jobId: string;
  kind: string;
  recordingId: string | null;
  state: string;
  announcedAt: string | null;
  expiresAt: string | null;
  location?: string;
  bytes?: number;
  sha256?: string;
  archivedAt?: string;
  reason?: string;
  detail?: string;
  failedAt?: string;
}

/** A session from the ledger as `archive status` shows it, times in ISO 8601. */
export interface SessionView {
  ledgerKey: string;
  sessionId: string | null;
  meetingId: string;
  organizationId: string | null;
  organizationName: string | null;
  title: string | null;
  startedAt: string | null;
  endedAt: string | null;
  updatedAt: string | null;
  summary: Partial<Record<string, number>>;
  artifacts: SessionArtifactView[];
}

function artifactView(artifact: SessionArtifact): SessionArtifactView {
  const view: SessionArtifactView = {
    jobId: artifact.jobId,
    kind: artifact.kind,
    recordingId: artifact.recordingId,
    state: artifact.state,
    announcedAt: iso(artifact.announcedAt),
    expiresAt: iso(artifact.expiresAt),
  };
  if (artifact.archived) {
    Object.assign(view, { location: artifact.archived.location, bytes: artifact.archived.bytes, sha256: artifact.archived.sha256, archivedAt: iso(artifact.archived.archivedAt) });
  }
  if (artifact.failure) Object.assign(view, { reason: artifact.failure.reason, detail: artifact.failure.detail, failedAt: iso(artifact.failure.failedAt) });
  return view;
}

/** The view of a session's ledger state. */
export function sessionView(state: SessionState): SessionView {
  const summary: Partial<Record<string, number>> = {};
  for (const artifact of state.artifacts) summary[artifact.state] = (summary[artifact.state] ?? 0) + 1;
  return {
    ledgerKey: state.ledgerKey,
    sessionId: state.sessionId,
    meetingId: state.meetingId,
    organizationId: state.organizationId,
    organizationName: state.organizationName,
    title: state.title,
    startedAt: iso(state.startedAt),
    endedAt: iso(state.endedAt),
    updatedAt: iso(state.updatedAt || null),
    summary,
    artifacts: state.artifacts.map(artifactView),
  };
}

/** The lines of text of a session: a heading, then one line per artifact. */
export function describeSession(view: SessionView): string[] {
  const counts = Object.entries(view.summary).map(([state, n]) => `${n} ${state}`).join(', ') || 'no artifact yet';
  const organizer = view.organizationId ? `, organization ${view.organizationId}${view.organizationName ? ` (${view.organizationName})` : ''}` : '';
  const lines = [
    `session ${view.ledgerKey} of meeting ${view.meetingId}${organizer}: started ${view.startedAt ?? 'not seen'}, ended ${view.endedAt ?? 'not seen'}; ${view.artifacts.length} artifact(s): ${counts}`,
  ];
  for (const artifact of view.artifacts) {
    const head = `  ${artifact.state.padEnd(9)} ${artifact.kind.padEnd(15)} ${artifact.jobId}`;
    const announced = artifact.announcedAt ? `announced ${artifact.announcedAt}` : 'announcement not seen';
    if (artifact.state === 'archived') {
      lines.push(`${head}  ${artifact.location ?? '?'}  ${artifact.bytes ?? '?'} bytes  sha256 ${artifact.sha256 ?? '?'}  at ${artifact.archivedAt ?? '?'}`);
    } else if (artifact.state === 'failed') {
      lines.push(`${head}  ${artifact.reason ?? '?'}: ${artifact.detail ?? ''}  at ${artifact.failedAt ?? '?'}  (${announced})`);
    } else {
      lines.push(`${head}  ${announced}, link expires ${artifact.expiresAt ?? 'never'}`);
    }
  }
  return lines;
}
