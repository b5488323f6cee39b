// Package registry answers (npm, Maven Central, PyPI …), cached with an expiry.

declare module '../schema.js' {
  interface Database {
    registry_cache: RegistryCacheTable;
  }
}

export interface RegistryCacheTable {
  /**
   * What the document describes: a registry's package (`npm`, `maven`, `pypi`) or a finer record of
   * one, e.g. `maven-pom` for one POM (`group:artifact:version`).
   */
  ecosystem: string;
  /** The package's normalized name in that registry, e.g. `@types/semver`, `junit:junit`, `flask-sqlalchemy`. */
  name: string;
  fetched_at: string;
  expires_at: string;
  /** JSON: the normalized document (intel/registries/types.ts), or `{"notFound":true}`. */
  document: string;
}
