/**
 * One version scheme: how an ecosystem orders and validates its versions. One module per scheme
 * (ecosystems/versioning/<scheme>.ts), each with table tests from the ecosystem's own documentation.
 */
export interface Versioning {
  /** The scheme's name, e.g. `maven`, `pep440`, `semver`. */
  readonly name: string;
  /** Whether `version` is a version this scheme understands. */
  isValid(version: string): boolean;
  /**
   * Orders two versions: negative when a < b, 0 when equal, positive when a > b. Versions the scheme
   * does not understand still get a total, stable order (never throws), so sorting always works.
   */
  compare(a: string, b: string): number;
}
