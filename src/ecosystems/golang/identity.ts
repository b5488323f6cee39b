import { coordinatesOf, joinPath, label, optional, required, splitPath } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * Go: `{name, version}` ⇄ `pkg:golang/github.com/rs/cors@v1.4.0`; the module path is split at
 * its last `/` into purl namespace and name. Case is kept (module paths are case-sensitive; the
 * purl spec's lowercasing rule for golang is being withdrawn and packageurl-js no longer applies
 * it). A purl subpath (a package inside the module) is not part of the component and is dropped.
 * Display name: IQ's own, `github.com/Masterminds/vcs v1.13.1`.
 */
export const golang: FormatIdentity = {
  format: 'golang',
  purlType: 'golang',
  coordinateKeys: ['name', 'version'],
  toPurl(c) {
    return { type: 'golang', ...splitPath(required('golang', c, 'name')), version: optional(c, 'version') };
  },
  fromPurl(p) {
    return coordinatesOf({ name: joinPath(p.namespace, p.name), version: p.version });
  },
  displayName(c) {
    return label(optional(c, 'name') ?? '', optional(c, 'version'));
  },
};
