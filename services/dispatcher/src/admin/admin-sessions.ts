import { createHash, randomBytes } from 'node:crypto';

/** Limits of the dashboard's browser sessions. */
export interface AdminSessionsOptions {
  /** A session ends this long after its login, however active (12 h). */
  absoluteMs: number;
  /** A session ends after this long without a request (2 h). */
  idleMs: number;
  /** Most sessions kept; past it the oldest end first, so memory stays bounded. */
  maxSessions: number;
  now: () => number;
}

export const DEFAULT_SESSION_OPTIONS: AdminSessionsOptions = { absoluteMs: 12 * 3600_000, idleMs: 2 * 3600_000, maxSessions: 1000, now: Date.now };

interface Session {
  expiresAt: number;
  lastSeenAt: number;
}

// Keyed by a digest of the id, so that neither a lookup's timing nor a heap dump gives away a live cookie.
const keyOf = (id: string) => createHash('sha256').update(id).digest('base64');

/**
 * Server-side sessions of the queue dashboard, in this process's memory: an id is 32 random bytes that say nothing
 * about the token, ends at an absolute expiry or when idle, and can be deleted (logout). A restart of the
 * dispatcher ends every session.
 */
export class AdminSessions {
  private readonly options: AdminSessionsOptions;
  // A Map iterates in insertion order: the first entry is the oldest login.
  private readonly sessions = new Map<string, Session>();

  constructor(options: Partial<AdminSessionsOptions> = {}) {
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...options };
  }

  /** Starts a session; `id` goes into the cookie, `expiresAt` is its absolute end (ms since the epoch). */
  create(): { id: string; expiresAt: number } {
    const now = this.options.now();
    this.prune(now);
    while (this.sessions.size >= this.options.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const id = randomBytes(32).toString('hex');
    const expiresAt = now + this.options.absoluteMs;
    this.sessions.set(keyOf(id), { expiresAt, lastSeenAt: now });
    return { id, expiresAt };
  }

  /** True when `id` is a live session, which then counts as used now; an ended one is forgotten. */
  touch(id: string | undefined): boolean {
    if (!id) return false;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (!session) return false;
    const now = this.options.now();
    if (this.ended(session, now)) {
      this.sessions.delete(key);
      return false;
    }
    session.lastSeenAt = now;
    return true;
  }

  /** Ends a session (logout); an unknown id is ignored. */
  delete(id: string | undefined): void {
    if (id) this.sessions.delete(keyOf(id));
  }

  /** Sessions held in memory. */
  get size(): number {
    return this.sessions.size;
  }

  private ended(session: Session, now: number): boolean {
    return now >= session.expiresAt || now - session.lastSeenAt > this.options.idleMs;
  }

  private prune(now: number): void {
    for (const [key, session] of this.sessions) if (this.ended(session, now)) this.sessions.delete(key);
  }
}
