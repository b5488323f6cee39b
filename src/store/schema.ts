/**
 * The database's tables, as Kysely sees them.
 *
 * Each area declares its own tables in `store/tables/<area>.ts` by augmenting this interface
 * (`declare module '../schema.js' { interface Database { … } }`), so areas never edit one shared file.
 *
 * Portable column conventions (every query runs on SQLite and PostgreSQL):
 * - ids are text (32 lowercase hex characters unless the reference says otherwise);
 * - times are ISO-8601 text in UTC (`2026-01-02T03:04:05.678Z`), which sorts correctly as text;
 * - booleans are integers 0/1; JSON documents are text;
 * - counts from PostgreSQL arrive as strings: wrap them in Number().
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging from store/tables/*.
export interface Database {}
