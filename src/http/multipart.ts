import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../core/errors.js';
import { NUL } from '../core/nul.js';

/**
 * multipart/form-data for the routes of the plugin that calls this (parsers are encapsulated):
 * the body arrives as bytes and `formFile` reads one file field with the platform's own parser.
 */
export function acceptMultipart(app: FastifyInstance, bodyLimit?: number): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
}

export async function formFile(
  body: unknown,
  contentType: string | undefined,
  field: string,
): Promise<{ name: string; content: Buffer } | undefined> {
  if (!Buffer.isBuffer(body) || !contentType?.toLowerCase().startsWith('multipart/form-data')) {
    throw new ValidationError(`Send the request as multipart/form-data with the file in the field "${field}".`);
  }
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch (err) {
    throw new ValidationError(`The multipart/form-data body cannot be read: ${(err as Error).message}`);
  }
  const entry = form.get(field);
  if (entry === null) return undefined;
  if (typeof entry === 'string') return { name: '', content: Buffer.from(entry, 'utf8') };
  // The file's name is text Tollgate stores (its content is kept as bytes): no NUL, as elsewhere (core/nul.ts).
  if (entry.name.includes(NUL)) throw new ValidationError(`The name of the file in the field "${field}" contains a NUL character (\\u0000): Tollgate does not accept it in text.`);
  return { name: entry.name, content: Buffer.from(await entry.arrayBuffer()) };
}
