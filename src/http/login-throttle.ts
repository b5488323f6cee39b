import { sql } from 'kysely';
import type { AppContext } from '../core/context.js';
import { RateLimitError } from '../core/errors.js';
import { recordAudit } from '../services/admin/audit.js';

/** The audit log's action when a name or an address starts being refused. */
export const THROTTLE_AUDIT_ACTION = 'login.throttled';

/** How often a server deletes counts whose window is over (cheap: an indexed delete). */
const PURGE_EVERY_MS = 60_000;

type Kind = 'user' | 'address';

interface Row {
  kind: string;
  count: number | string;
  blocked_until: string | null;
}

/** What `check` found: whether the name has failures counted, so a success clears them. */
export interface ThrottleState {
  userFailures: boolean;
}

/**
 * Failed sign-ins counted per name given (a username or a token's user code, known or not, so that
 * throttling says nothing about which names exist) and per client address, in the database
 * (`login_failures`), so that every node on it counts the same failures: N nodes do not give an
 * attacker N times the attempts. Past `maxFailuresPerUser` (or `…PerAddress`) failures within the
 * window the name (the address) is refused with a 429 and `Retry-After` for one window from the
 * failure that reached the limit, correct credentials included (even ones in the verified-
 * credentials cache); a success clears the name's count. A sign-in costs one indexed read; only
 * failures write, and a success only when the name had failures.
 */
export class LoginThrottle {
  private readonly windowMs: number;
  private lastPurge = 0;

  constructor(private readonly ctx: AppContext) {
    this.windowMs = ctx.config.loginThrottle.windowSeconds * 1000;
  }

  private get enabled(): boolean {
    return this.ctx.config.loginThrottle.enabled;
  }

  /** Throws RateLimitError while `name` or `address` is refused. */
  async check(name: string, address: string, now = this.ctx.now()): Promise<ThrottleState> {
    if (!this.enabled) return { userFailures: false };
    const rows = await this.ctx.store.db
      .selectFrom('login_failures')
      .select(['kind', 'blocked_until', 'expires_at'])
      .where((eb) => eb.or([eb.and([eb('kind', '=', 'user'), eb('key', '=', name)]), eb.and([eb('kind', '=', 'address'), eb('key', '=', address)])]))
      .execute();
    const at = now.toISOString();
    const user = rows.find((r) => r.kind === 'user');
    const from = rows.find((r) => r.kind === 'address');
    if (user?.blocked_until && user.blocked_until > at) {
      const wait = seconds(Date.parse(user.blocked_until) - now.getTime());
      throw new RateLimitError(`Too many failed sign-ins as ${name}: try again in ${wait} seconds.`, wait);
    }
    if (from?.blocked_until && from.blocked_until > at) {
      const wait = seconds(Date.parse(from.blocked_until) - now.getTime());
      throw new RateLimitError(`Too many failed sign-ins from this address: try again in ${wait} seconds.`, wait);
    }
    return { userFailures: user !== undefined && user.expires_at > at };
  }

  /** Counts one failure; the failure that reaches a limit starts the refusal and is audited (once, on whichever node). */
  async failed(name: string, address: string, now = this.ctx.now()): Promise<void> {
    if (!this.enabled) return;
    const { maxFailuresPerUser, maxFailuresPerAddress } = this.ctx.config.loginThrottle;
    const blockedUser = await this.count('user', name, maxFailuresPerUser, now);
    const blockedAddress = await this.count('address', address, maxFailuresPerAddress, now);
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
          detail: { failures: limit, windowSeconds: this.windowMs / 1000, refusedUntil: new Date(now.getTime() + this.windowMs).toISOString() },
        });
      } catch (err) {
        this.ctx.log.error({ err }, 'could not write the audit log');
      }
    }
    if (now.getTime() - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = now.getTime();
      await this.ctx.store.db.deleteFrom('login_failures').where('expires_at', '<=', now.toISOString()).execute();
    }
  }

  /** A success: the name starts again from no failures (a write only when `check` found some). */
  async succeeded(name: string, state: ThrottleState): Promise<void> {
    if (!state.userFailures) return;
    await this.ctx.store.db.deleteFrom('login_failures').where('kind', '=', 'user').where('key', '=', name).execute();
  }

  /**
   * Adds one failure in one statement (an upsert, atomic on both databases, so failures on several
   * nodes at once are all counted): a count whose window or refusal is over starts again at 1.
   * True when this failure reached the limit: the conditional UPDATE that starts the refusal
   * succeeds for one caller only.
   */
  private async count(kind: Kind, key: string, max: number, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const windowFloor = new Date(now.getTime() - this.windowMs).toISOString();
    const end = new Date(now.getTime() + this.windowMs).toISOString();
    const stale = sql`((login_failures.blocked_until IS NULL AND login_failures.window_start <= ${windowFloor}) OR (login_failures.blocked_until IS NOT NULL AND login_failures.blocked_until <= ${at}))`;
    const { rows } = await sql<Row>`
      INSERT INTO login_failures (kind, key, window_start, count, blocked_until, expires_at)
      VALUES (${kind}, ${key}, ${at}, 1, NULL, ${end})
      ON CONFLICT (kind, key) DO UPDATE SET
        count = CASE WHEN ${stale} THEN 1 ELSE login_failures.count + 1 END,
        window_start = CASE WHEN ${stale} THEN excluded.window_start ELSE login_failures.window_start END,
        expires_at = CASE WHEN ${stale} THEN excluded.expires_at ELSE login_failures.expires_at END,
        blocked_until = CASE WHEN ${stale} THEN NULL ELSE login_failures.blocked_until END
      RETURNING kind, count, blocked_until`.execute(this.ctx.store.db);
    const row = rows[0];
    if (!row || row.blocked_until !== null || Number(row.count) < max) return false;
    const started = await this.ctx.store.db
      .updateTable('login_failures')
      .set({ blocked_until: end, expires_at: end })
      .where('kind', '=', kind)
      .where('key', '=', key)
      .where('blocked_until', 'is', null)
      .executeTakeFirst();
    return Number(started.numUpdatedRows) > 0;
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
