import type { AppContext } from '../../core/context.js';
import { ValidationError } from '../../core/errors.js';
import { getSetting, putSetting } from '../admin/settings.js';

export const USER_TOKEN_CONFIG_SETTING = 'config.userTokens';
export const MAX_TOKEN_EXPIRATION_DAYS = 3650;

/** How user tokens are issued. Without userTokenDefaultExpirationDays, tokens never expire (the system default). */
export interface UserTokenConfiguration {
  userTokenDefaultExpirationDays?: number;
}

const PROPERTIES = ['userTokenDefaultExpirationDays'] as const;
type Property = (typeof PROPERTIES)[number];

export async function getUserTokenConfiguration(ctx: AppContext): Promise<UserTokenConfiguration> {
  return (await getSetting<UserTokenConfiguration>(ctx.store.db, USER_TOKEN_CONFIG_SETTING)) ?? {};
}

function checkUnknown(names: string[]): void {
  const unknown = names.filter((n) => !(PROPERTIES as readonly string[]).includes(n));
  if (unknown.length) throw new ValidationError(`unknown user token configuration propert${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; known: ${PROPERTIES.join(', ')}`);
}

/** Applies the given values; null or absent values leave a property as it is. */
export async function updateUserTokenConfiguration(ctx: AppContext, input: Record<string, unknown>): Promise<UserTokenConfiguration> {
  checkUnknown(Object.keys(input));
  const current = await getUserTokenConfiguration(ctx);
  const days = input.userTokenDefaultExpirationDays;
  if (days !== undefined && days !== null) {
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_TOKEN_EXPIRATION_DAYS) {
      throw new ValidationError(`userTokenDefaultExpirationDays must be a whole number of days from 1 to ${MAX_TOKEN_EXPIRATION_DAYS}`);
    }
    current.userTokenDefaultExpirationDays = days;
  }
  await putSetting(ctx.store.db, USER_TOKEN_CONFIG_SETTING, current, ctx.now().toISOString());
  return current;
}

/** Resets the named properties to the system default (no expiration). */
export async function resetUserTokenConfiguration(ctx: AppContext, properties: string[] | undefined): Promise<UserTokenConfiguration> {
  if (!properties?.length) throw new ValidationError(`name the properties to reset with ?property=…; known: ${PROPERTIES.join(', ')}`);
  checkUnknown(properties);
  const current = await getUserTokenConfiguration(ctx);
  for (const p of properties as Property[]) delete current[p];
  await putSetting(ctx.store.db, USER_TOKEN_CONFIG_SETTING, current, ctx.now().toISOString());
  return current;
}
