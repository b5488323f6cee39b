import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { versioningFor } from '../../../src/ecosystems/versioning/index.js';
import type { Versioning } from '../../../src/ecosystems/versioning/types.js';

// Real inputs from ../shared (never copied into the repo): public lockfiles and the OSV exports of
// the PyPA and Go vulnerability databases.
const shared = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const lockfiles = `${shared}fixtures/lockfiles/`;
const osv = `${shared}osv/`;

const haveLockfiles = existsSync(lockfiles);
const haveOsv = existsSync(`${osv}PyPI-all.zip`) && existsSync(`${osv}Go-all.zip`);
if (!haveLockfiles) console.warn(`notice: ${lockfiles} is absent; skipping the lockfile version tests`);
if (!haveOsv) console.warn(`notice: ${osv} is absent; skipping the OSV version tests`);

function read(path: string): string {
  return readFileSync(`${lockfiles}${path}`, 'utf8');
}

function matches(text: string, re: RegExp): string[] {
  return [...text.matchAll(re)].map((m) => m[1]);
}

function invalidOf(versioning: Versioning, versions: string[]): string[] {
  return versions.filter((v) => !versioning.isValid(v));
}

describe.skipIf(!haveLockfiles)('versions in real lockfiles', () => {
  it('go.sum: every version is a Go version, and go.sum lists each module in semver order', () => {
    const go = versioningFor('golang')!;
    const lines = read('vulndb/go.sum').trim().split('\n').map((l) => l.split(' '));
    const versions = lines.map(([, v]) => v.replace(/\/go\.mod$/, ''));
    expect(versions.length).toBeGreaterThan(100);
    expect(versions.some((v) => /-\d{14}-[0-9a-f]{12}$/.test(v))).toBe(true);
    expect(invalidOf(go, versions)).toEqual([]);
    // `go mod tidy` writes go.sum sorted by module, then semver.Compare of the version.
    const unordered: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      if (lines[i][0] === lines[i - 1][0] && go.compare(versions[i - 1], versions[i]) > 0) {
        unordered.push(`${lines[i][0]} ${versions[i - 1]} > ${versions[i]}`);
      }
    }
    expect(unordered).toEqual([]);
  });

  it('Cargo.lock: every version is strict SemVer', () => {
    const versions = matches(read('ripgrep/Cargo.lock'), /^version = "([^"]+)"/gm);
    expect(versions.length).toBeGreaterThan(30);
    expect(invalidOf(versioningFor('cargo')!, versions)).toEqual([]);
  });

  it('composer.lock: every version normalizes the Composer way', () => {
    const lock = JSON.parse(read('composer/composer.lock'));
    const versions = [...lock.packages, ...lock['packages-dev']].map((p: { version: string }) => p.version);
    expect(versions.length).toBeGreaterThan(10);
    expect(invalidOf(versioningFor('composer')!, versions)).toEqual([]);
  });

  it('Gemfile.lock: every resolved gem version is a Gem::Version', () => {
    const versions = matches(read('devise/Gemfile.lock'), /^ {4}\S+ \(([^)]+)\)$/gm).map((v) => v.replace(/-(?:x86|arm|aarch|java).*$/, ''));
    expect(versions.length).toBeGreaterThan(30);
    expect(invalidOf(versioningFor('gem')!, versions)).toEqual([]);
  });

  it('poetry.lock and Pipfile.lock: every version is PEP 440', () => {
    const pypi = versioningFor('pypi')!;
    const poetry = matches(read('poetry/poetry.lock'), /^version = "([^"]+)"/gm);
    const pipfile = matches(read('pipenv/Pipfile.lock'), /"version": "==([^"]+)"/g);
    expect(poetry.length + pipfile.length).toBeGreaterThan(50);
    expect(invalidOf(pypi, [...poetry, ...pipfile])).toEqual([]);
  });

  it('yarn.lock: every resolved version is npm semver', () => {
    const versions = matches(read('yarn/yarn.lock'), /^ {2}version "([^"]+)"/gm);
    expect(versions.length).toBeGreaterThan(100);
    expect(invalidOf(versioningFor('npm')!, versions)).toEqual([]);
  });

  it('pom.xml: every literal version is a Maven version', () => {
    const versions = matches(read('petclinic/pom.xml'), /<version>([^<$]+)<\/version>/g);
    expect(versions.length).toBeGreaterThan(0);
    expect(invalidOf(versioningFor('maven')!, versions)).toEqual([]);
  });
});

interface OsvRange {
  type: string;
  events: Record<string, string>[];
}
interface OsvRecord {
  id: string;
  affected?: { package: { name: string }; ranges?: OsvRange[]; versions?: string[] }[];
}

function readZip(path: string): Promise<OsvRecord[]> {
  return new Promise((resolve, reject) => {
    const records: OsvRecord[] = [];
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('error', reject);
      zip.on('end', () => resolve(records));
      zip.on('entry', (entry) => {
        zip.openReadStream(entry, (err2, stream) => {
          if (err2) return reject(err2);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            records.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Whether `version` falls in one of the range's [introduced, fixed) / [introduced, last_affected]. */
function inRange(v: Versioning, version: string, range: OsvRange): boolean {
  let introduced: string | null = null;
  for (const event of range.events) {
    if (event.introduced !== undefined) {
      introduced = event.introduced;
      continue;
    }
    if (introduced === null) continue;
    const above = introduced === '0' || v.compare(version, introduced) >= 0;
    const below =
      event.fixed !== undefined
        ? v.compare(version, event.fixed) < 0
        : event.last_affected !== undefined
          ? v.compare(version, event.last_affected) <= 0
          : v.compare(version, event.limit) < 0;
    if (above && below) return true;
    if (event.limit === undefined) introduced = null;
  }
  return introduced !== null && (introduced === '0' || v.compare(version, introduced) >= 0);
}

/** Events of one range are written in ascending order; report the pairs that are not. */
function unorderedEvents(v: Versioning, records: OsvRecord[]): string[] {
  const wrong: string[] = [];
  for (const record of records) {
    for (const affected of record.affected ?? []) {
      for (const range of affected.ranges ?? []) {
        if (range.type === 'GIT') continue;
        const points = range.events.flatMap((e) => Object.values(e)).filter((p) => p !== '0');
        for (let i = 1; i < points.length; i++) {
          if (v.compare(points[i - 1], points[i]) > 0) wrong.push(`${record.id} ${points[i - 1]} > ${points[i]}`);
        }
      }
    }
  }
  return wrong;
}

describe.skipIf(!haveOsv)('versions in the OSV exports', () => {
  let pypiRecords: OsvRecord[] = [];
  let goRecords: OsvRecord[] = [];

  beforeAll(async () => {
    [pypiRecords, goRecords] = await Promise.all([readZip(`${osv}PyPI-all.zip`), readZip(`${osv}Go-all.zip`)]);
  });

  it('PyPI: the listed affected versions fall inside the ECOSYSTEM ranges under PEP 440 ordering', () => {
    const pypi = versioningFor('PyPI')!;
    let checked = 0;
    const invalid = new Set<string>();
    const outside: string[] = [];
    for (const record of pypiRecords) {
      for (const affected of record.affected ?? []) {
        const ranges = (affected.ranges ?? []).filter((r) => r.type === 'ECOSYSTEM');
        if (ranges.length === 0) continue;
        for (const version of affected.versions ?? []) {
          if (!pypi.isValid(version)) {
            invalid.add(version);
            continue;
          }
          checked++;
          if (!ranges.some((r) => inRange(pypi, version, r))) outside.push(`${record.id} ${affected.package.name} ${version}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    // PyPI still serves a few pre-PEP 440 release names (0.3.2d, 0.9-eevee); they are rare.
    expect(invalid.size).toBeLessThan(checked / 1000);
    expect([...invalid]).toEqual(expect.arrayContaining(['0.3.2d', '0.9-eevee']));
    // The only exceptions are the records' own: gevent's list follows its GIT range (fixed 23.9.0
    // still listed) and Django's lists the pre-releases of 3.2 and 4.2, which PEP 440 puts before
    // the `introduced` 3.2 / 4.2.
    expect(outside.sort()).toEqual([
      'PYSEC-2023-177 gevent 23.9.0',
      'PYSEC-2023-177 gevent 23.9.0.post1',
      'PYSEC-2023-61 django 3.2a1',
      'PYSEC-2023-61 django 3.2b1',
      'PYSEC-2023-61 django 3.2rc1',
      'PYSEC-2023-61 django 4.2a1',
      'PYSEC-2023-61 django 4.2b1',
      'PYSEC-2023-61 django 4.2rc1',
    ]);
  });

  it('Go: every range event is a Go version and events ascend', () => {
    const go = versioningFor('Go')!;
    const points = goRecords.flatMap((r) =>
      (r.affected ?? []).flatMap((a) => (a.ranges ?? []).flatMap((rg) => rg.events.flatMap((e) => Object.values(e)))),
    );
    expect(points.length).toBeGreaterThan(4000);
    expect(invalidOf(go, points.filter((p) => p !== '0'))).toEqual([]);
    expect(unorderedEvents(go, goRecords)).toEqual([]);
  });
});
