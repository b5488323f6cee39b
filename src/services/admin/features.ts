import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AppContext } from '../../core/context.js';
import { ValidationError } from '../../core/errors.js';
import { getSetting, putSetting } from './settings.js';

/**
 * Server features an administrator can switch on and off (POST/DELETE /api/v2/config/features/{name}).
 * Only features listed here exist; each has the state a fresh installation starts with.
 */
export const FEATURES = {
  'swagger-ui': {
    description: 'The interactive API documentation at /swagger-ui (the OpenAPI documents stay available).',
    enabledByDefault: true,
  },
  'experimental-api': {
    description: 'Operations marked experimental answer; while disabled they answer 404.',
    enabledByDefault: true,
  },
} as const satisfies Record<string, { description: string; enabledByDefault: boolean }>;

export type FeatureName = keyof typeof FEATURES;
export const FEATURES_SETTING = 'config.features';

export interface FeatureView {
  name: FeatureName;
  description: string;
  enabled: boolean;
}

function checkName(name: string): FeatureName {
  if (!Object.hasOwn(FEATURES, name)) {
    throw new ValidationError(`Unknown feature "${name}": known features are ${Object.keys(FEATURES).join(', ')}.`);
  }
  return name as FeatureName;
}

export async function isFeatureEnabled(db: Kysely<Database>, name: FeatureName): Promise<boolean> {
  const states = (await getSetting<Record<string, boolean>>(db, FEATURES_SETTING)) ?? {};
  return states[name] ?? FEATURES[name].enabledByDefault;
}

export async function listFeatures(ctx: AppContext): Promise<FeatureView[]> {
  const states = (await getSetting<Record<string, boolean>>(ctx.store.db, FEATURES_SETTING)) ?? {};
  return (Object.keys(FEATURES) as FeatureName[]).map((name) => ({
    name,
    description: FEATURES[name].description,
    enabled: states[name] ?? FEATURES[name].enabledByDefault,
  }));
}

/** Switches a feature on or off; doing it twice is harmless. */
export async function setFeature(ctx: AppContext, name: string, enabled: boolean): Promise<void> {
  const feature = checkName(name);
  await ctx.store.db.transaction().execute(async (trx) => {
    const states = (await getSetting<Record<string, boolean>>(trx, FEATURES_SETTING)) ?? {};
    states[feature] = enabled;
    await putSetting(trx, FEATURES_SETTING, states, ctx.now().toISOString());
  });
}
