import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AppContext } from '../../core/context.js';
import { sortableId } from '../../core/ids.js';
import { ValidationError } from '../../core/errors.js';

export interface AuditEntry {
  time: string;
  username: string | null;
  remoteAddress: string | null;
  action: string;
  target: string | null;
  detail: unknown;
}

/** Field names whose values never reach the audit log. */
const SECRET = /pass(word|code)?|secret|token|credential|apikey|api_key|privatekey/i;

/** A copy of `value` with every secret-looking field replaced by `***`. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET.test(k) ? '***' : redactSecrets(v, depth + 1);
  return out;
}

export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: sortableId(entry.time),
      time: entry.time,
      username: entry.username,
      remote_address: entry.remoteAddress,
      action: entry.action,
      target: entry.target,
      detail: entry.detail === undefined ? null : JSON.stringify(redactSecrets(entry.detail)),
    })
    .execute();
}

function parseDay(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const time = `${value}T00:00:00.000Z`;
  // Date.parse accepts 2026-02-30 (as March 2): a day is valid only if it survives the round trip.
  const parsed = Date.parse(time);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(parsed) || new Date(parsed).toISOString() !== time) {
    throw new ValidationError(`${name} must be a date in the format yyyy-mm-dd, got "${value}"`);
  }
  return time;
}

/** A logfmt value: bare when it is one plain word, else a JSON string. */
function field(value: string): string {
  return /^[^\s"=\\]+$/.test(value) ? value : JSON.stringify(value);
}

/**
 * One event as one line, `key=value` after the time so every part is unambiguous even when an action
 * name has spaces; the detail is JSON (secrets already redacted when it was recorded):
 * `2026-11-23T06:30:00.000Z user=admin from=127.0.0.1 action=organization.create target=/api/v2/organizations detail={"name":"Eng"}`
 */
export function formatAuditLine(row: { time: string; username: string | null; remote_address: string | null; action: string; target: string | null; detail: string | null }): string {
  const parts = [
    row.time,
    `user=${field(row.username ?? '-')}`,
    `from=${field(row.remote_address ?? '-')}`,
    `action=${field(row.action)}`,
    `target=${field(row.target ?? '-')}`,
  ];
  if (row.detail) parts.push(`detail=${row.detail.replace(/[\r\n]+/g, ' ')}`);
  return parts.join(' ');
}

/**
 * The audit log between two UTC days (both inclusive) as text lines, oldest first. Without dates it
 * is today's; with only one of them, that one day (or from startUtcDate to today).
 */
export async function auditLines(ctx: AppContext, start: string | undefined, end: string | undefined): Promise<string> {
  const today = ctx.now();
  const todayStart = `${today.toISOString().slice(0, 10)}T00:00:00.000Z`;
  const startDay = parseDay(start, 'startUtcDate');
  const endDay = parseDay(end, 'endUtcDate');
  const from = startDay ?? endDay ?? todayStart;
  const last = endDay ?? (startDay && startDay > todayStart ? startDay : todayStart);
  const until = new Date(Date.parse(last) + 86_400_000).toISOString();
  if (last < from) throw new ValidationError(`endUtcDate (${end}) must not be before startUtcDate (${start})`);
  const rows = await ctx.store.db
    .selectFrom('audit_log')
    .selectAll()
    .where('time', '>=', from)
    .where('time', '<', until)
    .orderBy('time')
    .orderBy('id')
    .execute();
  return rows.map((r) => `${formatAuditLine(r)}\n`).join('');
}
