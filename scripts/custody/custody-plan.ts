/** What happens to the webhook that announces an artifact: delivered while its link works, after it expired, or never. */
export type WebhookFate = 'on_time' | 'late' | 'never';

/** The kinds of artifact every session of the scenario has (a recording: its video only). */
export type CustodyKind = 'chat' | 'transcript' | 'summary' | 'recording';

export const CUSTODY_KINDS: readonly CustodyKind[] = ['chat', 'transcript', 'summary', 'recording'];
export const WEBHOOK_FATES: readonly WebhookFate[] = ['on_time', 'late', 'never'];

/**
 * When a session ends in the scenario's timeline: while the downloaders run (`steady`), while they are stopped and
 * before the queue is wiped (`before_wipe`: its jobs are wiped), while stopped after the wipe (`after_wipe`: its
 * links expire before a downloader sees them), or after the downloaders restarted (`restarted`).
 */
export type CustodyPhase = 'steady' | 'before_wipe' | 'after_wipe' | 'restarted';

export const CUSTODY_PHASES: readonly CustodyPhase[] = ['steady', 'before_wipe', 'after_wipe', 'restarted'];

/** One session of the plan: when it ends, its files' sizes and each artifact's webhook fate. */
export interface PlannedSession {
  index: number;
  phase: CustodyPhase;
  bytes: Record<CustodyKind, number>;
  fate: Record<CustodyKind, WebhookFate>;
}

/** The shape of a custody scenario; every field has a default (the issue's: 50 sessions, 30% never, 20% late). */
export interface CustodyPlanOptions {
  sessions?: number;
  /** Share of the webhooks never delivered. */
  neverShare?: number;
  /** Share of the webhooks delivered after their link expired. */
  lateShare?: number;
  /** Recording sizes are spread over this range (bytes). */
  recordingBytes?: [number, number];
  /** Chat, transcript and summary sizes are spread over this range (bytes). */
  textBytes?: [number, number];
}

const KiB = 1024;

/** The sessions of a custody scenario, the same for the same options (no randomness: a failing run can be rerun). */
export function custodyPlan(options: CustodyPlanOptions = {}): PlannedSession[] {
  const n = options.sessions ?? 50;
  if (!Number.isInteger(n) || n < 4) throw new Error(`sessions must be an integer >= 4 (one per phase at least), got ${n}`);
  const never = Math.round(n * (options.neverShare ?? 0.3));
  const late = Math.round(n * (options.lateShare ?? 0.2));
  if (never + late > n) throw new Error(`neverShare + lateShare must be at most 1 (got ${never} never and ${late} late of ${n})`);
  const [recordingMin, recordingMax] = options.recordingBytes ?? [64 * KiB, 512 * KiB];
  const [textMin, textMax] = options.textBytes ?? [2 * KiB, 24 * KiB];
  // Exactly `never` and `late` sessions per kind, spread over the sessions (and so over the phases) by a stride
  // coprime with n, shifted per kind so that one session's artifacts do not all share a fate.
  const fates: WebhookFate[] = [...Array<WebhookFate>(never).fill('never'), ...Array<WebhookFate>(late).fill('late'), ...Array<WebhookFate>(n - never - late).fill('on_time')];
  const stride = [7, 11, 13, 17, 19, 23, 29, 31].find((m) => gcd(m, n) === 1) ?? 1;
  const fateOf = (index: number, kind: number) => fates[(index * stride + kind * 3) % n] as WebhookFate;
  // 40% of the sessions end in steady running, 20% in each other phase.
  const phaseOf = (index: number): CustodyPhase => {
    const share = index / n;
    return share < 0.4 ? 'steady' : share < 0.6 ? 'before_wipe' : share < 0.8 ? 'after_wipe' : 'restarted';
  };
  const spread = (index: number, salt: number, [min, max]: [number, number]) => min + Math.floor((((index * 37 + salt * 101) % n) / n) * (max - min));
  return Array.from({ length: n }, (_, index) => ({
    index,
    phase: phaseOf(index),
    bytes: {
      chat: spread(index, 1, [textMin, textMax]),
      transcript: spread(index, 2, [textMin, textMax]),
      summary: spread(index, 3, [textMin, textMax]),
      recording: spread(index, 4, [recordingMin, recordingMax]),
    },
    fate: { chat: fateOf(index, 0), transcript: fateOf(index, 1), summary: fateOf(index, 2), recording: fateOf(index, 3) },
  }));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
