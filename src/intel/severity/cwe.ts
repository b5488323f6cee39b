/**
 * CWE ids appear as "CWE-79", "cwe-79", "79" or the number 79 depending on the source (OSV's
 * database_specific.cwe_ids, NVD, the reference's `cweId`). Tollgate keeps the number and writes
 * the "CWE-79" form.
 */
export function cweNumber(value: string | number | null | undefined): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(?:CWE[-_ ]?)?0*(\d+)\s*$/i.exec(value);
  if (!match) return undefined;
  const n = Number(match[1]);
  return n > 0 ? n : undefined;
}

/** "CWE-79" for any accepted spelling; undefined for what is not a CWE id ("NVD-CWE-Other", "CWE-noinfo"). */
export function normalizeCweId(value: string | number | null | undefined): string | undefined {
  const n = cweNumber(value);
  return n === undefined ? undefined : `CWE-${n}`;
}

/** Normalized, de-duplicated CWE ids in their first-seen order; unreadable entries are dropped. */
export function normalizeCweIds(values: ReadonlyArray<string | number | null | undefined> | null | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    const id = normalizeCweId(v);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}
