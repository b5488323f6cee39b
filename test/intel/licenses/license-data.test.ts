import { describe, expect, it } from 'vitest';
import { buildLicenseData, effectiveLicenseIds } from '../../../src/intel/licenses/license-data.js';

const ids = (list: Array<{ licenseId: string }>) => list.map((l) => l.licenseId);

describe('component license data', () => {
  it('has the reference shape, status Open before any review', () => {
    const data = buildLicenseData({ declared: ['Apache-2.0'] });
    expect(data).toEqual({
      declaredLicenses: [{ licenseId: 'Apache-2.0', licenseName: 'Apache-2.0' }],
      observedLicenses: [],
      effectiveLicenses: [{ licenseId: 'Apache-2.0', licenseName: 'Apache-2.0' }],
      overriddenLicenses: [],
      status: 'Open',
    });
  });

  it('makes every declared and observed license effective', () => {
    const data = buildLicenseData({ declared: ['MIT'], observed: ['GPL-2.0-only', 'MIT'] });
    expect(ids(data.effectiveLicenses)).toEqual(['MIT', 'GPL-2.0-only']);
  });

  it('keeps an OR expression whole and normalizes what was written', () => {
    const data = buildLicenseData({ declared: ['MIT or Apache 2'] });
    expect(ids(data.declaredLicenses)).toEqual(['MIT OR Apache-2.0']);
    expect(ids(data.effectiveLicenses)).toEqual(['MIT OR Apache-2.0']);
  });

  it('says Not-Declared when nothing is declared, and lets a real observed license take effect', () => {
    expect(ids(buildLicenseData({}).effectiveLicenses)).toEqual(['Not-Declared']);
    expect(buildLicenseData({}).declaredLicenses).toEqual([{ licenseId: 'Not-Declared', licenseName: 'Not Declared' }]);
    const observed = buildLicenseData({ observed: ['BSD-3-Clause'] });
    expect(ids(observed.declaredLicenses)).toEqual(['Not-Declared']);
    expect(ids(observed.effectiveLicenses)).toEqual(['BSD-3-Clause']);
    expect(effectiveLicenseIds(['Not-Declared'], ['No-Source-License'])).toEqual(['Not-Declared', 'No-Source-License']);
  });

  it('lets an override or a selection replace the effective licenses', () => {
    const overridden = buildLicenseData({ declared: ['GPL-2.0-only OR MIT'], override: { status: 'SELECTED', licenseIds: ['MIT'] } });
    expect(ids(overridden.effectiveLicenses)).toEqual(['MIT']);
    expect(ids(overridden.overriddenLicenses)).toEqual(['MIT']);
    expect(overridden.status).toBe('Selected');
    const byOverride = buildLicenseData({ declared: ['Not-Declared'], override: { status: 'OVERRIDDEN', licenseIds: ['Apache-2.0'] } });
    expect(ids(byOverride.effectiveLicenses)).toEqual(['Apache-2.0']);
    expect(byOverride.status).toBe('Overridden');
  });

  it('keeps the found licenses effective when a review only acknowledges or confirms them', () => {
    for (const status of ['ACKNOWLEDGED', 'CONFIRMED'] as const) {
      const data = buildLicenseData({ declared: ['MIT'], override: { status, licenseIds: ['Apache-2.0'] } });
      expect(ids(data.effectiveLicenses)).toEqual(['MIT']);
      expect(data.status).toBe(status === 'ACKNOWLEDGED' ? 'Acknowledged' : 'Confirmed');
    }
  });

  it('keeps text it cannot read as written rather than dropping it', () => {
    expect(ids(buildLicenseData({ declared: ['Public Domain'] }).declaredLicenses)).toEqual(['Public Domain']);
  });
});
