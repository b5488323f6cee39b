import { createHash, randomBytes } from 'node:crypto';

/** A new internal id: 32 lowercase hex characters, like the reference's. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * `count` new ids at once: one call for random bytes instead of one per id (an evaluation names
 * every violation it finds, tens of thousands at a time).
 */
export function newIds(count: number): string[] {
  const hex = randomBytes(16 * count).toString('hex');
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = hex.slice(32 * i, 32 * i + 32);
  return out;
}

let sequence = 0;
/**
 * A new id that sorts in creation order (milliseconds, then a per-process counter, then random
 * bits), still 32 lowercase hex characters: for queues and logs read oldest first.
 */
export function sortableId(time: Date | string = new Date()): string {
  sequence = (sequence + 1) % 0x1000000;
  const ms = typeof time === 'string' ? Date.parse(time) : time.getTime();
  return `${ms.toString(16).padStart(12, '0')}${sequence.toString(16).padStart(6, '0')}${randomBytes(7).toString('hex')}`;
}

/** A stable id derived from a name, for built-in records that must be the same on every install. */
export function stableId(name: string): string {
  return createHash('sha256').update(`tollgate:${name}`).digest('hex').slice(0, 32);
}

export const ROOT_ORGANIZATION_ID = 'ROOT_ORGANIZATION_ID';
