import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Validates response bodies against the reference API (../shared/reference/iq-openapi.json).
 * Where that file is absent the checks are skipped with a printed notice.
 */
export const REFERENCE_PATH = fileURLToPath(new URL('../../../shared/reference/iq-openapi.json', import.meta.url));
export const haveReference = existsSync(REFERENCE_PATH);
if (!haveReference) console.warn(`notice: ${REFERENCE_PATH} is absent; reference contract checks are skipped`);

// biome-ignore lint/suspicious/noExplicitAny: the reference schema is walked untyped.
type Json = Record<string, any>;

/** Removes repeated enum items (the reference has a few; ajv rejects them) and, when strict, unknown properties. */
function clean(node: unknown, strict: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => clean(n, strict));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = k === 'enum' && Array.isArray(v) ? [...new Set(v)] : clean(v, strict);
  // Strict: a field the reference does not define is a mistake in Tollgate's DTO.
  if (strict && out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

let spec: Json | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

export function reference(): Json {
  if (!spec) spec = JSON.parse(readFileSync(REFERENCE_PATH, 'utf8')) as Json;
  return spec;
}

function validatorFor(pointer: string): ValidateFunction {
  let v = compiled.get(pointer);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
      (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
      ajv.addSchema({ $id: 'iq.json', components: clean(reference().components, true) as Json });
    }
    v = ajv.compile({ $ref: `iq.json${pointer}` });
    compiled.set(pointer, v);
  }
  return v;
}

/** The JSON schema of a reference response, with `#/components` refs resolved through iq.json. */
export function responseSchema(method: string, path: string, status: number): Json | undefined {
  const op = reference().paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`the reference has no operation ${method} ${path}`);
  const response = op.responses[String(status)] ?? op.responses.default;
  if (!response) throw new Error(`the reference defines no ${status} response for ${method} ${path}`);
  const content = response.content ?? {};
  const media = content['application/json'] ?? content['*/*'] ?? Object.values(content)[0];
  return media?.schema as Json | undefined;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `iq.json${v}` : rewriteRefs(v);
  }
  return out;
}

/**
 * The body without Tollgate's extension fields: objects of the reference's shapes may carry a
 * `tollgate` field with what Tollgate adds (e.g. unknown facts in raw report data); it is not the
 * reference's, and everything else must still match it exactly.
 */
function withoutExtensions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutExtensions);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) if (k !== 'tollgate') out[k] = withoutExtensions(v);
  return out;
}

/**
 * Asserts that `body` is a valid `status` response of the reference operation `METHOD /path`
 * (the path as the reference writes it, with {placeholders}). Returns silently when the
 * reference file is absent.
 */
export function expectMatchesReference(method: string, path: string, status: number, body: unknown): void {
  if (!haveReference) return;
  const schema = responseSchema(method, path, status);
  if (!schema) return;
  const key = `${method} ${path} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validatorFor('#/components'); // makes sure iq.json is registered
    validate = ajv!.compile(rewriteRefs(clean(schema, true)) as Json);
    compiled.set(key, validate);
  }
  if (!validate(withoutExtensions(body))) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n  ');
    throw new Error(`response of ${key} does not match the reference schema:\n  ${errors}\nbody: ${JSON.stringify(body).slice(0, 2000)}`);
  }
}
