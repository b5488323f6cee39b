import { describe, it } from 'vitest';
import { pep440Versioning as pep440 } from '../../../src/ecosystems/versioning/pep440.js';
import { expectAscending, expectEqual, expectTotalOrder, expectValidity, itOrders } from './table.js';

// Cases from PEP 440 ("Summary of permitted suffixes and relative ordering", "Version epochs",
// "Local version identifiers", "Normalization") and the Python packaging specification.
describe('pep440 (PyPI)', () => {
  it('orders the PEP 440 suffix summary', () => {
    expectAscending(pep440, [
      '1.dev0',
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0rc1.dev456',
      '1.0rc1',
      '1.0',
      '1.0+abc.5',
      '1.0+abc.7',
      '1.0+5',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.0.15',
      '1.1.dev1',
    ]);
  });

  itOrders(
    pep440,
    `
    # epochs outrank everything
    1!1.0 > 2.0
    2013.10 < 1!1.0
    1!1.0 < 2!0.1
    # release segments: numeric, any length, trailing zeros ignored
    1.9 < 1.10
    1.0.0.0.1 > 1.0
    1.0 = 1.0.0.0
    # local versions: after the public version; numbers beat letters; longer wins a tie
    1.0 < 1.0+local
    1.0+abc < 1.0+1
    1.0+1 < 1.0+1.0
    1.0+a < 1.0+b
    1.0+9 < 1.0+10
    1.0+ubuntu.1 < 1.0.post1
    # implicit numbers
    1.0a < 1.0a1
    1.0a0 = 1.0a
    1.0.post = 1.0.post0
    1.0.dev = 1.0.dev0
    `,
  );

  it('normalizes spellings as PEP 440 does', () => {
    expectEqual(pep440, [
      ['1.0a1', '1.0alpha1', '1.0.a.1', '1.0-A1', '1.0_a_1', '1.0a01'],
      ['1.0b2', '1.0beta2', '1.0-b2', '1.0B2'],
      ['1.0rc1', '1.0c1', '1.0pre1', '1.0preview1', '1.0-RC1'],
      ['1.0.post1', '1.0post1', '1.0-1', '1.0-post1', '1.0.r1', '1.0rev1', '1.0-r-1'],
      ['1.0.dev1', '1.0dev1', '1.0-dev1', '1.0_dev_1'],
      ['1.0', '1.0.0', 'v1.0', 'V1.0', ' 1.0 ', '0!1.0', '01.00'],
      ['1.0+ubuntu-1', '1.0+ubuntu.1', '1.0+ubuntu_1', '1.0+UBUNTU.1'],
    ]);
  });

  it('validates', () => {
    expectValidity(
      pep440,
      ['1', '1.0', '1!2.0', '1.0a1', '1.0.post1.dev2', '1.0+local.7', '2013.10.12', '0.0.0.dev0', 'v2.0'],
      ['', 'latest', 'french toast', '1.0+', '1.0+_abc', '1.0.dev1.post1', '1.0a1a2', '1.0-', '1!', '1.0.x', '==1.0', '1.0 a1'],
    );
  });

  it('is a total order, also over junk', () => {
    expectTotalOrder(pep440, ['1.0', '1.0.0', '1!0.1', '1.0a1', '1.0.dev0', '1.0.post1', '1.0+abc', '1.0+1', '1.0b2.post3.dev4', 'wat']);
  });
});
