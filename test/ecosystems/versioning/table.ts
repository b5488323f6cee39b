import { expect, it } from 'vitest';
import type { Versioning } from '../../../src/ecosystems/versioning/types.js';

type Relation = '<' | '=' | '>';

/** Reads `a < b` / `a = b` / `a > b` lines (blank lines and `#` comments ignored). */
export function relations(table: string): [string, Relation, string][] {
  return table
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => {
      const m = /^(\S+)\s+([<=>])\s+(\S+)$/.exec(line);
      if (!m) throw new Error(`bad table line: ${line}`);
      return [m[1], m[2] as Relation, m[3]];
    });
}

/** One test per table line, checking the relation both ways round. */
export function itOrders(versioning: Versioning, table: string): void {
  it.each(relations(table))('%s %s %s', (a, rel, b) => {
    const sign = rel === '<' ? -1 : rel === '>' ? 1 : 0;
    expect(Math.sign(versioning.compare(a, b))).toBe(sign);
    expect(Math.sign(versioning.compare(b, a))).toBe(-sign || 0);
  });
}

/** Every earlier entry is strictly less than every later one. */
export function expectAscending(versioning: Versioning, list: readonly string[]): void {
  const wrong: string[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      if (!(versioning.compare(list[i], list[j]) < 0 && versioning.compare(list[j], list[i]) > 0)) {
        wrong.push(`${list[i]} < ${list[j]}`);
      }
    }
  }
  expect(wrong).toEqual([]);
}

/** Each group's members compare equal to each other. */
export function expectEqual(versioning: Versioning, groups: readonly (readonly string[])[]): void {
  const wrong: string[] = [];
  for (const group of groups) {
    for (const a of group) for (const b of group) if (versioning.compare(a, b) !== 0) wrong.push(`${a} = ${b}`);
  }
  expect(wrong).toEqual([]);
}

/** isValid over a list: all of `valid` pass and all of `invalid` fail. */
export function expectValidity(versioning: Versioning, valid: readonly string[], invalid: readonly string[]): void {
  expect(valid.filter((v) => !versioning.isValid(v))).toEqual([]);
  expect(invalid.filter((v) => versioning.isValid(v))).toEqual([]);
}

/**
 * compare never throws and is a total order on the sample (valid and junk mixed): antisymmetric,
 * transitive, and sorting is deterministic whatever the input order.
 */
export function expectTotalOrder(versioning: Versioning, sample: readonly string[]): void {
  const junk = ['', ' ', 'latest', '*', '..', '-', 'v', '💥', 'null', '1..2', '-1', '1.0.0.0.0.0.0.0.0.0-x+y~z'];
  const all = [...sample, ...junk];
  const c = (a: string, b: string) => Math.sign(versioning.compare(a, b));
  const wrong: string[] = [];
  for (const a of all) {
    if (c(a, a) !== 0) wrong.push(`${a} = ${a}`);
    for (const b of all) {
      if (c(a, b) !== -c(b, a)) wrong.push(`antisymmetry ${a} ${b}`);
      for (const d of all) {
        if (c(a, b) <= 0 && c(b, d) <= 0 && c(a, d) > 0) wrong.push(`transitivity ${a} <= ${b} <= ${d}`);
      }
    }
  }
  expect(wrong.slice(0, 10)).toEqual([]);
  const sorted = all.slice().sort(versioning.compare);
  const again = all.slice().reverse().sort(versioning.compare);
  for (let i = 0; i < sorted.length; i++) expect(c(sorted[i], again[i])).toBe(0);
}
