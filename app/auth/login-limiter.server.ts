/**
 * Counts failed sign-ins per account and per client address in a sliding window. In memory on purpose: one process
 * serves the workspace (DESIGN.md decision 3), and a restart resetting the counters is acceptable.
 */
export interface LimiterOptions {
  maxPerAccount: number;
  maxPerIp: number;
  windowMs: number;
}

export type LimitCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

export class LoginLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly options: LimiterOptions,
    private readonly now: () => number = Date.now,
  ) {}

  check(account: string, ip: string): LimitCheck {
    const a = this.recent(`account:${account}`);
    const i = this.recent(`ip:${ip}`);
    const blocked: number[] = [];
    if (a.length >= this.options.maxPerAccount) blocked.push(a[a.length - this.options.maxPerAccount]);
    if (i.length >= this.options.maxPerIp) blocked.push(i[i.length - this.options.maxPerIp]);
    if (blocked.length === 0) return { allowed: true };
    const retryAfterMs = Math.max(...blocked.map((t) => t + this.options.windowMs - this.now()));
    return { allowed: false, retryAfterMs: Math.max(retryAfterMs, 1000) };
  }

  recordFailure(account: string, ip: string): void {
    for (const key of [`account:${account}`, `ip:${ip}`]) this.failures.set(key, [...this.recent(key), this.now()]);
  }

  /** A successful sign-in clears the account's failures, not the address's (one address may try many accounts). */
  recordSuccess(account: string): void {
    this.failures.delete(`account:${account}`);
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.options.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }
}
