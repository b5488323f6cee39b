import { Type } from 'typebox';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { deleteJiraConfig, readJiraConfig, saveJiraConfig } from '../services/admin/jira-config.js';
import { errorResponses } from './dto/common.js';
import { ApiJiraConfigurationDTO } from './dto/configuration.js';

const tags = ['Config Jira'];
const url = '/api/v2/config/jira';
const description = 'Permissions required: Edit System Configuration and Users';

export default async function configJiraRoutes(app: TollgateApp): Promise<void> {
  app.get(
    url,
    {
      schema: {
        tags,
        summary: 'The Jira configuration, without its password (404 when there is none)',
        description,
        response: { 200: ApiJiraConfigurationDTO, ...errorResponses },
      },
      config: {
        permission: requires('CONFIGURE_SYSTEM'),
        partial: 'the password is never returned (the reference describes GET as including it): passwords are write-only in Tollgate',
      },
    },
    async () => readJiraConfig(app.ctx),
  );

  app.put(
    url,
    {
      schema: {
        tags,
        summary: 'Configure Jira: values left out keep their stored ones; a changed url needs the password again',
        description,
        body: ApiJiraConfigurationDTO,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'config.jira.update', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (request, reply) => {
      await saveJiraConfig(app.ctx, request.body);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    url,
    {
      schema: { tags, summary: 'Remove the Jira configuration', description, response: { 204: Type.Null(), ...errorResponses } },
      config: { audit: 'config.jira.delete', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (_request, reply) => {
      await deleteJiraConfig(app.ctx);
      return reply.status(204).send(null);
    },
  );
}
