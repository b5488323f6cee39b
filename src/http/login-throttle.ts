import type { AppContext } from '../core/context.js';
import { RateLimitError } from '../core/errors.js';
import { recordAudit } from '../services/admin/audit.js';

/** The audit log's action when a name or an address starts being refused. */
export const THROTTLE_AUDIT_ACTION = 'login.throttled';

interface Failures {
  /** Failures counted in the window that started with the first of them. */
  count: number;
  windowStart: number;
  /** Set once the limit is reached: refused until then. */
  blockedUntil?: number;
}

const MAX_KEYS = 100_000;

/**
 * Failed sign-ins counted per name given (a username or a token's user code, known or not, so that
 * throttling says nothing about which names exist) and per client address, in memory (one node).
 * Past `maxFailuresPerUser` (or `…PerAddress`) failures within the window the name (the address) is
 * refused with a 429 and `Retry-After` for one window from the failure that reached the limit,
 * correct credentials included (even ones in the verified-credentials cache); a success clears the
 * name's count.
 */
export class LoginThrottle {
  private readonly users = new Map<string, Failures>();
  private readonly addresses = new Map<string, Failures>();
  private readonly windowMs: number;

  constructor(private readonly ctx: AppContext) {
    this.windowMs = ctx.config.loginThrottle.windowSeconds * 1000;
  }

  private get enabled(): boolean {
    return this.ctx.config.loginThrottle.enabled;
  }

  /** Throws RateLimitError while `name` or `address` is refused. */
  check(name: string, address: string, now = Date.now()): void {
    if (!this.enabled) return;
    const user = this.users.get(name);
    if (user?.blockedUntil !== undefined && user.blockedUntil > now) {
      throw new RateLimitError(`Too many failed sign-ins as ${name}: try again in ${seconds(user.blockedUntil - now)} seconds.`, seconds(user.blockedUntil - now));
    }
    const from = this.addresses.get(address);
    if (from?.blockedUntil !== undefined && from.blockedUntil > now) {
      throw new RateLimitError(`Too many failed sign-ins from this address: try again in ${seconds(from.blockedUntil - now)} seconds.`, seconds(from.blockedUntil - now));
    }
  }

  /** Counts one failure; the failure that reaches a limit starts the refusal and is audited. */
  async failed(name: string, address: string, now = Date.now()): Promise<void> {
    if (!this.enabled) return;
    const { maxFailuresPerUser, maxFailuresPerAddress } = this.ctx.config.loginThrottle;
    const blockedUser = this.count(this.users, name, maxFailuresPerUser, now);
    const blockedAddress = this.count(this.addresses, address, maxFailuresPerAddress, now);
    for (const [started, target, limit] of [
      [blockedUser, `user ${name}`, maxFailuresPerUser],
      [blockedAddress, `address ${address}`, maxFailuresPerAddress],
    ] as const) {
      if (!started) continue;
      this.ctx.log.warn({ target, remoteAddress: address }, `sign-ins refused for ${target}: ${limit} failures`);
      try {
        await recordAudit(this.ctx.store.db, {
          time: this.ctx.now().toISOString(),
          username: name,
          remoteAddress: address,
          action: THROTTLE_AUDIT_ACTION,
          target,
          detail: { failures: limit, windowSeconds: this.windowMs / 1000, refusedUntil: new Date(now + this.windowMs).toISOString() },
        });
      } catch (err) {
        this.ctx.log.error({ err }, 'could not write the audit log');
      }
    }
  }

  /** A success: the name starts again from no failures. */
  succeeded(name: string): void {
    this.users.delete(name);
  }

  /** True when this failure reached the limit (the refusal starts now). */
  private count(map: Map<string, Failures>, key: string, max: number, now: number): boolean {
    let entry = map.get(key);
    if (!entry || (entry.blockedUntil === undefined && now - entry.windowStart >= this.windowMs) || (entry.blockedUntil !== undefined && entry.blockedUntil <= now)) {
      if (map.size >= MAX_KEYS) this.prune(map, now);
      entry = { count: 0, windowStart: now };
      map.set(key, entry);
    }
    entry.count += 1;
    if (entry.blockedUntil === undefined && entry.count >= max) {
      entry.blockedUntil = now + this.windowMs;
      return true;
    }
    return false;
  }

  private prune(map: Map<string, Failures>, now: number): void {
    for (const [key, entry] of map) {
      if ((entry.blockedUntil ?? entry.windowStart + this.windowMs) <= now) map.delete(key);
    }
    // Still full (an attack from many names at once): forget the oldest half rather than grow.
    if (map.size >= MAX_KEYS) for (const key of [...map.keys()].slice(0, MAX_KEYS / 2)) map.delete(key);
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

const throttles = new WeakMap<AppContext, LoginThrottle>();

/** The throttle of the server `ctx` belongs to (each test server has its own). */
export function loginThrottle(ctx: AppContext): LoginThrottle {
  let throttle = throttles.get(ctx);
  if (!throttle) {
    throttle = new LoginThrottle(ctx);
    throttles.set(ctx, throttle);
  }
  return throttle;
}
