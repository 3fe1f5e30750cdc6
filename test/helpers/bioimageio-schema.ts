import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

/** The official bioimage.io JSON schema, vendored next to the project's shared data (absent on some machines). */
export const BIOIMAGEIO_SCHEMA_FILE = path.resolve(__dirname, '../../../shared/vendor/bioimageio/bioimageio_schema.json');

export const bioimageioSchemaAvailable = existsSync(BIOIMAGEIO_SCHEMA_FILE);
export const bioimageioSchemaMissing = `the bioimage.io schema is not at ${BIOIMAGEIO_SCHEMA_FILE}: schema validation skipped`;

export interface SchemaResult {
  valid: boolean;
  errors: string[];
}

/** The schema's definition of a model description, format 0.5. */
export const MODEL_05_DEF = 'bioimageio__spec__model__v0_5__ModelDescr';

let validate: ((data: unknown) => SchemaResult) | undefined;

/**
 * Validates a resource description against the schema with Ajv (JSON Schema 2020-12, the draft
 * pydantic writes). The schema dispatches on `type` / `format_version` with OpenAPI-style
 * `discriminator` objects, which are annotations for this purpose: Ajv is told the keyword and the
 * `oneOf` branches decide. Formats are checked by the patterns below, not skipped.
 */
export function validateBioimageioDescription(description: unknown): SchemaResult {
  if (!validate) {
    const schema = JSON.parse(readFileSync(BIOIMAGEIO_SCHEMA_FILE, 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajv.addKeyword({ keyword: 'discriminator', schemaType: 'object' });
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
    ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i);
    // Relative paths inside the package: no scheme, no absolute path.
    ajv.addFormat('file-path', /^(?![a-z][a-z0-9+.-]*:\/\/)[^\0]+$/i);
    ajv.addFormat('path', /^[^\0]+$/);
    ajv.addSchema(schema, 'bioimageio');
    const whole = ajv.getSchema('bioimageio')!;
    // The model 0.5 branch alone gives readable errors; the whole schema decides validity.
    const model05 = ajv.getSchema(`bioimageio#/$defs/${MODEL_05_DEF}`)!;
    validate = (data) => {
      const valid = whole(data) as boolean;
      if (valid) return { valid, errors: [] };
      model05(data);
      return { valid, errors: (model05.errors ?? whole.errors ?? []).map(describe) };
    };
  }
  return validate(description);
}

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`;
}
