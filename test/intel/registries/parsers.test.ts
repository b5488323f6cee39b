import { describe, expect, it } from 'vitest';
import { mavenDirectory, normalizeMavenName, parseMavenMetadata, parsePom, pomLicense } from '../../../src/intel/registries/maven.js';
import { normalizeNpmName, npmDocumentPath, npmLicenses, parseNpmDocument } from '../../../src/intel/registries/npm.js';
import { normalizePypiName, parsePypiDocument, pypiLicenses } from '../../../src/intel/registries/pypi.js';
import { XmlDocumentError } from '../../../src/intel/registries/xml.js';
import { ValidationError } from '../../../src/core/errors.js';
import { fixture } from './replay-server.js';

const json = (path: string) => JSON.parse(fixture(path));

describe('npm package documents', () => {
  it('reads a recorded document: versions in semver order, dates in UTC, per-version licenses, latest', () => {
    const meta = parseNpmDocument('left-pad', json('npm/left-pad.json'));
    expect(meta.latest).toBe('1.3.0');
    expect(meta.versions).toHaveLength(15);
    expect(meta.versions[0].version).toBe('0.0.0');
    expect(meta.versions.at(-1)).toEqual({ version: '1.3.0', releasedAt: '2024-09-05T00:40:51.026Z', licenses: ['WTFPL'], dependencies: {} });
    expect(meta.versions.find((v) => v.version === '0.0.4')?.licenses).toEqual(['BSD']);
    expect(meta.licenses).toEqual(['WTFPL']);
  });

  it('keeps each version’s dependencies', () => {
    const meta = parseNpmDocument('is-odd', json('npm/is-odd.json'));
    expect(meta.versions.map((v) => [v.version, v.dependencies?.['is-number']])).toEqual([
      ['0.1.0', '^1.1.0'],
      ['0.1.1', '^1.1.0'],
      ['0.1.2', '^3.0.0'],
      ['1.0.0', '^3.0.0'],
      ['2.0.0', '^4.0.0'],
      ['3.0.0', '^6.0.0'],
      ['3.0.1', '^6.0.0'],
    ]);
  });

  it('reads a scoped package with prereleases', () => {
    const meta = parseNpmDocument('@types/semver', json('npm/types-semver.json'));
    expect(meta.name).toBe('@types/semver');
    expect(meta.latest).toBe('7.8.0');
    expect(meta.versions).toHaveLength(51);
    expect(meta.versions.find((v) => v.version === '4.3.13-alpha')?.releasedAt).toBe('2026-09-20T21:34:30.724Z');
  });

  it('reads the public format: created/modified in time, legacy license objects, deprecations', () => {
    const meta = parseNpmDocument('legacy-widget', json('npm/hand-written-legacy.json'));
    expect(meta.versions.map((v) => v.version)).toEqual(['0.9.0', '1.0.0', '1.1.0', '2.0.0-beta.1']);
    expect(meta.versions[0].licenses).toEqual(['MIT', 'GPL-2.0']);
    expect(meta.versions[1]).toMatchObject({ licenses: ['BSD-3-Clause'], deprecated: '1.0.0 mangles unicode; upgrade to 1.1.0' });
    expect(meta.versions[2]).toMatchObject({ releasedAt: '2019-11-05T13:14:15.678Z', dependencies: { 'left-pad': '^1.3.0', '@types/semver': '7.5.8' } });
    expect(meta.latest).toBe('1.1.0');
    expect(meta.licenses).toEqual(['(MIT OR Apache-2.0)']);
  });

  it('reads an unpublished package (no versions, no dist-tags) as empty', () => {
    const meta = parseNpmDocument('gone', { _id: 'gone', name: 'gone', time: { created: '2020-01-01T00:00:00.000Z', unpublished: { time: '2020-02-01T00:00:00.000Z' } } });
    expect(meta).toEqual({ ecosystem: 'npm', name: 'gone', latest: null, licenses: [], versions: [] });
  });

  it.each([
    [{ license: 'MIT' }, ['MIT']],
    [{ license: '(MIT OR Apache-2.0)' }, ['(MIT OR Apache-2.0)']],
    [{ license: { type: 'ISC', url: 'x' } }, ['ISC']],
    [{ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }, ['MIT', 'Apache-2.0']],
    [{ license: 'SEE LICENSE IN LICENSE.md' }, ['SEE LICENSE IN LICENSE.md']],
    [{ license: 'UNLICENSED' }, ['UNLICENSED']],
    [{ license: '' }, []],
    [{}, []],
  ])('declared licenses of %j', (manifest, expected) => {
    expect(npmLicenses(manifest)).toEqual(expected);
  });

  it.each([
    ['left-pad', 'left-pad'],
    ['@types/semver', '@types%2fsemver'],
    ['@babel/core', '@babel%2fcore'],
    ['JSONStream', 'JSONStream'],
  ])('document path of %s is /%s', (name, path) => {
    expect(npmDocumentPath(normalizeNpmName(name))).toBe(path);
  });

  it.each(['', 'has space', '@scope', '@/x', '../etc/passwd', 'a/b', 'x'.repeat(215)])('refuses the name %j', (name) => {
    expect(() => normalizeNpmName(name)).toThrow(ValidationError);
  });
});

describe('Maven repository documents', () => {
  it.each([
    ['Apache License, Version 2.0', 'http://www.apache.org/licenses/LICENSE-2.0', 'Apache License, Version 2.0'],
    // The name alone cannot tell CDDL 1.0 from 1.1: the URL is kept with it.
    [
      'CDDL + GPLv2 with classpath exception',
      'https://glassfish.dev.java.net/nonav/public/CDDL+GPL.html',
      'CDDL + GPLv2 with classpath exception (https://glassfish.dev.java.net/nonav/public/CDDL+GPL.html)',
    ],
    [undefined, 'http://www.apache.org/licenses/LICENSE-2.0.txt', 'http://www.apache.org/licenses/LICENSE-2.0.txt'],
    ['  The   MIT License ', undefined, 'The MIT License'],
    [undefined, undefined, undefined],
  ])('a <license> named %j at %j is kept as %j', (name, url, kept) => {
    expect(pomLicense(name, url)).toBe(kept);
  });

  it('reads maven-metadata.xml: versions as strings in listed order, latest and release', () => {
    const meta = parseMavenMetadata(fixture('maven/repository/com/google/code/gson/gson/maven-metadata.xml'));
    expect(meta).toEqual({ latest: '2.11.0', release: '2.11.0', versions: ['2.8.9', '2.9.0', '2.9.1', '2.10', '2.10.1', '2.11.0'] });
  });

  it('reads a POM’s licenses', () => {
    expect(parsePom(fixture('maven/repository/junit/junit/4.13.2/junit-4.13.2.pom'))).toEqual({ licenses: ['Eclipse Public License 1.0'] });
  });

  it('reads a POM’s parent when it declares no licenses', () => {
    expect(parsePom(fixture('maven/repository/com/google/code/gson/gson/2.11.0/gson-2.11.0.pom'))).toEqual({
      licenses: [],
      parent: { groupId: 'com.google.code.gson', artifactId: 'gson-parent', version: '2.11.0' },
    });
  });

  it('decodes predefined entities and character references, uses the URL when a license has no name', () => {
    const pom = `<project><licenses><license><name>GPL v2 &amp; Classpath &#x2014; exception</name></license><license><url>https://example.org/L</url></license></licenses></project>`;
    expect(parsePom(pom).licenses).toEqual(['GPL v2 & Classpath — exception', 'https://example.org/L']);
  });

  it('refuses documents declaring entities (no expansion, no external entities)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><project><licenses><license><name>&c;</name></license></licenses></project>`;
    expect(() => parsePom(laughs)).toThrow(/declares XML entities/);
    const external = `<?xml version="1.0"?><!DOCTYPE project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><project><name>&xxe;</name></project>`;
    expect(() => parsePom(external)).toThrow(XmlDocumentError);
  });

  it('refuses malformed XML and documents of the wrong kind', () => {
    expect(() => parseMavenMetadata('<metadata><versioning></metadata>')).toThrow(/not well-formed/);
    expect(() => parseMavenMetadata('<project/>')).toThrow(/no <metadata>/);
  });

  it.each([
    ['junit:junit', 'junit/junit'],
    ['com.google.code.gson:gson', 'com/google/code/gson/gson'],
    [' org.apache.commons:commons-lang3 ', 'org/apache/commons/commons-lang3'],
  ])('%s lives in %s', (name, dir) => {
    const [g, a] = normalizeMavenName(name).split(':');
    expect(mavenDirectory(g, a)).toBe(dir);
  });

  it.each(['junit', 'junit:junit:4.12', 'a/b:c', '..:x', 'g:a b'])('refuses the name %j', (name) => {
    expect(() => normalizeMavenName(name)).toThrow(ValidationError);
  });
});

describe('PyPI JSON API documents', () => {
  it('reads releases: first upload as the date, yanked releases, the latest release’s licenses', () => {
    const meta = parsePypiDocument('requests', json('pypi/requests.json'));
    expect(meta.latest).toBe('2.32.3');
    expect(meta.licenses).toEqual(['Apache-2.0', 'License :: OSI Approved :: Apache Software License']);
    const byVersion = Object.fromEntries(meta.versions.map((v) => [v.version, v]));
    expect(byVersion['2.31.0']).toEqual({ version: '2.31.0', releasedAt: '2023-05-22T15:12:42.313Z', licenses: null });
    expect(byVersion['2.32.0'].yanked).toBe(true);
    expect(byVersion['2.32.1'].yanked).toBeUndefined();
    expect(byVersion['2.32.3'].licenses).toEqual(meta.licenses);
  });

  it('prefers the PEP 639 license expression; a release without files has no date', () => {
    const meta = parsePypiDocument('attrs', json('pypi/attrs.json'));
    expect(meta.licenses).toEqual(['MIT']);
    expect(meta.versions.find((v) => v.version === '15.0.0a1')).toEqual({ version: '15.0.0a1', releasedAt: null, licenses: null });
  });

  it.each([
    [{ license: 'BSD License' }, ['BSD License']],
    [{ license: 'UNKNOWN', classifiers: ['License :: OSI Approved :: MIT License'] }, ['License :: OSI Approved :: MIT License']],
    [{ license: 'Copyright (c) 2010 Someone\n\nPermission is hereby granted…' }, []],
    [{ license: 'x'.repeat(201) }, []],
    [{ license_expression: 'Apache-2.0 OR MIT', license: 'ignored' }, ['Apache-2.0 OR MIT']],
    [{ license: null, classifiers: ['Topic :: Software Development'] }, []],
  ])('declared licenses of info %j', (info, expected) => {
    expect(pypiLicenses(info)).toEqual(expected);
  });

  // PEP 503's own examples: all of these name one project.
  it.each(['friendly-bard', 'Friendly-Bard', 'FRIENDLY-BARD', 'friendly.bard', 'friendly_bard', 'friendly--bard', 'FrIeNdLy-._.-bArD'])(
    '%s normalizes to friendly-bard',
    (name) => {
      expect(normalizePypiName(name)).toBe('friendly-bard');
    },
  );

  it.each(['', '-leading', 'trailing.', 'sp ace', 'a/b'])('refuses the name %j', (name) => {
    expect(() => normalizePypiName(name)).toThrow(ValidationError);
  });
});
