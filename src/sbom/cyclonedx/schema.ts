import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { DataValidateFunction } from 'ajv/dist/types/index.js';
import addFormatsModule from 'ajv-formats';
import addDraft2019FormatsModule from 'ajv-formats-draft2019';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const addDraft2019Formats = addDraft2019FormatsModule as unknown as (ajv: Ajv, options: { formats: string[] }) => Ajv;

/**
 * The official CycloneDX JSON schemas (shipped with @cyclonedx/cyclonedx-library), compiled once per
 * version, with two changes for speed that keep what they check:
 * - `uniqueItems` is dropped. Ajv checks it by comparing every pair of items, which made a
 *   10,000-component document take seconds; the rule it enforces (no two byte-identical entries in
 *   a list) matters little next to that, and bom-ref uniqueness — the rule that does matter — is
 *   not in the schema anyway (the reader keeps refs unique).
 * - A long `enum` of strings (the 800-odd SPDX license ids) becomes `stringEnum`, checked with a
 *   set: Ajv compares a value with each allowed one in turn, a few million comparisons for a big SBOM.
 */
const LONG_ENUM = 32;

function forValidation(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forValidation);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'uniqueItems') continue;
    if (key === 'enum' && Array.isArray(value) && value.length > LONG_ENUM && value.every((v) => typeof v === 'string')) out.stringEnum = value;
    else out[key] = forValidation(value);
  }
  return out;
}

/** `stringEnum`: the value is one of these strings (the `enum` rule, with a set). */
function addStringEnum(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'stringEnum',
    schemaType: 'array',
    compile(values: string[]): DataValidateFunction {
      const allowed = new Set(values);
      const validate: DataValidateFunction = (data: unknown) => {
        if (typeof data === 'string' && allowed.has(data)) return true;
        validate.errors = [{ keyword: 'enum', message: 'must be equal to one of the allowed values', params: { allowedValues: values } }];
        return false;
      };
      return validate;
    },
  });
}

const SCHEMA_DIR = join(dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const readJson = (file: string) => JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function compiler(): Ajv {
  if (ajv) return ajv;
  // The schemas the bom schemas refer to, under the URIs they use.
  const schemas = Object.fromEntries(
    ['spdx.SNAPSHOT.schema.json', 'cryptography-defs.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json'].map((f) => [`http://cyclonedx.org/schema/${f}`, forValidation(readJson(f)) as Record<string, unknown>]),
  );
  ajv = new Ajv({
    strict: false,
    allErrors: false,
    useDefaults: false,
    addUsedSchema: false,
    schemas,
    loadSchema: (uri) => Promise.reject(new Error(`remote schemas are disabled: ${uri}`)),
  });
  addFormats(ajv);
  addDraft2019Formats(ajv, { formats: ['idn-email'] });
  ajv.addFormat('iri-reference', true);
  addStringEnum(ajv);
  return ajv;
}

/** A validator for one CycloneDX version, or undefined when no JSON schema exists for it (1.0, 1.1). */
export function cycloneDxJsonValidator(specVersion: string): ValidateFunction | undefined {
  const file = `bom-${specVersion}.SNAPSHOT.schema.json`;
  let validate = validators.get(specVersion);
  if (!validate) {
    if (!/^\d+\.\d+$/.test(specVersion) || !existsSync(join(SCHEMA_DIR, file))) return undefined;
    validate = compiler().compile(forValidation(readJson(file)) as object);
    validators.set(specVersion, validate);
  }
  return validate;
}
