import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../helpers/server.js';

/**
 * Lockfiles whose fields have the wrong type, sent to the scan with ?fileName=: each was a 500
 * (a TypeError in the reader); now a 400 naming the file and the field, with nothing stored.
 */
let server: TestServer;
let appId: string;

beforeAll(async () => {
  server = await startTestServer({ registries: { offline: true } });
  appId = (await server.request('POST', '/api/v2/applications', { body: { publicId: 'lock-app', name: 'Lock App', organizationId: 'ROOT_ORGANIZATION_ID' } })).body.id;
});

afterAll(async () => {
  await server?.close();
});

async function requests(): Promise<number> {
  const row = await server.ctx.store.db.selectFrom('evaluation_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

const POETRY_WITH_DEPENDENCIES = '[[package]]\nname = "requests"\nversion = "2.31.0"\n\n[package.dependencies]\nurllib3 = ">=1.21.1"\n';
const npmLock = (version: unknown) => JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a': { version } } });

describe('lockfile fields of the wrong type, through the scan', () => {
  it.each([
    ['package-lock.json', npmLock({ major: 1 }), 'package-lock.json: packages["node_modules/a"].version must be a string, not an object'],
    ['npm-shrinkwrap.json', npmLock(['1.0.0']), 'npm-shrinkwrap.json: packages["node_modules/a"].version must be a string, not an array'],
    [
      'packages.lock.json',
      JSON.stringify({ version: 1, dependencies: { 'net8.0': { A: { type: 'Direct', resolved: 1 } } } }),
      'packages.lock.json: dependencies["net8.0"].A.resolved must be a string, not the number 1',
    ],
    ['composer.lock', JSON.stringify({ packages: [{ name: 1, version: '1.0.0' }] }), 'composer.lock: packages[0].name must be a string, not the number 1'],
    ['poetry.lock', '[[package]]\nname = 1\nversion = "1.0"\n', 'poetry.lock: package[0].name must be a string, not the number 1'],
    ['Cargo.lock', POETRY_WITH_DEPENDENCIES, 'Cargo.lock: package[0].dependencies must be an array, not a table'],
  ])('%s: 400, nothing stored', async (fileName, body, message) => {
    const before = await requests();
    const res = await server.request('POST', `/api/v2/scan/applications/${appId}/sources/cyclonedx?fileName=${fileName}`, { raw: { contentType: 'text/plain', data: body } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toBe(message);
    expect(await requests()).toBe(before);
  });
});
