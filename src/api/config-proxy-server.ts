import { Type } from 'typebox';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { deleteProxyServer, readProxyServer, saveProxyServer } from '../services/admin/proxy-server.js';
import { errorResponses } from './dto/common.js';
import { ApiProxyServerConfigurationDTO } from './dto/configuration.js';

const tags = ['Config Proxy Server'];
const url = '/api/v2/config/httpProxyServer';
const description = 'Permissions required: Edit System Configuration and Users';

export default async function configProxyServerRoutes(app: TollgateApp): Promise<void> {
  app.get(
    url,
    {
      schema: {
        tags,
        summary: 'The HTTP proxy server configuration, without its password (404 when there is none)',
        description,
        response: { 200: ApiProxyServerConfigurationDTO, ...errorResponses },
      },
      config: { permission: requires('CONFIGURE_SYSTEM') },
    },
    async () => readProxyServer(app.ctx),
  );

  app.put(
    url,
    {
      schema: {
        tags,
        summary: 'Configure the HTTP proxy outbound requests go through (registries, vulnerability feeds, Jira), except to excludeHosts',
        description: `${description}. Values left out keep their stored ones; excludeHosts entries may use * (e.g. *.example.com). Changing hostname or port needs the password again when one is stored.`,
        body: ApiProxyServerConfigurationDTO,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'config.httpProxyServer.update', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await saveProxyServer(app.ctx, request.body);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    url,
    {
      schema: { tags, summary: 'Remove the HTTP proxy server configuration: outbound requests go directly', description, response: { 204: Type.Null(), ...errorResponses } },
      config: { audit: 'config.httpProxyServer.delete', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (_request, reply) => {
      await deleteProxyServer(app.ctx);
      return reply.status(204).send(null);
    },
  );
}
