/**
 * The NVD tables: the only place with their SQL, and the API the rest of Tollgate reads NVD data
 * through. Every query runs on SQLite and PostgreSQL.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { NvdCveTable, NvdImportTable } from '../../store/tables/nvd.js';
import { type NvdCve, type NvdReference, type NvdSeverity, REJECTED_STATUS } from './cve.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What NVD says of one CVE (`status` is NVD's vulnStatus; a `Rejected` CVE has no severity and no CWE ids). */
export type NvdRecord = NvdCve;

/** Ids per query: a bound parameter each. */
const IDS_PER_QUERY = 500;

function chunks<T>(items: T[], size = IDS_PER_QUERY): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The stored lastModified of those of `ids` that are stored. */
export async function storedLastModified(db: Db, ids: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks(ids)) {
    const rows = await db.selectFrom('nvd_cves').select(['id', 'last_modified']).where('id', 'in', part).execute();
    for (const row of rows) found.set(row.id, row.last_modified);
  }
  return found;
}

/** Inserts new CVEs and replaces stored ones, one statement per call (callers pass at most a batch). */
export async function writeCves(db: Db, cves: NvdCve[], importedAt: string): Promise<void> {
  if (cves.length === 0) return;
  await db
    .insertInto('nvd_cves')
    .values(
      cves.map((c) => ({
        id: c.id,
        published: c.published,
        last_modified: c.lastModified,
        vuln_status: c.status,
        severity: JSON.stringify(c.severity),
        cwe_ids: JSON.stringify(c.cweIds),
        description: c.description,
        references: JSON.stringify(c.references),
        imported_at: importedAt,
      })),
    )
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        published: eb.ref('excluded.published'),
        last_modified: eb.ref('excluded.last_modified'),
        vuln_status: eb.ref('excluded.vuln_status'),
        severity: eb.ref('excluded.severity'),
        cwe_ids: eb.ref('excluded.cwe_ids'),
        description: eb.ref('excluded.description'),
        references: eb.ref('excluded.references'),
        imported_at: eb.ref('excluded.imported_at'),
      })),
    )
    .execute();
}

export async function recordNvdImport(db: Db, row: NvdImportTable): Promise<void> {
  await db.insertInto('nvd_imports').values(row).execute();
}

function toRecord(row: Omit<NvdCveTable, 'imported_at'>): NvdRecord {
  return {
    id: row.id,
    published: row.published,
    lastModified: row.last_modified,
    status: row.vuln_status,
    severity: JSON.parse(row.severity) as NvdSeverity[],
    cweIds: JSON.parse(row.cwe_ids) as string[],
    description: row.description,
    references: JSON.parse(row.references) as NvdReference[],
  };
}

/**
 * What NVD says of each of `cveIds` it knows, keyed by the id as NVD writes it (upper case), 500
 * ids per query. Rejected CVEs are included, with their status, and carry no severity.
 */
export async function nvdRecordsFor(db: Db, cveIds: Iterable<string>): Promise<Map<string, NvdRecord>> {
  const ids = [...new Set([...cveIds].map((id) => id.toUpperCase()))].filter((id) => id.startsWith('CVE-'));
  const out = new Map<string, NvdRecord>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('nvd_cves')
      .select(['id', 'published', 'last_modified', 'vuln_status', 'severity', 'cwe_ids', 'description', 'references'])
      .where('id', 'in', part)
      .execute();
    for (const row of rows) out.set(row.id, toRecord(row));
  }
  return out;
}

/**
 * Changes whenever an import or sync changed NVD data (as the advisories' dataGeneration does), so
 * that in-memory structures built from it know they are stale.
 */
export async function nvdGeneration(db: Db): Promise<string> {
  const row = await db
    .selectFrom('nvd_imports')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('finished_at').as('last')])
    .where('status', '=', 'imported')
    .where((eb) => eb(eb('added', '+', eb.ref('updated')), '>', 0))
    .executeTakeFirst();
  return `${Number(row?.n ?? 0)}:${row?.last ?? ''}`;
}

export interface NvdAliasSeverity {
  id: string;
  severity: NvdSeverity[];
  cweIds: string[];
}

/**
 * The severity and CWE ids of every NVD CVE that some OSV record names (in `advisory_aliases`:
 * its id or an alias), a page at a time in id order, for the advisory index build. Rejected CVEs
 * are left out: they carry nothing.
 */
export async function* nvdSeveritiesForAliases(db: Db, pageSize = 5000): AsyncGenerator<NvdAliasSeverity[]> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('nvd_cves as n')
      .select(['n.id', 'n.severity', 'n.cwe_ids'])
      .where('n.id', '>', after)
      .where((eb) => eb.or([eb('n.vuln_status', 'is', null), eb('n.vuln_status', '<>', REJECTED_STATUS)]))
      .where(({ exists, selectFrom }) => exists(selectFrom('advisory_aliases as a').select('a.alias').whereRef('a.alias', '=', 'n.id')))
      .orderBy('n.id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({ id: r.id, severity: JSON.parse(r.severity) as NvdSeverity[], cweIds: JSON.parse(r.cwe_ids) as string[] }));
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].id;
  }
}

export interface NvdCounts {
  cves: number;
  rejected: number;
  /** CVEs with at least one CVSS vector */
  scored: number;
}

export async function nvdCounts(db: Db): Promise<NvdCounts> {
  const row = await db
    .selectFrom('nvd_cves')
    .select((eb) => [
      eb.fn.countAll<number>().as('cves'),
      eb.fn.sum<number>(eb.case().when('vuln_status', '=', REJECTED_STATUS).then(1).else(0).end()).as('rejected'),
      eb.fn.sum<number>(eb.case().when('severity', '<>', '[]').then(1).else(0).end()).as('scored'),
    ])
    .executeTakeFirstOrThrow();
  return { cves: Number(row.cves), rejected: Number(row.rejected ?? 0), scored: Number(row.scored ?? 0) };
}

export type NvdImportRow = NvdImportTable;

/** The newest import or sync row of the kind, successful or not. */
export async function lastNvdImport(db: Db, kind: 'import' | 'sync', status?: 'imported' | 'rejected'): Promise<NvdImportRow | undefined> {
  let query = db.selectFrom('nvd_imports').selectAll().where('kind', '=', kind);
  if (status) query = query.where('status', '=', status);
  return query.orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Where the next incremental sync starts: the high-water mark of the last successful sync. */
export async function lastSyncedUntil(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('nvd_imports')
    .select((eb) => eb.fn.max('synced_until').as('until'))
    .where('kind', '=', 'sync')
    .where('status', '=', 'imported')
    .executeTakeFirst();
  return row?.until ?? undefined;
}
