import { coordinatesOf, optional, qualifier, qualifiersOf, required } from '../coordinates.js';
import type { FormatIdentity } from '../types.js';

const DEFAULT_EXTENSION = 'jar';

/**
 * Maven: `{groupId, artifactId, version, classifier, extension}` ⇄ `pkg:maven/g/a@v?classifier=c&type=e`.
 * IQ always writes the `type` qualifier (`?type=jar`) and always lists `classifier` (empty when
 * there is none) and `extension` (`jar` when the purl names no type), as the reference's examples do.
 * Display name: `groupId : artifactId : version` as IQ shows it; Tollgate appends ` (classifier)`
 * and ` (.extension)` for a classifier or a non-jar extension so distinct artifacts read distinctly.
 */
export const maven: FormatIdentity = {
  format: 'maven',
  purlType: 'maven',
  coordinateKeys: ['groupId', 'artifactId', 'version', 'classifier', 'extension'],
  toPurl(c) {
    return {
      type: 'maven',
      namespace: required('maven', c, 'groupId'),
      name: required('maven', c, 'artifactId'),
      version: optional(c, 'version'),
      qualifiers: qualifiersOf({
        classifier: optional(c, 'classifier'),
        type: optional(c, 'extension') ?? DEFAULT_EXTENSION,
      }),
    };
  },
  fromPurl(p) {
    return coordinatesOf({
      groupId: p.namespace ?? '',
      artifactId: p.name,
      version: p.version,
      classifier: qualifier(p.qualifiers, 'classifier') ?? '',
      extension: qualifier(p.qualifiers, 'type') ?? DEFAULT_EXTENSION,
    });
  },
  displayName(c) {
    let text = [optional(c, 'groupId'), optional(c, 'artifactId'), optional(c, 'version')]
      .filter((part) => part !== undefined)
      .join(' : ');
    const classifier = optional(c, 'classifier');
    const extension = optional(c, 'extension');
    if (classifier) text += ` (${classifier})`;
    if (extension && extension !== DEFAULT_EXTENSION) text += ` (.${extension})`;
    return text;
  },
};
