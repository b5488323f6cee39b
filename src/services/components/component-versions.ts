import { resolveComponent } from '../../ecosystems/identity.js';
import { versioningFor } from '../../ecosystems/versioning/index.js';
import { REGISTRY_FORMATS, registryMetadata, registryRequestFor } from '../../intel/registries/index.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';

/** A component as the Component Versions request names it: `{format, coordinates}` or a package URL. */
export interface ComponentVersionsRequest {
  format?: string;
  coordinates?: Record<string, string>;
  packageUrl?: string;
}

/**
 * Every published version of a component, oldest first in its ecosystem's version order, from the
 * registry serving its format (cached; see intel/registries). The version in the request, if any,
 * does not matter. 404 when the registry does not know the component or Tollgate reads no registry
 * for its format.
 */
export async function componentVersions(ctx: AppContext, request: ComponentVersionsRequest): Promise<string[]> {
  const hasIdentifier = request.format !== undefined || request.coordinates !== undefined;
  if (!hasIdentifier && !request.packageUrl?.trim()) {
    throw new ValidationError('Name the component by format and coordinates, or by packageUrl');
  }
  const { componentIdentifier } = resolveComponent({
    componentIdentifier: hasIdentifier ? { format: request.format ?? '', coordinates: request.coordinates ?? {} } : null,
    packageUrl: request.packageUrl,
  });
  const identifier = componentIdentifier!;
  if (!REGISTRY_FORMATS.includes(identifier.format)) {
    throw new NotFoundError(
      `Tollgate reads no registry for ${identifier.format} components, so it knows no versions of them (it reads ${REGISTRY_FORMATS.join(', ')})`,
    );
  }
  const lookup = registryRequestFor(identifier);
  if (!lookup) throw new ValidationError(`The ${identifier.format} component needs its name to look up its versions`);
  const metadata = await registryMetadata(ctx, { format: lookup.format, name: lookup.name });
  const versions = metadata.versions.map((v) => v.version);
  // Cached answers keep the order they were stored in; sort again in case the scheme has improved.
  const scheme = versioningFor(identifier.format);
  return scheme ? versions.sort((a, b) => scheme.compare(a, b)) : versions;
}
