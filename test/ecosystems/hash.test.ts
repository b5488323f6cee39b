import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COMPONENT_HASH_LENGTH, componentHash, isComponentHash, parseComponentHash } from '../../src/ecosystems/hash.js';
import { ValidationError } from '../../src/core/errors.js';

describe('component hashes', () => {
  it('are the first 20 lowercase hex characters of the SHA-1', () => {
    // SHA-1 test vectors of FIPS 180-2: "abc" and the empty message.
    expect(componentHash('abc')).toBe('a9993e364706816aba3e');
    expect(componentHash('')).toBe('da39a3ee5e6b4b0d3255');
    const bytes = new Uint8Array([0, 1, 2, 255]);
    expect(componentHash(bytes)).toBe(createHash('sha1').update(bytes).digest('hex').slice(0, 20));
    expect(componentHash('abc')).toHaveLength(COMPONENT_HASH_LENGTH);
  });

  it.each([
    ['4632184fe1d932764efe', true],
    ['6d0684d8acf85cd6e7f2', true],
    ['4632184FE1D932764EFE', false],
    ['4632184fe1d932764ef', false],
    ['4632184fe1d932764efe0', false],
    ['4632184fe1d932764efg', false],
    ['', false],
    [null, false],
    [42, false],
  ])('isComponentHash(%j) is %s', (value, expected) => {
    expect(isComponentHash(value)).toBe(expected);
  });

  it.each([
    ['4632184fe1d932764efe', '4632184fe1d932764efe'],
    [' 4632184FE1D932764EFE ', '4632184fe1d932764efe'],
    ['A9993E364706816ABA3E25717850C26C9CD0D89D', 'a9993e364706816aba3e'],
  ])('parseComponentHash(%j) is %s', (value, expected) => {
    expect(parseComponentHash(value)).toBe(expected);
  });

  it.each(['', 'xyz', '4632184fe1d932764ef', 'a9993e364706816aba3e25717850c26c9cd0d89', '4632184fe1d932764efg'])(
    'parseComponentHash(%j) refuses with a clear message',
    (value) => {
      expect(() => parseComponentHash(value)).toThrow(ValidationError);
      expect(() => parseComponentHash(value)).toThrow(/first 20 hexadecimal characters of the component's SHA-1/);
    },
  );
});
