/**
 * Alias groups: one vulnerability often has several records (PYSEC-…, GHSA-…, GO-…) and names
 * (CVE-…), linked by their `aliases`. Records are grouped by following aliases transitively, and
 * each group is named by one canonical id, so a vulnerability is reported once under all its names.
 */

/** Names people know best come first: CVE, then GHSA, then the rest. */
function rank(name: string): number {
  if (name.startsWith('CVE-')) return 0;
  if (name.startsWith('GHSA-')) return 1;
  return 2;
}

const collator = new Intl.Collator('en', { numeric: true });

/** The canonical id of a group of names: the same whatever order the names come in. */
function canonicalId(names: Iterable<string>): string {
  let best: string | undefined;
  for (const name of names) {
    if (best === undefined || rank(name) < rank(best) || (rank(name) === rank(best) && collator.compare(name, best) < 0)) {
      best = name;
    }
  }
  if (best === undefined) throw new Error('canonicalId of no names');
  return best;
}

export interface AliasedRecord {
  id: string;
  aliases: string[];
  /** withdrawn records link nothing: they are often withdrawn precisely because they were duplicates */
  withdrawn: boolean;
}

/** Groups records by their aliases; returns each record's group id. */
export function groupRecords(records: Iterable<AliasedRecord>): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (name: string): string => {
    let root = name;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    // Path compression keeps later look-ups short.
    for (let node = name, p = parent.get(node); p !== undefined && p !== root; node = p, p = parent.get(node)) {
      parent.set(node, root);
    }
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const ids: string[] = [];
  for (const record of records) {
    ids.push(record.id);
    if (!parent.has(record.id)) parent.set(record.id, record.id);
    if (record.withdrawn) continue;
    for (const alias of record.aliases) {
      if (!parent.has(alias)) parent.set(alias, alias);
      union(record.id, alias);
    }
  }
  const members = new Map<string, string[]>();
  for (const name of parent.keys()) {
    const root = find(name);
    const list = members.get(root);
    if (list) list.push(name);
    else members.set(root, [name]);
  }
  const canonical = new Map<string, string>();
  for (const [root, names] of members) canonical.set(root, canonicalId(names));
  const groups = new Map<string, string>();
  for (const id of ids) groups.set(id, canonical.get(find(id))!);
  return groups;
}
