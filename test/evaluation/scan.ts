import { expect } from 'vitest';
import type { TestServer } from '../helpers/server.js';

/** Creates an application under the root organization; returns its internal id. */
export async function createApplication(server: TestServer, publicId: string, name = publicId): Promise<string> {
  const created = await server.request('POST', '/api/v2/applications', { body: { publicId, name, organizationId: 'ROOT_ORGANIZATION_ID' } });
  expect(created.status).toBe(200);
  return created.body.id;
}

/** Third-party scan as IQ's CI tools run it: submit, poll (404 while pending), read the result. */
export async function scanAndWait(server: TestServer, applicationId: string, body: string, options: { stage?: string; source?: string; contentType?: string; fileName?: string; commitHash?: string } = {}) {
  const query = new URLSearchParams();
  if (options.stage) query.set('stageId', options.stage);
  if (options.fileName) query.set('fileName', options.fileName);
  if (options.commitHash) query.set('commitHash', options.commitHash);
  const submitted = await server.request('POST', `/api/v2/scan/applications/${applicationId}/sources/${options.source ?? 'cyclonedx'}?${query}`, {
    raw: { contentType: options.contentType ?? 'application/json', data: body },
  });
  expect(submitted.status, submitted.text).toBe(202);
  const statusPath = `/${submitted.body.statusUrl}`;
  expect((await server.request('GET', statusPath)).status).toBe(404);
  await server.jobs.drain();
  const done = await server.request('GET', statusPath);
  expect(done.status, done.text).toBe(200);
  const scanId = String(done.body.reportDataUrl ?? '').split('/').at(-2);
  return { result: done.body, scanId: scanId ?? '', statusPath };
}
