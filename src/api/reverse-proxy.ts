import { Type } from 'typebox';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import {
  deleteReverseProxyAuthentication,
  readReverseProxyAuthentication,
  saveReverseProxyAuthentication,
} from '../services/access/reverse-proxy.js';
import { errorResponses } from './dto/common.js';
import { ApiReverseProxyAuthenticationConfigurationDTO } from './dto/configuration.js';

const tags = ['Config Reverse Proxy Authentication'];
const url = '/api/v2/config/reverseProxyAuthentication';
const description = 'Permissions required: Edit System Configuration and Users';

export default async function reverseProxyRoutes(app: TollgateApp): Promise<void> {
  app.get(
    url,
    {
      schema: {
        tags,
        summary: 'The reverse proxy authentication configuration (404 when there is none)',
        description,
        response: { 200: ApiReverseProxyAuthenticationConfigurationDTO, ...errorResponses },
      },
      config: { permission: requires('CONFIGURE_SYSTEM') },
    },
    async () => {
      return readReverseProxyAuthentication(app.ctx);
    },
  );

  app.put(
    url,
    {
      schema: {
        tags,
        summary: 'Configure reverse proxy authentication (usernameHeader defaults to REMOTE_USER)',
        description: `${description}. While enabled, data-changing requests need an X-CSRF-TOKEN header equal to the CLM-CSRF-TOKEN cookie unless csrfProtectionDisabled.`,
        body: ApiReverseProxyAuthenticationConfigurationDTO,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'reverseProxyAuthentication.update', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await saveReverseProxyAuthentication(app.ctx, request.body);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    url,
    {
      schema: { tags, summary: 'Remove the reverse proxy authentication configuration', description, response: { 204: Type.Null(), ...errorResponses } },
      config: { audit: 'reverseProxyAuthentication.delete', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (_request, reply) => {
      await deleteReverseProxyAuthentication(app.ctx);
      return reply.status(204).send(null);
    },
  );
}
