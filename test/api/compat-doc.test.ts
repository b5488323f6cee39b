import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiCompatMarkdown } from '../../src/http/compat.js';
import { haveReference, reference } from '../helpers/contract.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

it.skipIf(!haveReference)('docs/api-compat.md lists every reference operation with its current state (npm run compat)', () => {
  const expected = apiCompatMarkdown(reference() as never, server.app.routeTable);
  const committed = readFileSync(new URL('../../docs/api-compat.md', import.meta.url), 'utf8');
  expect(committed).toBe(expected);
  expect(committed.match(/^\| [^|]+ \| `(GET|POST|PUT|PATCH|DELETE) /gm)).toHaveLength(280);
});
