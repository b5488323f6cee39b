import { Type } from 'typebox';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { deleteMailConfig, readMailConfig, saveMailConfig, testMailConfig } from '../services/admin/mail-config.js';
import { errorResponses } from './dto/common.js';
import { ApiMailConfigurationDTO } from './dto/configuration.js';

const tags = ['Config Mail'];
const url = '/api/v2/config/mail';
const description = 'Permissions required: Edit System Configuration and Users';

export default async function configMailRoutes(app: TollgateApp): Promise<void> {
  app.get(
    url,
    {
      schema: {
        tags,
        summary: 'The SMTP server configuration, without its password (404 when there is none)',
        description,
        response: { 200: ApiMailConfigurationDTO, ...errorResponses },
      },
      config: { permission: requires('CONFIGURE_SYSTEM') },
    },
    async () => readMailConfig(app.ctx),
  );

  app.put(
    url,
    {
      schema: {
        tags,
        summary: 'Configure the SMTP server: values left out keep their stored ones',
        description: `${description}. hostname, port and systemEmail are required (given now or stored). The stored password stays unless passwordIsIncluded is true, and changing hostname or port needs it again.`,
        body: ApiMailConfigurationDTO,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'config.mail.update', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await saveMailConfig(app.ctx, request.body);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    url,
    {
      schema: { tags, summary: 'Remove the SMTP server configuration', description, response: { 204: Type.Null(), ...errorResponses } },
      config: { audit: 'config.mail.delete', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (_request, reply) => {
      await deleteMailConfig(app.ctx);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${url}/test/:recipientEmail`,
    {
      schema: {
        tags,
        summary: 'Send a test message with the configuration given (nothing is stored); 400 says why sending failed',
        description,
        params: Type.Object({ recipientEmail: Type.String() }),
        body: ApiMailConfigurationDTO,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'config.mail.test', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await testMailConfig(app.ctx, request.params.recipientEmail, request.body);
      return reply.status(204).send(null);
    },
  );
}
