import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { ValidationError } from './errors.js';
import { randomBytes } from 'node:crypto';

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

let sequence = 0;
/** Ids that sort in the order entries were made (time, then a per-process counter). */
function auditId(time: string): string {
  sequence = (sequence + 1) % 0x1000000;
  return `${Date.parse(time).toString(16).padStart(12, '0')}${sequence.toString(16).padStart(6, '0')}${randomBytes(7).toString('hex')}`;
}

export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: auditId(entry.time),
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
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new ValidationError(`${name} must be a date in the format yyyy-mm-dd, got "${value}"`);
  }
  return `${value}T00:00:00.000Z`;
}

/**
 * The audit log between two UTC days (both inclusive) as text lines, oldest first:
 * `time user address action target detail`.
 */
export async function auditLines(db: Kysely<Database>, start: string | undefined, end: string | undefined, today: Date): Promise<string> {
  const from = parseDay(start, 'startUtcDate') ?? `${today.toISOString().slice(0, 10)}T00:00:00.000Z`;
  const endDay = parseDay(end, 'endUtcDate') ?? `${today.toISOString().slice(0, 10)}T00:00:00.000Z`;
  const until = new Date(Date.parse(endDay) + 86_400_000).toISOString();
  if (until <= from) throw new ValidationError('endUtcDate must not be before startUtcDate');
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('time', '>=', from)
    .where('time', '<', until)
    .orderBy('time')
    .orderBy('id')
    .execute();
  return rows
    .map((r) =>
      [r.time, r.username ?? '-', r.remote_address ?? '-', r.action, r.target ?? '-', r.detail ?? ''].join(' ').trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
