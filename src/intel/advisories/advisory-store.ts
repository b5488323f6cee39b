/** The advisory tables: the only place with their SQL. Every query runs on SQLite and PostgreSQL. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AdvisoryImportTable } from '../../store/tables/advisories.js';
import { groupRecords } from './aliases.js';
import { ecosystemKey } from './names.js';
import type { Advisory, OsvSeverity } from './osv.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Bound parameters per statement, well under SQLite's (32,766) and PostgreSQL's (65,535) limits. */
const MAX_PARAMETERS = 20_000;

async function insertChunked<T extends keyof Database & string>(db: Db, table: T, rows: Database[T][]): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / perRow));
  for (let i = 0; i < rows.length; i += size) {
    // biome-ignore lint/suspicious/noExplicitAny: Kysely cannot type an insert into a table chosen by a type parameter.
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}

function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The stored `modified` of those of `ids` that are stored. */
export async function storedModified(db: Db, ids: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const part of chunks(ids)) {
    const rows = await db.selectFrom('advisories').select(['id', 'modified']).where('id', 'in', part).execute();
    for (const row of rows) found.set(row.id, row.modified);
  }
  return found;
}

export async function deleteAdvisories(db: Db, ids: string[]): Promise<void> {
  for (const part of chunks(ids)) {
    await db.deleteFrom('advisory_packages').where('advisory_id', 'in', part).execute();
    await db.deleteFrom('advisory_aliases').where('advisory_id', 'in', part).execute();
    await db.deleteFrom('advisories').where('id', 'in', part).execute();
  }
}

/** Inserts records; their group is set to their own id until `regroup` runs. */
export async function insertAdvisories(db: Db, advisories: Advisory[], source: string, importedAt: string): Promise<void> {
  await insertChunked(
    db,
    'advisories',
    advisories.map((a) => ({
      id: a.id,
      group_id: a.id,
      modified: a.modified,
      published: a.published,
      withdrawn: a.withdrawn,
      summary: a.summary,
      aliases: JSON.stringify(a.aliases),
      severity: JSON.stringify(a.severity),
      cwe_ids: JSON.stringify(a.cweIds),
      rating: a.rating,
      source,
      imported_at: importedAt,
      record: JSON.stringify(a.record),
    })),
  );
  await insertChunked(
    db,
    'advisory_packages',
    advisories.flatMap((a) =>
      a.packages.map((p, seq) => ({
        advisory_id: a.id,
        seq,
        ecosystem: ecosystemKey(p.ecosystem),
        name: p.name,
        affected: JSON.stringify(p.affected),
      })),
    ),
  );
  await insertChunked(
    db,
    'advisory_aliases',
    advisories.flatMap((a) => [a.id, ...a.aliases].map((alias) => ({ alias, advisory_id: a.id }))),
  );
}

/**
 * Recomputes every record's alias group from all stored records and writes the ones that changed.
 * Whole-store, so that a record which gains or drops an alias regroups everything it touches.
 */
export async function regroup(db: Db): Promise<number> {
  const rows = await db.selectFrom('advisories').select(['id', 'aliases', 'withdrawn', 'group_id']).execute();
  const groups = groupRecords(
    rows.map((r) => ({ id: r.id, aliases: JSON.parse(r.aliases) as string[], withdrawn: r.withdrawn !== null })),
  );
  const changed: [id: string, group: string][] = [];
  for (const row of rows) {
    const group = groups.get(row.id)!;
    if (group !== row.group_id) changed.push([row.id, group]);
  }
  // One statement per 500 records: `SET group_id = CASE id WHEN … THEN … END`.
  for (const part of chunks(changed)) {
    await db
      .updateTable('advisories')
      .set((eb) => {
        let when = eb.case(eb.ref('id')).when(eb.val(part[0][0])).then(eb.val(part[0][1]));
        for (const [id, group] of part.slice(1)) when = when.when(eb.val(id)).then(eb.val(group));
        return { group_id: when.else(eb.ref('group_id')).end() };
      })
      .where(
        'id',
        'in',
        part.map(([id]) => id),
      )
      .execute();
  }
  return changed.length;
}

export async function recordImport(db: Db, row: AdvisoryImportTable): Promise<void> {
  await db.insertInto('advisory_imports').values(row).execute();
}

/** Changes whenever an import changed something: the in-memory index compares it to know it is stale. */
export async function dataGeneration(db: Db): Promise<string> {
  const row = await db
    .selectFrom('advisory_imports')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('finished_at').as('last')])
    .where('status', '=', 'imported')
    .where((eb) => eb(eb('added', '+', eb.ref('updated')), '>', 0))
    .executeTakeFirst();
  return `${Number(row?.n ?? 0)}:${row?.last ?? ''}`;
}

/** One row per affected package of a record that is not withdrawn, for the index. */
export interface AffectedRow {
  advisory_id: string;
  ecosystem: string;
  name: string;
  affected: string;
}

/**
 * Pages through the affected packages of live records, every package whole in one page (so the
 * index compiles each page's packages and lets their JSON go), a few hundred packages a page, in
 * (ecosystem, name) order.
 */
export async function* liveAffectedRows(db: Db, packagesPerPage = 250): AsyncGenerator<AffectedRow[]> {
  const packages = await db.selectFrom('advisory_packages').select(['ecosystem', 'name']).distinct().orderBy('ecosystem').orderBy('name').execute();
  for (let i = 0; i < packages.length; ) {
    // One ecosystem per page: its names then fit one IN list.
    const ecosystem = packages[i].ecosystem;
    const names: string[] = [];
    for (; i < packages.length && packages[i].ecosystem === ecosystem && names.length < packagesPerPage; i++) names.push(packages[i].name);
    const rows = await db
      .selectFrom('advisory_packages as p')
      .innerJoin('advisories as a', 'a.id', 'p.advisory_id')
      .select(['p.advisory_id', 'p.ecosystem', 'p.name', 'p.affected'])
      .where('a.withdrawn', 'is', null)
      .where('p.ecosystem', '=', ecosystem)
      .where('p.name', 'in', names)
      .orderBy('p.advisory_id')
      .orderBy('p.seq')
      .execute();
    if (rows.length) yield rows;
  }
}

export interface AdvisorySummaryRow {
  id: string;
  group_id: string;
  summary: string | null;
  aliases: string[];
  severity: OsvSeverity[];
  cweIds: string[];
  /** the record's qualitative rating, upper case, when it gives one */
  rating: string | null;
  published: string | null;
  modified: string;
  withdrawn: string | null;
}

function toSummary(r: {
  id: string;
  group_id: string;
  summary: string | null;
  aliases: string;
  severity: string;
  cwe_ids: string;
  rating: string | null;
  published: string | null;
  modified: string;
  withdrawn: string | null;
}): AdvisorySummaryRow {
  return {
    id: r.id,
    group_id: r.group_id,
    summary: r.summary,
    aliases: JSON.parse(r.aliases),
    severity: JSON.parse(r.severity),
    cweIds: JSON.parse(r.cwe_ids),
    rating: r.rating,
    published: r.published,
    modified: r.modified,
    withdrawn: r.withdrawn,
  };
}

const SUMMARY_COLUMNS = ['id', 'group_id', 'summary', 'aliases', 'severity', 'cwe_ids', 'rating', 'published', 'modified', 'withdrawn'] as const;

/** Everything but the records themselves, of every live record. */
export async function liveAdvisorySummaries(db: Db): Promise<AdvisorySummaryRow[]> {
  const rows = await db.selectFrom('advisories').select(SUMMARY_COLUMNS).where('withdrawn', 'is', null).execute();
  return rows.map(toSummary);
}

/** The records of the vulnerability known by `name` (any id or alias), withdrawn ones included. */
export async function advisoryGroupByName(db: Db, name: string): Promise<AdvisorySummaryRow[]> {
  const rows = await db
    .selectFrom('advisories')
    .select(SUMMARY_COLUMNS)
    .where('group_id', 'in', (eb) =>
      eb
        .selectFrom('advisory_aliases as x')
        .innerJoin('advisories as y', 'y.id', 'x.advisory_id')
        .select('y.group_id')
        .where('x.alias', '=', name),
    )
    .orderBy('id')
    .execute();
  return rows.map(toSummary);
}

/** The stored OSV record with this id. */
export async function advisoryRecord(db: Db, id: string): Promise<unknown | undefined> {
  const row = await db.selectFrom('advisories').select('record').where('id', '=', id).executeTakeFirst();
  return row ? JSON.parse(row.record) : undefined;
}

export interface AdvisoryCounts {
  records: number;
  withdrawn: number;
  packages: number;
  groups: number;
}

export async function advisoryCounts(db: Db): Promise<AdvisoryCounts> {
  const a = await db
    .selectFrom('advisories')
    .select((eb) => [
      eb.fn.countAll<number>().as('records'),
      eb.fn.count<number>('withdrawn').as('withdrawn'),
      eb.fn.count<number>('group_id').distinct().as('groups'),
    ])
    .executeTakeFirstOrThrow();
  const p = await db.selectFrom('advisory_packages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { records: Number(a.records), withdrawn: Number(a.withdrawn), groups: Number(a.groups), packages: Number(p.n) };
}

export async function countByEcosystem(db: Db, ecosystem: string): Promise<number> {
  const row = await db
    .selectFrom('advisory_packages')
    .select((eb) => eb.fn.count<number>('advisory_id').distinct().as('n'))
    .where('ecosystem', '=', ecosystemKey(ecosystem))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
