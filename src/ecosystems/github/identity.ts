import { ValidationError } from '../../core/errors.js';
import { coordinatesOf, label, optional, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * GitHub repositories (and GitHub Actions): `{namespace, name, version}` ⇄
 * `pkg:github/package-url/purl-spec@244fd47e07d1004`. The reference is silent on this format; the
 * coordinates follow the purl spec's github type (namespace = owner, name = repository, both
 * lowercased; version = tag or commit). Display name: `owner/repository version`.
 */
export const github: FormatIdentity = {
  format: 'github',
  purlType: 'github',
  coordinateKeys: ['namespace', 'name', 'version'],
  toPurl(c) {
    return {
      type: 'github',
      namespace: required('github', c, 'namespace'),
      name: required('github', c, 'name'),
      version: optional(c, 'version'),
    };
  },
  fromPurl(p) {
    if (!p.namespace) throw new ValidationError(`A github package URL needs the owner as namespace: pkg:github/owner/${p.name}`);
    return coordinatesOf({ namespace: p.namespace, name: p.name, version: p.version });
  },
  displayName(c) {
    return label(`${optional(c, 'namespace') ?? ''}/${optional(c, 'name') ?? ''}`, optional(c, 'version'));
  },
};
