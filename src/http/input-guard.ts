import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../core/errors.js';
import { NUL, nulPath } from '../core/nul.js';

/**
 * Refuses NUL characters (U+0000) in what a request sends as text: the URL (path and query
 * string, `%00` or raw) before authentication, the parsed body (JSON values and keys, XML and
 * plain-text bodies taken as strings) before validation. PostgreSQL cannot store them and SQLite
 * can; refusing them on both keeps the two databases alike and every such request a 400 with
 * nothing stored. Bodies read as bytes (archives, forms) are not looked into: a form's file name is
 * checked where it is read (http/multipart.ts), and the scan refuses forms and zip archives outright
 * (services/evaluation/scan-input.ts `checkScanBodyKind`). SBOM contents are checked
 * after reading (services/evaluation/scan-input.ts), since JSON escapes (`\u0000`) only become NUL then.
 */
export function refuseNulInput(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const url = request.raw.url ?? '';
    if (url.includes('%00') || url.includes(NUL)) {
      throw new ValidationError('The request URL contains a NUL character (%00): Tollgate does not accept it in paths or query strings.');
    }
  });
  app.addHook('preValidation', async (request) => {
    const where = nulPath(request.body);
    if (where) {
      const field = where === '(root)' ? 'The request body' : `The request body's field ${where}`;
      throw new ValidationError(`${field} contains a NUL character (\\u0000): Tollgate does not accept it in text.`);
    }
  });
}
