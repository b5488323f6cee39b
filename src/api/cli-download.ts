import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import type { TollgateApp } from '../http/types.js';
import { NotFoundError } from '../core/errors.js';
import { PlainText } from './dto/common.js';

/**
 * The client commands (`evaluate`, `app`) as one self-contained file, so that a pipeline in any
 * repository can `curl -fsSO $TOLLGATE_URL/cli/tollgate.mjs && node tollgate.mjs evaluate …`.
 * `npm run build` writes it (scripts/build-cli.mjs); the same path from src/ and from dist/.
 */
const BUNDLE = fileURLToPath(new URL('../../dist/cli/tollgate.mjs', import.meta.url));

export default async function cliDownloadRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/cli/tollgate.mjs',
    {
      schema: {
        tags: ['Tollgate CLI'],
        summary: 'The Tollgate client (evaluate, app) as one file that runs with `node tollgate.mjs …` (Node ≥ 20); no credentials needed',
        response: {
          200: { description: 'an ES module', content: { 'text/javascript': { schema: Type.String() } } },
          404: PlainText,
        },
      },
      config: { tollgate: true, public: true },
    },
    async (_request, reply) => {
      let body: string;
      try {
        body = await readFile(BUNDLE, 'utf8');
      } catch {
        throw new NotFoundError('The client is not built on this server: `npm run build` writes dist/cli/tollgate.mjs.');
      }
      return reply
        .type('text/javascript; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="tollgate.mjs"')
        .header('Cache-Control', 'no-cache')
        .send(body);
    },
  );
}
