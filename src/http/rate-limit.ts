import { RateLimitError } from '../core/errors.js';

/** The message the reference product's cloud answers with, word for word. */
export const RATE_LIMIT_MESSAGE =
  'Rate limit exceeded. Please wait 5 minutes. If this is a recurring issue, reach out to your administrator or contact your Sonatype support representative.';

/** Fixed-window request counting per client address, in memory (one node). */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request from `key`; throws RateLimitError past the limit. */
  hit(key: string, now = Date.now()): void {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size > 100_000) this.prune(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count > this.max) {
      throw new RateLimitError(RATE_LIMIT_MESSAGE, Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000)));
    }
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
