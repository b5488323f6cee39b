import { Type } from 'typebox';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { listFeatures, setFeature } from '../services/admin/features.js';
import { errorResponses } from './dto/common.js';
import { FeatureDTO } from './dto/configuration.js';

const tags = ['Feature Configuration'];
const FeatureParams = Type.Object({ feature: Type.String() });

export default async function featureConfigurationRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/config/features',
    {
      schema: {
        tags,
        summary: 'The features that can be switched on and off, and their state',
        description: 'Permissions required: Edit System Configuration and Users',
        response: { 200: Type.Array(FeatureDTO), ...errorResponses },
      },
      config: { tollgate: true, permission: requires('CONFIGURE_SYSTEM') },
    },
    async () => {
      return listFeatures(app.ctx);
    },
  );

  for (const [method, enabled] of [
    ['POST', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/api/v2/config/features/:feature',
      schema: {
        tags,
        summary: enabled ? 'Enable a feature' : 'Disable a feature',
        description: 'Permissions required: Edit System Configuration and Users',
        params: FeatureParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: enabled ? 'feature.enable' : 'feature.disable', permission: requires('CONFIGURE_SYSTEM') },
      handler: async (request, reply) => {
        await setFeature(app.ctx, request.params.feature, enabled);
        return reply.status(204).send(null);
      },
    });
  }
}
