import { coordinatesOf, label, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

/**
 * PyPI: `{name, version, qualifier, extension}` ⇄ `pkg:pypi/name@v?extension=whl&qualifier=py3-none-any`.
 * `extension` (whl, tar.gz) and `qualifier` (a wheel's python-abi-platform tag) are Sonatype
 * qualifiers beyond the purl spec. The purl spec lowercases names and turns `_` into `-`
 * (`Django_Foo` → `django-foo`). When either is known both are listed, `qualifier` empty for a
 * tarball, as IQ's reports list them (`{extension=tar.gz, name=confire, qualifier=, version=0.2.0}`).
 * Display name: IQ's own, `django_make_app (py2.py3-none-any) 0.1.3 (.whl)` / `Django 1.6 (.tar.gz)`.
 */
export const pypi: FormatIdentity = {
  format: 'pypi',
  purlType: 'pypi',
  coordinateKeys: ['name', 'version', 'qualifier', 'extension'],
  toPurl(c) {
    return {
      type: 'pypi',
      name: required('pypi', c, 'name'),
      version: optional(c, 'version'),
      qualifiers: qualifiersOf({ extension: optional(c, 'extension'), qualifier: optional(c, 'qualifier') }),
    };
  },
  fromPurl(p) {
    const extension = qualifier(p.qualifiers, 'extension');
    const tag = qualifier(p.qualifiers, 'qualifier');
    const listed = extension !== undefined || tag !== undefined;
    return coordinatesOf({
      name: p.name,
      version: p.version,
      extension: listed ? (extension ?? '') : undefined,
      qualifier: listed ? (tag ?? '') : undefined,
    });
  },
  displayName(c) {
    return label(optional(c, 'name') ?? '', optional(c, 'version'), optional(c, 'qualifier'), optional(c, 'extension'));
  },
};
