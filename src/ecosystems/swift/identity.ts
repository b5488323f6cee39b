import { ValidationError } from '../../core/errors.js';
import { coordinatesOf, joinPath, label, optional, required, splitPath } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * Swift: `{name, version}` with the repository path as name ⇄
 * `pkg:swift/github.com/ReactiveX/RxSwift@5.1.0`, as Sonatype's docs write it. The purl spec
 * requires a namespace (the source host and owner) and a version. Display name: `name version`.
 */
export const swift: FormatIdentity = {
  format: 'swift',
  purlType: 'swift',
  coordinateKeys: ['name', 'version'],
  toPurl(c) {
    const path = required('swift', c, 'name');
    const parts = splitPath(path);
    if (!parts.namespace) {
      throw new ValidationError(`The swift name "${path}" must be the package's repository path, e.g. github.com/apple/swift-nio`);
    }
    return { type: 'swift', ...parts, version: required('swift', c, 'version') };
  },
  fromPurl(p) {
    return coordinatesOf({ name: joinPath(p.namespace, p.name), version: p.version });
  },
  displayName(c) {
    return label(optional(c, 'name') ?? '', optional(c, 'version'));
  },
};
