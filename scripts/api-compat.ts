// Writes docs/api-compat.md: every reference operation and its state in Tollgate. `npm run compat`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiCompatMarkdown } from '../src/http/compat.js';
import { reference } from '../test/helpers/contract.js';
import { startTestServer } from '../test/helpers/server.js';

const server = await startTestServer();
const out = fileURLToPath(new URL('../docs/api-compat.md', import.meta.url));
writeFileSync(out, apiCompatMarkdown(reference() as never, server.app.routeTable));
await server.close();
console.log(`wrote ${out}`);
