import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../core/errors.js';

/**
 * What real clients send where the reference's description says something narrower, made into
 * what the routes read, before validation:
 * - an object in the query string (componentIdentifier), which the routes take as JSON text, may
 *   come in the bracket form generated clients write (`componentIdentifier[format]=npm&
 *   componentIdentifier[coordinates][packageId]=lodash`; OpenAPI Generator's Go, Java and
 *   TypeScript clients): folded into the JSON text;
 * - a boolean in the query string may be spelled `True` (Python's requests writes it so);
 * - a JSON body property that is optional and cannot be null may be sent as null (Go clients
 *   marshal an empty slice as null, Jackson writes unset fields as null): left out, as if absent.
 */

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[]; items?: Schema };

/** `name[a][b]` → ['a', 'b'] when the key is a bracket form of `name`, else undefined. */
function bracketPath(key: string, name: string): string[] | undefined {
  if (!key.startsWith(`${name}[`)) return undefined;
  const rest = key.slice(name.length);
  const parts: string[] = [];
  const segment = /\[([^[\]]*)\]/y;
  while (segment.lastIndex < rest.length) {
    const match = segment.exec(rest);
    if (!match) return undefined;
    parts.push(match[1]);
  }
  return parts.length && parts.every((p) => p !== '') ? parts : undefined;
}

/** Folds the bracket form of query parameter `name` into an object; undefined when there is none. */
function bracketObject(query: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(query)) {
    const path = bracketPath(key, name);
    if (!path) continue;
    if (Array.isArray(value)) throw new ValidationError(`${key} is given ${value.length} times: give it once`);
    out ??= {};
    let node = out;
    for (const [i, part] of path.entries()) {
      const last = i === path.length - 1;
      const existing = node[part];
      if (last) {
        if (existing !== undefined) throw new ValidationError(`${key} conflicts with another ${name}[…] parameter`);
        node[part] = String(value);
      } else {
        if (existing === undefined) node[part] = {};
        else if (typeof existing !== 'object') throw new ValidationError(`${key} conflicts with another ${name}[…] parameter`);
        node = node[part] as Record<string, unknown>;
      }
    }
  }
  return out;
}

/** True when a schema lets a value be null. */
function acceptsNull(schema: Schema | undefined): boolean {
  if (!schema || schema.nullable === true || schema.type === 'null') return true;
  if (Array.isArray(schema.type)) return schema.type.includes('null');
  for (const list of [schema.anyOf, schema.oneOf]) if (Array.isArray(list) && (list as Schema[]).some(acceptsNull)) return true;
  // No type and nothing else that would constrain it (Type.Unknown): anything goes, null too.
  return schema.type === undefined && ['anyOf', 'oneOf', 'allOf', 'properties', 'items', 'const', 'enum'].every((k) => schema[k] === undefined);
}

/** Removes null from optional properties that cannot hold it, at every level the schema describes. */
function dropNulls(schema: Schema | undefined, data: unknown): void {
  if (!schema || data === null || typeof data !== 'object') return;
  if (Array.isArray(data)) {
    for (const item of data) dropNulls(schema.items, item);
    return;
  }
  const record = data as Record<string, unknown>;
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (!(key in record)) continue;
    if (record[key] === null && !schema.required?.includes(key) && !acceptsNull(sub)) delete record[key];
    else dropNulls(sub, record[key]);
  }
}

function normalizeQuery(schema: Schema, query: Record<string, unknown>): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    // An object parameter the route reads as JSON text.
    if (property.type === 'string') {
      const folded = bracketObject(query, name);
      if (folded) {
        if (query[name] !== undefined) throw new ValidationError(`${name} is given twice: as JSON and in brackets (${name}[…]); give one`);
        query[name] = JSON.stringify(folded);
        for (const key of Object.keys(query)) if (bracketPath(key, name)) delete query[key];
      }
    }
    const value = query[name];
    if (property.type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value)) query[name] = value.toLowerCase();
  }
}

/** Registers the normalization for every route (one hook; routes without schemas are untouched). */
export function acceptClientInput(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const schema = request.routeOptions.schema as { querystring?: Schema; body?: Schema } | undefined;
    if (!schema) return;
    if (schema.querystring?.properties && request.query && typeof request.query === 'object') {
      normalizeQuery(schema.querystring, request.query as Record<string, unknown>);
    }
    if (schema.body && request.body !== null && typeof request.body === 'object' && !Buffer.isBuffer(request.body)) {
      dropNulls(schema.body.content ? undefined : schema.body, request.body);
    }
  });
}
