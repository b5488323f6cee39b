import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AppContext } from '../../core/context.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { deleteSetting, getSetting, putSetting } from '../admin/settings.js';

/**
 * Reverse proxy authentication: a proxy in front of Tollgate authenticates people and names them in
 * a request header. While enabled, http/auth.ts trusts that header and asks data-changing requests
 * for a CSRF token (unless csrfProtectionDisabled).
 */
export interface ReverseProxyAuthentication {
  enabled: boolean;
  usernameHeader: string;
  csrfProtectionDisabled?: boolean;
  logoutUrl?: string;
}
export const REVERSE_PROXY_SETTING = 'config.reverseProxyAuthentication';
export const DEFAULT_USERNAME_HEADER = 'REMOTE_USER';

/** RFC 9110 field-name characters. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,100}$/;
/** Headers that already mean something else to Tollgate: trusting them as a username would be a hole. */
const RESERVED_HEADERS = new Set(['authorization', 'cookie', 'host', 'content-type', 'content-length', 'x-csrf-token']);

export async function getReverseProxyAuthentication(db: Kysely<Database>): Promise<ReverseProxyAuthentication | undefined> {
  return getSetting<ReverseProxyAuthentication>(db, REVERSE_PROXY_SETTING);
}

export async function readReverseProxyAuthentication(ctx: AppContext): Promise<ReverseProxyAuthentication> {
  const config = await getReverseProxyAuthentication(ctx.store.db);
  if (!config) throw new NotFoundError('No reverse proxy authentication configuration exists.');
  return { csrfProtectionDisabled: false, ...config };
}

export interface ReverseProxyInput {
  enabled?: unknown;
  usernameHeader?: unknown;
  csrfProtectionDisabled?: unknown;
  logoutUrl?: unknown;
}

function checkLogoutUrl(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ValidationError('logoutUrl must be a string');
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new ValidationError(`logoutUrl must be an http(s) URL or a path starting with /, got "${value}"`);
}

/** Replaces the configuration with `input` (usernameHeader defaults to REMOTE_USER). */
export async function saveReverseProxyAuthentication(ctx: AppContext, input: ReverseProxyInput): Promise<void> {
  if (typeof input.enabled !== 'boolean') throw new ValidationError('enabled is required and must be true or false');
  const header = input.usernameHeader ?? DEFAULT_USERNAME_HEADER;
  if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
    throw new ValidationError(`usernameHeader must be an HTTP header name such as ${DEFAULT_USERNAME_HEADER}, got ${JSON.stringify(header)}`);
  }
  if (RESERVED_HEADERS.has(header.toLowerCase())) {
    throw new ValidationError(`usernameHeader cannot be ${header}: Tollgate already reads that header for something else`);
  }
  const csrf = input.csrfProtectionDisabled ?? false;
  if (typeof csrf !== 'boolean') throw new ValidationError('csrfProtectionDisabled must be true or false');
  const logoutUrl = checkLogoutUrl(input.logoutUrl);
  const value: ReverseProxyAuthentication = {
    enabled: input.enabled,
    usernameHeader: header,
    csrfProtectionDisabled: csrf,
    ...(logoutUrl ? { logoutUrl } : {}),
  };
  await putSetting(ctx.store.db, REVERSE_PROXY_SETTING, value, ctx.now().toISOString());
}

/** Removes the configuration: only Basic credentials and tokens authenticate again. */
export async function deleteReverseProxyAuthentication(ctx: AppContext): Promise<void> {
  await deleteSetting(ctx.store.db, REVERSE_PROXY_SETTING);
}
