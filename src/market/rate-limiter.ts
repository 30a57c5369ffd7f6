/** Where the limiter reads the time and how it waits: real time by default, a manual clock in tests. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realTime: LimiterClock = { now: () => Date.now(), sleep };

/**
 * Spaces requests to one host at least `intervalMs` apart (EDGAR allows 10 requests/s). A slot is
 * reserved before waiting, so concurrent callers queue instead of bursting together.
 */
export class HostRateLimiter {
  private readonly nextFree = new Map<string, number>();

  constructor(
    private readonly intervals: Record<string, number>,
    private readonly defaultIntervalMs = 0,
    private readonly clock: LimiterClock = realTime,
  ) {}

  async acquire(host: string): Promise<void> {
    const interval = this.intervals[host] ?? this.defaultIntervalMs;
    if (interval <= 0) return;
    const now = this.clock.now();
    const slot = Math.max(now, this.nextFree.get(host) ?? 0);
    this.nextFree.set(host, slot + interval);
    if (slot > now) await this.clock.sleep(slot - now);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
