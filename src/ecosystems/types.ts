/**
 * Component identity as the reference API spells it: `{format, coordinates}`, where the coordinate
 * names depend on the format (maven: groupId, artifactId, version, classifier, extension; npm:
 * packageId, version; …). Every identifier round-trips with a package URL (purl).
 */
export type Coordinates = Record<string, string>;

export interface ComponentIdentifier {
  format: string;
  coordinates: Coordinates;
}

/** A package URL split into its parts, decoded (see https://github.com/package-url/purl-spec). */
export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string>;
  subpath?: string;
}

/**
 * How one reference format maps to and from package URLs. One module per format
 * (ecosystems/<format>/identity.ts), named by its descriptor (ecosystems/<format>/index.ts).
 */
export interface FormatIdentity {
  /** The reference's format name, e.g. `maven`, `golang`, `a-name`. */
  readonly format: string;
  /** The purl type this format is written as, e.g. `golang`, `apk` for `alpine`. */
  readonly purlType: string;
  /** Every coordinate name the format accepts; others are rejected unless `openCoordinates`. */
  readonly coordinateKeys: readonly string[];
  /** Whether coordinates beyond `coordinateKeys` are accepted (the generic fallback's qualifiers). */
  readonly openCoordinates?: boolean;
  /**
   * The purl parts for these coordinates (not yet normalized: ecosystems/purl.ts applies the purl
   * type's rules). Throws ValidationError when a required coordinate is missing or malformed.
   */
  toPurl(coordinates: Coordinates): PurlParts;
  /**
   * Coordinates for normalized purl parts of this format's purl type. Qualifiers that do not
   * identify the component (repository_url, download_url, checksum, …) and subpaths are dropped.
   */
  fromPurl(purl: PurlParts): Coordinates;
  /** A short human label, as IQ shows components (`ch.qos.logback : logback-core : 1.3.14`). */
  displayName(coordinates: Coordinates): string;
}
