import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredLicenseExpression } from '../../../src/intel/licenses/registry-licenses.js';
import { RegistryNotFoundError, RegistryUnavailableError } from '../../../src/intel/registries/errors.js';
import { normalizeGemName, rubygems } from '../../../src/intel/registries/rubygems.js';
import { ValidationError } from '../../../src/core/errors.js';
import { OWN_REGISTRY_FIXTURES, RegistryReplay, sharedRegistryFixtures } from '../../helpers/registry-replay.js';

const shared = sharedRegistryFixtures();

describe('RubyGems adapter on hand-written answers', () => {
  let replay: RegistryReplay;
  const adapter = () => rubygems({ url: `${replay.url}/rubygems`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(OWN_REGISTRY_FIXTURES).answer('/rubygems/api/v1/versions/broken.json', { body: '{"error": "not a list"}' }).start();
  });
  afterAll(() => replay.close());

  it('gives one entry per version (the ruby platform’s), its licenses and date; latest is the highest non-prerelease', async () => {
    const meta = await adapter().fetchPackage('widget');
    expect(meta.versions).toEqual([
      { version: '0.9.0', releasedAt: '2012-06-01T20:11:09.000Z', licenses: [] },
      { version: '1.0.0', releasedAt: '2019-01-15T09:02:44.101Z', licenses: ['MIT'] },
      { version: '1.5.2', releasedAt: '2024-03-04T16:40:31.512Z', licenses: ['MIT', 'Ruby'] },
      { version: '2.0.0.rc1', releasedAt: '2024-09-12T10:21:07.331Z', licenses: ['MIT'] },
    ]);
    expect(meta.latest).toBe('1.5.2');
    expect(meta.licenses).toEqual(['MIT', 'Ruby']);
    expect(declaredLicenseExpression(meta.licenses!, 'gem').expression).toBe('MIT OR Ruby');
  });

  it('answers not found for an unknown gem, and refuses a malformed answer naming RubyGems', async () => {
    await expect(adapter().fetchPackage('no-such-gem')).rejects.toThrow(RegistryNotFoundError);
    await expect(adapter().fetchPackage('broken')).rejects.toThrow(RegistryUnavailableError);
    await expect(adapter().fetchPackage('broken')).rejects.toThrow(/^RubyGems answered with an unexpected document for gem "broken": the versions document is not a list/);
  });

  it('keeps the case of gem names and refuses impossible ones', () => {
    expect(normalizeGemName(' RedCloth ')).toBe('RedCloth');
    for (const bad of ['', 'a b', '../x', '-x']) expect(() => normalizeGemName(bad)).toThrow(ValidationError);
  });
});

describe.skipIf(!shared)('RubyGems adapter on recorded answers', () => {
  let replay: RegistryReplay;
  const adapter = () => rubygems({ url: `${replay.url}/rubygems`, timeoutMs: 5000 });
  beforeAll(async () => {
    replay = await new RegistryReplay(shared!).start();
  });
  afterAll(() => replay.close());

  it('i18n (2018): 50 versions with dates and licenses, 1.0.1 latest', async () => {
    const meta = await adapter().fetchPackage('i18n');
    expect(meta.versions).toHaveLength(50);
    expect(meta.latest).toBe('1.0.1');
    expect(meta.versions.at(-1)).toEqual({ version: '1.0.1', releasedAt: '2018-04-18T04:56:52.030Z', licenses: ['MIT'] });
    expect(meta.versions.some((v) => v.licenses?.length === 0)).toBe(true);
  });

  it('public_suffix: `licenses: null` of old releases reads as none declared; prereleases are not latest', async () => {
    const meta = await adapter().fetchPackage('public_suffix');
    expect(meta.latest).toBe('3.0.2');
    expect(meta.versions.find((v) => v.version === '1.0.0.rc1')).toEqual({ version: '1.0.0.rc1', releasedAt: '2011-12-23T19:23:25.777Z', licenses: [] });
    expect(meta.versions.map((v) => v.version).indexOf('1.0.0.rc1')).toBeLessThan(meta.versions.map((v) => v.version).indexOf('1.0.0'));
  });
});
