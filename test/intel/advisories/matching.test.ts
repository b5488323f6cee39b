import { describe, expect, it } from 'vitest';
import { versioningFor } from '../../../src/ecosystems/versioning/index.js';
import { AdvisoryIndex, type IndexOptions } from '../../../src/intel/advisories/advisory-index.js';
import { normalizePackageName } from '../../../src/intel/advisories/names.js';
import { type OsvAffected, type OsvEvent, type OsvRange, type OsvRecord, toAdvisory } from '../../../src/intel/advisories/osv.js';
import { semver2 } from '../../../src/intel/advisories/semver2.js';
import { osvRecord } from './helpers.js';

function index(records: OsvRecord[], options?: IndexOptions): AdvisoryIndex {
  return AdvisoryIndex.fromAdvisories(
    records.map((r) => {
      const parsed = toAdvisory(r);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.advisory;
    }),
    options,
  );
}

function one(ecosystem: string, name: string, affected: Omit<OsvAffected, 'package'>): OsvRecord {
  return osvRecord('TEST-1', { affected: [{ package: { ecosystem, name }, ...affected }] });
}

function affectedVersions(idx: AdvisoryIndex, ecosystem: string, name: string, versions: string[]): string[] {
  const results = idx.match(versions.map((version) => ({ ecosystem, name, version })));
  return versions.filter((_, i) => results[i].length > 0);
}

const range = (type: OsvRange['type'], ...events: OsvEvent[]): OsvRange => ({ type, events });

// The examples of the OSV schema (https://ossf.github.io/osv-schema/#examples), on npm (semver).
describe('OSV range semantics', () => {
  const cases: { name: string; ranges: OsvRange[]; affected: string[]; unaffected: string[] }[] = [
    {
      name: 'unfixed: introduced 0 alone affects every version',
      ranges: [range('SEMVER', { introduced: '0' })],
      affected: ['0.0.1', '1.0.0', '99.0.0', '1.0.0-alpha'],
      unaffected: [],
    },
    {
      name: 'fixed: everything before 1.0.2',
      ranges: [range('SEMVER', { introduced: '0' }, { fixed: '1.0.2' })],
      affected: ['0.0.0', '1.0.1', '1.0.2-rc.1'],
      unaffected: ['1.0.2', '1.0.3', '2.0.0'],
    },
    {
      name: 'multiple ranges in one: [1.0.0, 1.0.2) and [3.0.0, 3.2.5)',
      ranges: [range('SEMVER', { introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' })],
      affected: ['1.0.0', '1.0.1', '3.0.0', '3.2.4'],
      unaffected: ['0.9.9', '1.0.2', '2.5.0', '3.2.5', '4.0.0'],
    },
    {
      name: 'last_affected is itself affected, the next version not',
      ranges: [range('ECOSYSTEM', { introduced: '0' }, { last_affected: '2.1.214' })],
      affected: ['1.0.0', '2.1.214'],
      unaffected: ['2.1.215', '3.0.0'],
    },
    {
      name: 'events in any order are sorted first',
      ranges: [range('SEMVER', { fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' })],
      affected: ['1.0.1', '3.1.0'],
      unaffected: ['1.0.2', '2.0.0', '3.2.5'],
    },
    {
      name: 'limit: versions at or above every limit are out',
      ranges: [range('SEMVER', { introduced: '1.0.0' }, { limit: '2.0.0' })],
      affected: ['1.0.0', '1.9.9'],
      unaffected: ['0.9.0', '2.0.0', '5.0.0'],
    },
    {
      name: 'limit "*" is infinity',
      ranges: [range('SEMVER', { introduced: '1.0.0' }, { limit: '*' })],
      affected: ['1.0.0', '99.0.0'],
      unaffected: ['0.1.0'],
    },
    {
      name: 'several limits: below any one of them is enough',
      ranges: [range('SEMVER', { introduced: '1.0.0' }, { limit: '1.5.0' }, { limit: '3.0.0' })],
      affected: ['1.0.0', '2.0.0'],
      unaffected: ['3.0.0'],
    },
    {
      name: 'a second introduced inside an open range changes nothing',
      ranges: [range('SEMVER', { introduced: '1.0.0' }, { introduced: '1.5.0' }, { fixed: '2.0.0' })],
      affected: ['1.0.0', '1.6.0'],
      unaffected: ['0.5.0', '2.0.0'],
    },
    {
      name: 'introduced and fixed at one version: nothing',
      ranges: [range('SEMVER', { introduced: '1.0.0' }, { fixed: '1.0.0' })],
      affected: [],
      unaffected: ['0.1.0', '1.0.0', '1.1.0'],
    },
    {
      name: 'separate ranges are or-ed',
      ranges: [range('SEMVER', { introduced: '0' }, { fixed: '1.0.0' }), range('ECOSYSTEM', { introduced: '2.0.0' }, { fixed: '2.1.0' })],
      affected: ['0.5.0', '2.0.5'],
      unaffected: ['1.5.0', '2.1.0'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const idx = index([one('npm', 'left-pad', { ranges: c.ranges })]);
      const all = [...c.affected, ...c.unaffected];
      expect(affectedVersions(idx, 'npm', 'left-pad', all)).toEqual(c.affected);
    });
  }

  it('matches the listed versions exactly, even where no range says so', () => {
    const idx = index([one('npm', 'x', { ranges: [range('SEMVER', { introduced: '0' }, { fixed: '1.0.0' })], versions: ['1.2.0'] })]);
    expect(affectedVersions(idx, 'npm', 'x', ['0.5.0', '1.2.0', '1.3.0'])).toEqual(['0.5.0', '1.2.0']);
    const ranged = index([one('npm', 'x', { ranges: [range('SEMVER', { introduced: '0' }, { fixed: '1.0.0' })], versions: ['1.2.0'] })], {
      ignoreVersionLists: true,
    });
    expect(affectedVersions(ranged, 'npm', 'x', ['0.5.0', '1.2.0'])).toEqual(['0.5.0']);
  });

  it('an ecosystem without a version scheme matches versions lists and introduced-0-only ranges, never guesses', () => {
    const idx = index([
      osvRecord('HSEC-1', {
        affected: [
          { package: { ecosystem: 'Hackage', name: 'aeson' }, ranges: [range('ECOSYSTEM', { introduced: '0' }, { fixed: '2.0.1.0' })], versions: ['1.5.6.0'] },
          { package: { ecosystem: 'Hackage', name: 'text' }, ranges: [range('ECOSYSTEM', { introduced: '0' })] },
        ],
      }),
    ]);
    expect(affectedVersions(idx, 'Hackage', 'aeson', ['1.5.6.0', '1.4.0.0', '3.0'])).toEqual(['1.5.6.0']);
    expect(affectedVersions(idx, 'Hackage', 'text', ['1.0', '2.1.1'])).toEqual(['1.0', '2.1.1']);
  });

  it('a version the scheme does not understand only matches a versions list', () => {
    const idx = index([one('npm', 'x', { ranges: [range('ECOSYSTEM', { introduced: '0' })], versions: ['not-a-version'] })]);
    expect(affectedVersions(idx, 'npm', 'x', ['not-a-version', 'also-not', '1.0.0'])).toEqual(['not-a-version', '1.0.0']);
  });

  it('GIT ranges: a known commit matches its own introduced / last_affected commits, never a fixed one', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const c = 'c'.repeat(40);
    const idx = index([
      one('PyPI', 'beaker', {
        ranges: [{ type: 'GIT', repo: 'https://example.org/beaker', events: [{ introduced: a }, { fixed: b }, { introduced: c }] }],
      }),
    ]);
    const found = idx.match([
      { ecosystem: 'PyPI', name: 'beaker', commit: a },
      { ecosystem: 'PyPI', name: 'beaker', commit: c.toUpperCase() },
      { ecosystem: 'PyPI', name: 'beaker', commit: b },
      { ecosystem: 'PyPI', name: 'beaker', commit: 'd'.repeat(40) },
      { ecosystem: 'PyPI', name: 'beaker', version: '1.0' },
    ]);
    expect(found.map((f) => f.length)).toEqual([1, 1, 0, 0, 0]);
  });

  it('Go: SEMVER ranges read as SemVer 2.0, component versions with or without the v', () => {
    const idx = index([
      one('Go', 'golang.org/x/net', { ranges: [range('SEMVER', { introduced: '0' }, { fixed: '0.0.0-20220906165146-f3363e06e74c' })] }),
    ]);
    expect(
      affectedVersions(idx, 'Go', 'golang.org/x/net', [
        'v0.0.0-20220722155237-a158d28d115b',
        '0.0.0-20220906165146-f3363e06e74c',
        'v0.1.0',
        'v0.0.0-20220906165146-f3363e06e74c+incompatible',
      ]),
    ).toEqual(['v0.0.0-20220722155237-a158d28d115b']);
  });

  it('names: PyPI per PEP 503, Go as written', () => {
    expect(normalizePackageName('PyPI', 'Django_REST.framework')).toBe('django-rest-framework');
    expect(normalizePackageName('PyPI', 'zope.interface')).toBe('zope-interface');
    expect(normalizePackageName('Go', 'github.com/BurntSushi/toml')).toBe('github.com/BurntSushi/toml');
    const idx = index([one('PyPI', 'Django-REST-Framework', { versions: ['3.0'] })]);
    expect(affectedVersions(idx, 'pypi', 'django_rest.framework', ['3.0'])).toEqual(['3.0']);
    expect(affectedVersions(idx, 'Go', 'django-rest-framework', ['3.0'])).toEqual([]);
  });
});

describe('alias groups', () => {
  it('reports one vulnerability under all its names, once per component', () => {
    const pkg = { ecosystem: 'PyPI', name: 'jinja2' };
    const idx = index([
      osvRecord('PYSEC-2019-217', { aliases: ['CVE-2019-10906', 'GHSA-462w-v97r-4m45'], affected: [{ package: pkg, versions: ['2.10'] }] }),
      osvRecord('GHSA-462w-v97r-4m45', { aliases: ['CVE-2019-10906'], affected: [{ package: pkg, versions: ['2.10', '2.10.1'] }] }),
      osvRecord('PYSEC-2014-1', { aliases: ['CVE-2014-1402'], affected: [{ package: pkg, versions: ['2.10'] }] }),
    ]);
    const [found, other] = idx.match([
      { ...pkg, version: '2.10' },
      { ...pkg, version: '2.10.1' },
    ]);
    expect(found.map((f) => f.vulnerability.id).sort()).toEqual(['CVE-2014-1402', 'CVE-2019-10906']);
    const jinja = found.find((f) => f.vulnerability.id === 'CVE-2019-10906')!;
    expect(jinja.vulnerability.aliases).toEqual(['GHSA-462w-v97r-4m45', 'PYSEC-2019-217']);
    expect(jinja.matchedBy.sort()).toEqual(['GHSA-462w-v97r-4m45', 'PYSEC-2019-217']);
    expect(other.map((f) => [f.vulnerability.id, f.matchedBy])).toEqual([['CVE-2019-10906', ['GHSA-462w-v97r-4m45']]]);
  });

  it('withdrawn records match nothing and link nothing', () => {
    const pkg = { ecosystem: 'PyPI', name: 'x' };
    const idx = index([
      osvRecord('PYSEC-1', { aliases: ['CVE-1'], affected: [{ package: pkg, versions: ['1.0'] }] }),
      osvRecord('PYSEC-2', { aliases: ['CVE-2'], affected: [{ package: pkg, versions: ['1.0'] }] }),
      osvRecord('GHSA-w', { aliases: ['CVE-1', 'CVE-2'], withdrawn: '2024-02-01T00:00:00Z', affected: [{ package: pkg, versions: ['1.0', '2.0'] }] }),
    ]);
    const [at1, at2] = idx.match([
      { ...pkg, version: '1.0' },
      { ...pkg, version: '2.0' },
    ]);
    expect(at1.map((f) => f.vulnerability.id).sort()).toEqual(['CVE-1', 'CVE-2']);
    expect(at2).toEqual([]);
  });
});

/** The OSV schema's evaluation pseudo-code, written out literally, as the reference. */
function referenceIncludes(version: string, events: OsvEvent[], compare: (a: string, b: string) => number): boolean {
  const limits = events.filter((e) => e.limit !== undefined);
  if (limits.length > 0 && !limits.some((e) => e.limit!.includes('*') || compare(version, e.limit!) < 0)) return false;
  const value = (e: OsvEvent) => e.introduced ?? e.fixed ?? e.last_affected!;
  const sorted = events
    .filter((e) => e.limit === undefined)
    .map((e, i) => ({ e, i }))
    .sort((x, y) => {
      const zx = x.e.introduced === '0';
      const zy = y.e.introduced === '0';
      if (zx || zy) return zx && zy ? x.i - y.i : zx ? -1 : 1;
      return compare(value(x.e), value(y.e)) || x.i - y.i;
    })
    .map((x) => x.e);
  let vulnerable = false;
  for (const e of sorted) {
    if (e.introduced !== undefined && (e.introduced === '0' || compare(version, e.introduced) >= 0)) vulnerable = true;
    else if (e.fixed !== undefined && compare(version, e.fixed) >= 0) vulnerable = false;
    else if (e.last_affected !== undefined && compare(version, e.last_affected) > 0) vulnerable = false;
  }
  return vulnerable;
}

describe('the compiled ranges agree with the reference algorithm', () => {
  // A small deterministic generator, so that a failure can be replayed.
  let seed = 20261123;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pool = ['0.0.1', '0.1.0', '0.9.9', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0', '1.2.0-beta', '1.2.0', '1.10.0', '2.0.0', '2.0.1', '3.0.0'];
  const pick = () => pool[random(pool.length)];

  for (const [ecosystem, type, versioning] of [
    ['crates.io', 'SEMVER', semver2],
    ['npm', 'ECOSYSTEM', versioningFor('npm')!],
  ] as const) {
    it(`${type} ranges on ${ecosystem}: 400 random ranges × every version`, () => {
      let checked = 0;
      for (let n = 0; n < 400; n++) {
        const events: OsvEvent[] = [];
        const count = 1 + random(6);
        for (let i = 0; i < count; i++) {
          const kind = random(10);
          if (kind < 4) events.push({ introduced: random(4) === 0 ? '0' : pick() });
          else if (kind < 7) events.push({ fixed: pick() });
          else if (kind < 9) events.push({ last_affected: pick() });
          else events.push({ limit: random(3) === 0 ? '*' : pick() });
        }
        if (!events.some((e) => e.introduced !== undefined)) events.unshift({ introduced: '0' });
        const idx = index([one(ecosystem, 'pkg', { ranges: [{ type, events }] })]);
        const versions = [...pool, '0.0.0', '1.5.0', '9.9.9'];
        const got = affectedVersions(idx, ecosystem, 'pkg', versions);
        const want = versions.filter((v) => referenceIncludes(v, events, versioning.compare));
        expect(got, JSON.stringify(events)).toEqual(want);
        checked += versions.length;
      }
      expect(checked).toBe(400 * 16);
    });
  }
});

// The index compiles all records of a package together (one axis per scheme, every entry's ranges
// in one flat array, the versions lists and GIT commits of all entries in one table each): these
// check the package as a whole against the reference, entry by entry.
describe('packages of many records', () => {
  it('a version listed by several records: one finding per vulnerability, every record that matched, in record order', () => {
    const pkg = { ecosystem: 'npm', name: 'x' };
    const idx = index([
      osvRecord('GHSA-a', { aliases: ['CVE-2000-1'], affected: [{ package: pkg, ranges: [range('SEMVER', { introduced: '1.0.0' }, { fixed: '2.0.0' })], versions: ['2.5.0'] }] }),
      osvRecord('GHSA-b', { aliases: ['CVE-2000-1'], affected: [{ package: pkg, versions: ['2.5.0', '3.0.0'] }] }),
      osvRecord('GHSA-c', { aliases: ['CVE-2000-2'], affected: [{ package: pkg, ranges: [range('SEMVER', { introduced: '0' }, { fixed: '1.5.0' })], versions: ['2.5.0'] }] }),
      // the same package twice in one record: matched once
      osvRecord('GHSA-d', {
        aliases: ['CVE-2000-3'],
        affected: [
          { package: pkg, versions: ['3.0.0'] },
          { package: pkg, ranges: [range('SEMVER', { introduced: '2.9.0' })] },
        ],
      }),
    ]);
    const found = idx.match(['1.2.0', '2.5.0', '3.0.0', '2.2.0'].map((version) => ({ ...pkg, version })));
    const shown = found.map((list) => list.map((f) => [f.vulnerability.id, f.matchedBy]));
    expect(shown).toEqual([
      [
        ['CVE-2000-1', ['GHSA-a']],
        ['CVE-2000-2', ['GHSA-c']],
      ],
      [
        ['CVE-2000-1', ['GHSA-a', 'GHSA-b']],
        ['CVE-2000-2', ['GHSA-c']],
      ],
      [
        // the ranges' findings first, then what the lists add
        ['CVE-2000-3', ['GHSA-d']],
        ['CVE-2000-1', ['GHSA-b']],
      ],
      [],
    ]);
    // Findings are shared between calls (callers memoize on them), and a vulnerability is one object.
    const again = idx.match([{ ...pkg, version: '2.5.0' }, { ...pkg, version: '1.2.0' }]);
    expect(again[0]).toBe(found[1]);
    expect(again[1]).toBe(found[0]);
    expect(found[1][0].vulnerability).toBe(found[0][0].vulnerability);
    expect(found[1][0].vulnerability.aliases).toEqual(['GHSA-a', 'GHSA-b']);
    expect(found[1][0].vulnerability.summary).toBe('summary of GHSA-a');
    // what a copy or JSON of it holds: its id, nothing of the index behind it
    expect(Object.keys(found[1][0].vulnerability)).toEqual(['id']);
  });

  it('two schemes in one package (SEMVER and ECOSYSTEM ranges on npm), a GIT range, limits', () => {
    const a = 'a'.repeat(40);
    const f = 'f'.repeat(40);
    const pkg = { ecosystem: 'npm', name: 'y' };
    const idx = index([
      osvRecord('GHSA-s', { aliases: ['CVE-2000-1'], affected: [{ package: pkg, ranges: [range('SEMVER', { introduced: '1.0.0' }, { fixed: '1.2.0' })] }] }),
      osvRecord('GHSA-e', {
        aliases: ['CVE-2000-2'],
        affected: [{ package: pkg, ranges: [range('ECOSYSTEM', { introduced: '1.1.0' }, { limit: '1.3.0' }), { type: 'GIT', repo: 'r', events: [{ introduced: a }, { fixed: f }] }] }],
      }),
    ]);
    const ids = (q: { version?: string; commit?: string }) => idx.match([{ ...pkg, ...q }])[0].map((x) => x.vulnerability.id);
    expect(ids({ version: '1.0.5' })).toEqual(['CVE-2000-1']);
    expect(ids({ version: '1.1.5' })).toEqual(['CVE-2000-1', 'CVE-2000-2']);
    expect(ids({ version: '1.2.0' })).toEqual(['CVE-2000-2']);
    expect(ids({ version: '1.3.0' })).toEqual([]);
    expect(ids({ commit: a.toUpperCase() })).toEqual(['CVE-2000-2']);
    expect(ids({ commit: f })).toEqual([]);
    expect(ids({ version: '1.0.5', commit: a })).toEqual(['CVE-2000-1', 'CVE-2000-2']);
    expect(ids({})).toEqual([]);
  });

  // Random packages of several records — alias groups, entries with several ranges on two schemes,
  // limits, versions lists that overlap, GIT ranges — against the reference algorithm per entry.
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pool = ['0.0.1', '0.9.9', '1.0.0-rc.1', '1.0.0', '1.0.0+build.5', '1.0.1', '1.2.0', '1.10.0', '2.0.0', '3.0.0'];
  const commits = ['a', 'b', 'c', 'd'].map((c) => c.repeat(40));
  const pick = <T>(list: readonly T[]) => list[random(list.length)];
  const randomEvents = (): OsvEvent[] => {
    const events: OsvEvent[] = [];
    for (let i = 1 + random(5); i > 0; i--) {
      const kind = random(10);
      if (kind < 4) events.push({ introduced: random(4) === 0 ? '0' : pick(pool) });
      else if (kind < 7) events.push({ fixed: pick(pool) });
      else if (kind < 9) events.push({ last_affected: pick(pool) });
      else events.push({ limit: random(3) === 0 ? '*' : pick(pool) });
    }
    if (!events.some((e) => e.introduced !== undefined)) events.unshift({ introduced: '0' });
    return events;
  };
  const schemes = { SEMVER: semver2, ECOSYSTEM: versioningFor('npm')! };

  function entryHolds(affected: Omit<OsvAffected, 'package'>, q: { version?: string; commit?: string }): boolean {
    if (q.version !== undefined && affected.versions?.includes(q.version)) return true;
    if (q.commit !== undefined) {
      const git = (affected.ranges ?? []).filter((r) => r.type === 'GIT').flatMap((r) => r.events);
      const hit = git.some((e) => e.introduced === q.commit || e.last_affected === q.commit);
      if (hit && !git.some((e) => e.fixed === q.commit || e.limit === q.commit)) return true;
    }
    if (q.version === undefined) return false;
    return (affected.ranges ?? []).some((r) => {
      if (r.type === 'GIT') return false;
      const scheme = schemes[r.type as 'SEMVER' | 'ECOSYSTEM'];
      return scheme.isValid(q.version!) && referenceIncludes(q.version!, r.events, scheme.compare);
    });
  }

  it('300 random packages × every version, commit and none', () => {
    let checked = 0;
    for (let n = 0; n < 300; n++) {
      const twoSchemes = random(2) === 0;
      const records: OsvRecord[] = [];
      for (let r = 1 + random(6); r > 0; r--) {
        const affected: OsvAffected[] = [];
        for (let e = 1 + random(2); e > 0; e--) {
          const ranges: OsvRange[] = [];
          for (let k = random(3); k > 0; k--) ranges.push(range(twoSchemes && random(2) ? 'ECOSYSTEM' : 'SEMVER', ...randomEvents()));
          if (random(4) === 0) ranges.push({ type: 'GIT', repo: 'r', events: [{ introduced: pick(commits) }, { fixed: pick(commits) }, { last_affected: pick(commits) }] });
          const versions = random(2) ? pool.filter(() => random(3) === 0) : undefined;
          affected.push({ package: { ecosystem: 'npm', name: 'pkg' }, ranges, ...(versions ? { versions } : {}) });
        }
        records.push(osvRecord(`GHSA-${records.length}`, { aliases: [`CVE-2000-${random(3)}`], affected }));
      }
      const idx = index(records);
      const queries: { version?: string; commit?: string }[] = [...pool, '5.0.0', 'not-a-version'].map((version) => ({ version }));
      queries.push({}, ...commits.map((commit) => ({ commit })), { version: '1.0.1', commit: commits[0] });
      const found = idx.match(queries.map((q) => ({ ecosystem: 'npm', name: 'pkg', ...q })));
      queries.forEach((q, i) => {
        const want = new Map<string, string[]>();
        for (const record of records) {
          if (!record.affected!.some((a) => entryHolds(a, q))) continue;
          const id = record.aliases![0];
          want.set(id, [...(want.get(id) ?? []), record.id]);
        }
        const got = new Map(found[i].map((f) => [f.vulnerability.id, [...f.matchedBy].sort()]));
        expect(got, `${JSON.stringify(q)} in ${JSON.stringify(records.map((r) => r.affected))}`).toEqual(want);
        checked++;
      });
    }
    expect(checked).toBe(300 * 18);
  });
});
