import type { AppContext } from '../../core/context.js';
import { ValidationError } from '../../core/errors.js';
import { deleteSetting, getSetting, putSetting } from './settings.js';

/**
 * IQ Server system properties (the reference's SystemConfigProperty), stored together under one
 * settings key. Names are case-sensitive, as in the reference.
 */
export interface SystemConfig {
  baseUrl?: string | null;
  forceBaseUrl?: boolean | null;
}
export type SystemProperty = keyof SystemConfig;

export const SYSTEM_CONFIG_SETTING = 'config.system';

interface PropertyRule {
  /** Any authenticated user may read it (clients build links from it); otherwise CONFIGURE_SYSTEM. */
  readableByAll: boolean;
  /** Throws ValidationError when `value` is not acceptable; returns the value to store. */
  check(value: unknown): string | boolean;
}

function checkBaseUrl(value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError('baseUrl must be a string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(`baseUrl must be an absolute http(s) URL such as https://tollgate.example.com, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationError(`baseUrl must use http or https, got "${value}"`);
  if (url.search || url.hash) throw new ValidationError('baseUrl must not have a query or a fragment');
  // Links are built as `${baseUrl}/path`: keep it without a trailing slash.
  return value.replace(/\/+$/, '');
}

function checkBoolean(name: string) {
  return (value: unknown): boolean => {
    if (typeof value !== 'boolean') throw new ValidationError(`${name} must be true or false`);
    return value;
  };
}

export const SYSTEM_PROPERTIES: Record<SystemProperty, PropertyRule> = {
  baseUrl: { readableByAll: true, check: checkBaseUrl },
  forceBaseUrl: { readableByAll: false, check: checkBoolean('forceBaseUrl') },
};
export const SYSTEM_PROPERTY_NAMES = Object.keys(SYSTEM_PROPERTIES) as SystemProperty[];

function isProperty(name: string): name is SystemProperty {
  return Object.hasOwn(SYSTEM_PROPERTIES, name);
}

function unknownProperty(name: string): ValidationError {
  return new ValidationError(
    `Unknown system property "${name}": known properties are ${SYSTEM_PROPERTY_NAMES.join(', ')} (names are case-sensitive).`,
  );
}

/** The properties named in a query (all of them when none is named), checked. */
export function requestedProperties(names: string[] | undefined): SystemProperty[] {
  if (!names || names.length === 0) return [...SYSTEM_PROPERTY_NAMES];
  const out: SystemProperty[] = [];
  for (const name of names) {
    if (!isProperty(name)) throw unknownProperty(name);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** True when reading these properties needs the CONFIGURE_SYSTEM permission. */
export function needsConfigurePermission(properties: SystemProperty[]): boolean {
  return properties.some((p) => !SYSTEM_PROPERTIES[p].readableByAll);
}

async function stored(ctx: AppContext): Promise<SystemConfig> {
  return (await getSetting<SystemConfig>(ctx.store.db, SYSTEM_CONFIG_SETTING)) ?? {};
}

/** The requested properties; one that was never set (or was removed) is null. */
export async function getSystemConfig(ctx: AppContext, properties: SystemProperty[]): Promise<SystemConfig> {
  const current = await stored(ctx);
  const out: SystemConfig = {};
  for (const p of properties) (out as Record<string, unknown>)[p] = current[p] ?? null;
  return out;
}

/** Sets the properties present in `input`; a null value removes the property. */
export async function updateSystemConfig(ctx: AppContext, input: Record<string, unknown>): Promise<void> {
  const names = Object.keys(input);
  if (names.length === 0) throw new ValidationError(`Name at least one system property to set: ${SYSTEM_PROPERTY_NAMES.join(', ')}.`);
  const changes: Record<string, unknown> = {};
  for (const name of names) {
    if (!isProperty(name)) throw unknownProperty(name);
    changes[name] = input[name] === null ? null : SYSTEM_PROPERTIES[name].check(input[name]);
  }
  await ctx.store.db.transaction().execute(async (trx) => {
    const current = (await getSetting<SystemConfig>(trx, SYSTEM_CONFIG_SETTING)) ?? {};
    const next: Record<string, unknown> = { ...current };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete next[name];
      else next[name] = value;
    }
    // Forcing the base URL only means something once there is one.
    if (next.forceBaseUrl === true && !next.baseUrl) {
      throw new ValidationError('forceBaseUrl can only be true while baseUrl is set: set baseUrl first (or in the same request).');
    }
    await putSetting(trx, SYSTEM_CONFIG_SETTING, next, ctx.now().toISOString());
  });
}

/** Removes the named properties (at least one must be named). */
export async function removeSystemProperties(ctx: AppContext, names: string[] | undefined): Promise<void> {
  if (!names || names.length === 0) {
    throw new ValidationError(`Name the system properties to remove with ?property=…: ${SYSTEM_PROPERTY_NAMES.join(', ')}.`);
  }
  const properties = requestedProperties(names);
  await ctx.store.db.transaction().execute(async (trx) => {
    const current = (await getSetting<SystemConfig>(trx, SYSTEM_CONFIG_SETTING)) ?? {};
    const next: Record<string, unknown> = { ...current };
    for (const p of properties) delete next[p];
    // Without a base URL there is nothing to force.
    if (!next.baseUrl) delete next.forceBaseUrl;
    if (Object.keys(next).length === 0) await deleteSetting(trx, SYSTEM_CONFIG_SETTING);
    else await putSetting(trx, SYSTEM_CONFIG_SETTING, next, ctx.now().toISOString());
  });
}

/**
 * The base URL links are built from: the baseUrl system property when set, else the server's
 * configured baseUrl (configuration file or TOLLGATE_BASE_URL).
 */
export async function effectiveBaseUrl(ctx: AppContext): Promise<{ url: string; fromSystemProperty: boolean }> {
  const current = await stored(ctx);
  if (current.baseUrl) return { url: current.baseUrl, fromSystemProperty: true };
  return { url: ctx.config.baseUrl, fromSystemProperty: false };
}
