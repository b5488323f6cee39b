import { mavenCentral, normalizeMavenName } from '../../intel/registries/maven.js';
import { gradleLockfileReader, pomReader } from '../../sbom/lockfiles/jvm.js';
import { ValidationError } from '../../core/errors.js';
import type { Coordinates } from '../types.js';
import type { EcosystemDescriptor } from '../descriptor.js';
import { mavenVersioning } from '../versioning/maven.js';
import { maven } from './identity.js';

/** Maven's name for a package, as OSV and the registry write it: `groupId:artifactId`. */
const packageName = (c: Coordinates) => (c.groupId && c.artifactId ? `${c.groupId}:${c.artifactId}` : undefined);

/** Maven: `groupId:artifactId`, Maven's version order, Maven Central, Gradle lockfiles and POMs. */
export const mavenEcosystem: EcosystemDescriptor = {
  format: 'maven',
  identity: maven,
  versioning: mavenVersioning,
  osv: {
    ecosystems: ['Maven'],
    coordinatesOf(pkg) {
      const [groupId, artifactId, ...rest] = pkg.name.trim().split(':');
      if (!groupId || !artifactId || rest.length > 0) {
        throw new ValidationError(`The Maven package name "${pkg.name}" is not groupId:artifactId`);
      }
      return { groupId, artifactId };
    },
    nameOf: packageName,
  },
  registry: {
    create: (c) =>
      mavenCentral({
        url: c.maven.url,
        // `off` as well as empty turns the search API off: an empty environment variable counts as unset.
        searchUrl: /^(off|none)?$/i.test(c.maven.searchUrl) ? '' : c.maven.searchUrl,
        timeoutMs: c.timeoutMs,
      }),
    packageName,
    depsDev: { system: 'maven', normalizeName: normalizeMavenName },
  },
  lockfiles: [gradleLockfileReader, pomReader],
};
