import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function makeAjv(coerce: boolean): Ajv {
  return addFormats(
    new Ajv({ coerceTypes: coerce ? 'array' : false, useDefaults: true, removeAdditional: false, allErrors: false, strict: false }),
  );
}

/**
 * Query strings, path parameters and headers are text, so they are coerced to the schema's types
 * (and a single `?id=x` becomes an array where the schema wants one). Bodies are not: a number where
 * a string belongs is the client's mistake and gets a 400.
 */
export function validatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const coercing = makeAjv(true);
  const exact = makeAjv(false);
  return ({ schema, httpPart }) => {
    const validate: ValidateFunction = (httpPart === 'body' ? exact : coercing).compile(schema as object);
    return validate as ReturnType<FastifySchemaCompiler<FastifySchema>>;
  };
}
