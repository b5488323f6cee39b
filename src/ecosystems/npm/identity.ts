import { ValidationError } from '../../core/errors.js';
import { coordinatesOf, joinPath, label, optional, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * npm: `{packageId, version}` ⇄ `pkg:npm/name@v`; a scoped package `@scope/name` is the purl
 * namespace `@scope`, written percent-encoded (`pkg:npm/%40scope/name@v`) as the purl spec and
 * Sonatype's docs ask. The purl spec lowercases npm names, so `packageId` comes back lowercased.
 * Display name: `packageId version`, the `name version` style IQ uses for non-Maven formats
 * (`github.com/Masterminds/vcs v1.13.1`).
 */
export const npm: FormatIdentity = {
  format: 'npm',
  purlType: 'npm',
  coordinateKeys: ['packageId', 'version'],
  toPurl(c) {
    const packageId = required('npm', c, 'packageId');
    const version = optional(c, 'version');
    if (packageId.startsWith('@')) {
      const slash = packageId.indexOf('/');
      if (slash < 2 || slash === packageId.length - 1 || packageId.indexOf('/', slash + 1) >= 0) {
        throw new ValidationError(`The npm packageId "${packageId}" is not a valid scoped name: use "@scope/name"`);
      }
      return { type: 'npm', namespace: packageId.slice(0, slash), name: packageId.slice(slash + 1), version };
    }
    if (packageId.includes('/')) {
      throw new ValidationError(`The npm packageId "${packageId}" contains "/": only scoped names ("@scope/name") may`);
    }
    return { type: 'npm', name: packageId, version };
  },
  fromPurl(p) {
    const namespace = p.namespace && !p.namespace.startsWith('@') ? `@${p.namespace}` : p.namespace;
    return coordinatesOf({ packageId: joinPath(namespace, p.name), version: p.version });
  },
  displayName(c) {
    return label(optional(c, 'packageId') ?? '', optional(c, 'version'));
  },
};
