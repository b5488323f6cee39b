import { expect } from 'vitest';
import type { TestServer } from './server.js';

/** Creates an organization through the API (under the root unless a parent is named) and returns its id. */
export async function createOrganization(server: TestServer, name: string, parentOrganizationId?: string): Promise<string> {
  const res = await server.request('POST', '/api/v2/organizations', { body: { name, parentOrganizationId } });
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}

/** Creates an application in an organization through the API and returns its internal id. */
export async function createApplicationIn(server: TestServer, publicId: string, organizationId: string, name = publicId): Promise<string> {
  const res = await server.request('POST', '/api/v2/applications', { body: { publicId, name, organizationId } });
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}
