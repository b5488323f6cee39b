import { createHash, randomBytes } from 'node:crypto';

/** A new internal id: 32 lowercase hex characters, like the reference's. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** A stable id derived from a name, for built-in records that must be the same on every install. */
export function stableId(name: string): string {
  return createHash('sha256').update(`tollgate:${name}`).digest('hex').slice(0, 32);
}

export const ROOT_ORGANIZATION_ID = 'ROOT_ORGANIZATION_ID';
