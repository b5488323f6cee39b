import type { AppContext } from '../../core/context.js';
import { getSystemConfig } from './system-config.js';

/**
 * The reference product's solutions and whether Tollgate provides each. Lifecycle is what Tollgate
 * implements; the others need products Tollgate does not replace (a repository manager for
 * Firewall, and so on), so they are never "licensed".
 */
export const SOLUTIONS: ReadonlyArray<{ id: string; licensed: boolean; path: string; why: string }> = [
  { id: 'lifecycle', licensed: true, path: '/swagger-ui', why: 'Tollgate implements the Lifecycle REST API' },
  { id: 'firewall', licensed: false, path: '', why: 'needs a Nexus Repository Manager in front of it' },
  { id: 'sbomManager', licensed: false, path: '', why: 'not implemented' },
  { id: 'developer', licensed: false, path: '', why: 'not implemented' },
];

/**
 * Licensed solutions with the URL where a person finds each. As in the reference, the base URL
 * system property must be set for absolute URLs; without it there are results only when relative
 * URLs are allowed.
 */
export async function licensedSolutions(ctx: AppContext, allowRelativeUrls: boolean): Promise<Array<{ id: string; url: string }>> {
  const { baseUrl } = await getSystemConfig(ctx, ['baseUrl']);
  if (!baseUrl && !allowRelativeUrls) return [];
  return SOLUTIONS.filter((s) => s.licensed).map((s) => ({ id: s.id, url: `${baseUrl ?? ''}${s.path}` }));
}
