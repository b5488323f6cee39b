import { describe, it } from 'vitest';
import { cargoVersioning as cargo } from '../../../src/ecosystems/versioning/cargo.js';
import { expectAscending, expectEqual, expectTotalOrder, expectValidity } from './table.js';

// Cases from the SemVer 2.0.0 specification and the Cargo book ("SemVer compatibility",
// "Specifying dependencies"): crates.io versions are strict SemVer.
describe('cargo (crates.io)', () => {
  it('orders by SemVer precedence', () => {
    expectAscending(cargo, [
      '0.1.0',
      '0.1.1',
      '0.2.0-alpha',
      '0.2.0-alpha.1',
      '0.2.0-alpha.beta',
      '0.2.0-beta',
      '0.2.0-beta.2',
      '0.2.0-beta.11',
      '0.2.0-rc.1',
      '0.2.0',
      '1.0.0',
      '1.10.0',
      '10.0.0',
    ]);
  });

  it('ignores build metadata for ordering', () => {
    expectEqual(cargo, [['1.0.0', '1.0.0+build.1', '1.0.0+20130313144700']]);
  });

  it('accepts only strict SemVer', () => {
    expectValidity(
      cargo,
      ['0.0.0', '1.2.3', '1.0.0-alpha.1+001', '1.0.0+21AF26D3----117B344092BD'],
      ['', 'v1.2.3', '=1.2.3', ' 1.2.3', '1.2.3 ', '1.2', '1.2.3.4', '01.2.3', '1.2.3-01', '1.2.3beta', '^1.2.3', '1.2.*'],
    );
  });

  it('is a total order, also over junk', () => {
    expectTotalOrder(cargo, ['1.0.0', 'v1.0.0', '1.0.0-rc.1', '1.0.0+b', '1.0.0-0', '2.0.0', '1.2']);
  });
});
