import { ConflictError } from '../core/errors.js';

/**
 * Whether a database error is a unique-constraint (or primary-key) violation: SQLite's
 * SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY (better-sqlite3), PostgreSQL's 23505 (pg). Services check
 * for duplicates before they insert, but two requests may pass that check at once (PostgreSQL runs
 * them side by side): the constraint then decides, and this tells its error apart.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs a write whose duplicate the caller has already looked for; if the database still refuses
 * it as a duplicate (a concurrent request wrote the same name first), throws `ConflictError` with
 * the message the check gives, so both paths answer the same 409.
 */
export async function unlessDuplicate<T>(write: Promise<T>, message: string): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(message);
    throw err;
  }
}

/**
 * Runs a save that inserts a row when none is there and updates it otherwise (an override, a
 * setting per owner). When a concurrent save inserted the same row first, the database refuses
 * this one's insert as a duplicate: it is run once more, and then finds the row and updates it,
 * as if the two had come one after the other.
 */
export async function retryOnDuplicate<T>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return save();
  }
}
