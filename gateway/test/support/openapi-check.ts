import Ajv2020 from 'ajv/dist/2020';
import { openApiDocument } from '../../src/api/openapi';

const document = openApiDocument({ title: 'test', version: 'test' });
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(document, 'openapi.json');

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/**
 * Asserts that a response body conforms to the OpenAPI document: the documented schema of its status,
 * or the problem+json default for errors. Throws with ajv's errors otherwise.
 */
export function assertConforms(method: string, path: string, status: number, contentType: string, body: unknown): void {
  const m = method.toLowerCase();
  const op = (document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[path]?.[m];
  if (!op) throw new Error(`${method} ${path} is not in the OpenAPI document`);
  const key = String(status) in op.responses ? String(status) : 'default';
  const media = contentType.split(';')[0]!.trim();
  const ref = `openapi.json#/${pointer('paths', path, m, 'responses', key, 'content', media, 'schema')}`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  if (!validate(body)) throw new Error(`${method} ${path} ${status} does not conform: ${ajv.errorsText(validate.errors)}`);
}
