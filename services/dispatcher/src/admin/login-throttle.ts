/** How fast wrong admin tokens are slowed down. */
export interface LoginThrottleOptions {
  /** Wrong tokens a client may send before it has to wait (5). */
  freeFailures: number;
  /** Wrong tokens from all clients together before every client has to wait (100). */
  globalFreeFailures: number;
  /** The first wait; each further failure doubles it (1 s). */
  baseDelayMs: number;
  /** The longest wait of one client (15 min). */
  maxDelayMs: number;
  /** The longest wait of everyone, shorter: while it lasts nobody can log in with the token (1 min). */
  globalMaxDelayMs: number;
  /** Failures are forgotten after this long without one (1 h). */
  forgetAfterMs: number;
  /** Most clients tracked; past it the least recently failing ones are forgotten (the global count still holds). */
  maxClients: number;
  now: () => number;
}

export const DEFAULT_THROTTLE_OPTIONS: LoginThrottleOptions = {
  freeFailures: 5,
  globalFreeFailures: 100,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  globalMaxDelayMs: 60_000,
  forgetAfterMs: 3600_000,
  maxClients: 10_000,
  now: Date.now,
};

interface Failures {
  count: number;
  lastAt: number;
  blockedUntil: number;
}

/**
 * Exponential back-off on wrong admin tokens, per client and for all clients together: past the free failures,
 * each failure makes the next try wait twice as long, up to a cap. While a wait lasts the token is not even
 * compared, so a guess costs a wait whatever it is. Memory is bounded by `maxClients`.
 */
export class LoginThrottle {
  private readonly options: LoginThrottleOptions;
  // Least recently failing first: an entry is moved to the end on every failure.
  private readonly clients = new Map<string, Failures>();
  private global: Failures = { count: 0, lastAt: 0, blockedUntil: 0 };

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.options = { ...DEFAULT_THROTTLE_OPTIONS, ...options };
  }

  /** How long `client` must wait before its token is compared; 0 when it may try now. */
  retryAfterMs(client: string): number {
    const now = this.options.now();
    const own = this.current(client, now);
    const wait = Math.max(own?.blockedUntil ?? 0, this.currentGlobal(now).blockedUntil) - now;
    return Math.max(0, wait);
  }

  /** Counts a wrong token of `client`; returns the wait it now has (0 while failures are free). */
  failed(client: string): number {
    const now = this.options.now();
    const own = this.current(client, now) ?? { count: 0, lastAt: now, blockedUntil: 0 };
    this.clients.delete(client);
    this.record(own, now, this.options.freeFailures, this.options.maxDelayMs);
    this.clients.set(client, own);
    while (this.clients.size > this.options.maxClients) {
      const oldest = this.clients.keys().next().value;
      if (oldest === undefined) break;
      this.clients.delete(oldest);
    }
    this.record(this.currentGlobal(now), now, this.options.globalFreeFailures, this.options.globalMaxDelayMs);
    return this.retryAfterMs(client);
  }

  /** A right token: the client's failures are forgotten (not everyone's). */
  succeeded(client: string): void {
    this.clients.delete(client);
  }

  /** Clients whose failures are remembered. */
  get trackedClients(): number {
    return this.clients.size;
  }

  private record(failures: Failures, now: number, free: number, maxDelayMs: number): void {
    failures.count++;
    failures.lastAt = now;
    if (failures.count >= free) {
      const doublings = Math.min(failures.count - free, 40);
      failures.blockedUntil = now + Math.min(maxDelayMs, this.options.baseDelayMs * 2 ** doublings);
    }
  }

  private current(client: string, now: number): Failures | undefined {
    const own = this.clients.get(client);
    if (own && now - own.lastAt > this.options.forgetAfterMs && now >= own.blockedUntil) {
      this.clients.delete(client);
      return undefined;
    }
    return own;
  }

  private currentGlobal(now: number): Failures {
    if (now - this.global.lastAt > this.options.forgetAfterMs && now >= this.global.blockedUntil) {
      this.global = { count: 0, lastAt: now, blockedUntil: 0 };
    }
    return this.global;
  }
}
