import { describe, expect, it } from 'vitest';
import { parseNpmDocument } from '../../../src/intel/registries/npm.js';
import type { PackageMetadata } from '../../../src/intel/registries/types.js';
import { ageInDays, distanceFromLatest, findVersion, isLatest } from '../../../src/intel/registries/versions.js';
import { fixture } from './replay-server.js';

const leftPad = parseNpmDocument('left-pad', JSON.parse(fixture('npm/left-pad.json')));
const legacy = parseNpmDocument('legacy-widget', JSON.parse(fixture('npm/hand-written-legacy.json')));

describe('age', () => {
  const now = new Date('2026-11-23T12:00:00.000Z');
  it.each([
    ['2026-11-23T11:00:00.000Z', 0],
    ['2026-11-22T12:00:00.000Z', 1],
    ['2026-11-22T12:00:00.001Z', 0],
    ['2025-11-23T12:00:00.000Z', 365],
    ['2024-09-05T00:40:51.026000+00:00', 809],
    ['2026-11-24T12:00:00.000Z', -1],
  ])('released %s is %i days old', (released, days) => {
    expect(ageInDays(released, now)).toBe(days);
  });

  it('is unknown without a valid date', () => {
    expect(ageInDays(null, now)).toBeNull();
    expect(ageInDays('yesterday', now)).toBeNull();
  });
});

describe('latest and distance from it', () => {
  it('counts the versions between a version and the latest, in semver order', () => {
    // left-pad: 0.0.0 0.0.1 0.0.2 0.0.3 0.0.4 0.0.9 1.0.0 1.0.1 1.0.2 1.1.0 1.1.1 1.1.2 1.1.3 1.2.0 1.3.0
    expect(distanceFromLatest(leftPad, '1.3.0')).toBe(0);
    expect(distanceFromLatest(leftPad, '1.2.0')).toBe(1);
    expect(distanceFromLatest(leftPad, '1.1.0')).toBe(5);
    expect(distanceFromLatest(leftPad, '0.0.0')).toBe(14);
  });

  it('places an unlisted version by comparison', () => {
    expect(distanceFromLatest(leftPad, '1.1.4')).toBe(2);
    expect(distanceFromLatest(leftPad, '2.0.0')).toBe(-1);
  });

  it('is negative for a listed version newer than the latest (a prerelease on another tag)', () => {
    expect(distanceFromLatest(legacy, '2.0.0-beta.1')).toBe(-1);
    expect(distanceFromLatest(legacy, '2.0.0-beta.2')).toBe(-2);
    expect(distanceFromLatest(legacy, '0.9.0')).toBe(2);
  });

  it('is unknown for a version the scheme cannot read, or a package without latest', () => {
    expect(distanceFromLatest(leftPad, 'not-a-version')).toBeNull();
    expect(distanceFromLatest({ ...leftPad, latest: null }, '1.0.0')).toBeNull();
  });

  it('uses the stored order where the ecosystem has no version scheme yet', () => {
    // Stored order is the registry's (oldest first); the test does not rely on any scheme for "maven".
    const meta: PackageMetadata = {
      ecosystem: 'maven',
      name: 'junit:junit',
      latest: '4.13.2',
      licenses: [],
      versions: ['4.12', '4.13-rc-1', '4.13', '4.13.1', '4.13.2'].map((version) => ({ version, releasedAt: null, licenses: null })),
    };
    expect(distanceFromLatest(meta, '4.12')).toBe(4);
    expect(distanceFromLatest(meta, '4.13.2')).toBe(0);
  });

  it('knows the latest, also written differently', () => {
    expect(isLatest(leftPad, '1.3.0')).toBe(true);
    expect(isLatest(leftPad, 'v1.3.0')).toBe(true);
    expect(isLatest(leftPad, '1.2.0')).toBe(false);
    expect(isLatest(legacy, '2.0.0-beta.1')).toBe(false);
    expect(findVersion(leftPad, '=1.3.0')?.version).toBe('1.3.0');
  });
});
