import { COLLECTION_FACTS } from '@asl/chaincode/domain';
import { z } from 'zod';
import { ERROR_RESPONSE, ROUTES, type RouteSpec } from './routes';

/** A JSON value of the generated document. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Moves `$defs` into `components.schemas` and points `$ref`s there (OpenAPI resolves refs against the document). */
function hoist(schema: JsonObject, components: JsonObject): JsonObject {
  const defs = schema.$defs;
  const rewrite = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!isObject(value)) return value;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/$defs/', '#/components/schemas/');
      else if (k !== '$defs' && k !== '$schema') out[k] = rewrite(v);
    }
    return out;
  };
  if (isObject(defs)) for (const [name, def] of Object.entries(defs)) components[name] = rewrite(def);
  const root = rewrite(schema);
  return isObject(root) ? root : {};
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output', components: JsonObject): JsonObject {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;
  return hoist(generated, components);
}

function parameters(spec: RouteSpec, components: JsonObject): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      out.push({ name, in: where, required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success, schema: jsonSchema(field as z.ZodType, 'input', components) });
    }
  }
  return out;
}

/** The OpenAPI 3.1 document of the gateway, generated from {@link ROUTES} and the shared zod schemas. */
export function openApiDocument(info: { title: string; version: string }): JsonObject {
  const components: JsonObject = {};
  const paths: JsonObject = {};
  const problem = jsonSchema(ERROR_RESPONSE.schema, 'output', components);
  for (const spec of ROUTES as readonly RouteSpec[]) {
    const responses: JsonObject = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      const contentType = response.contentType ?? 'application/json';
      responses[status] = response.schema
        ? { description: response.description, content: { [contentType]: { schema: jsonSchema(response.schema, 'output', components) } } }
        : { description: response.description, ...(response.contentType ? { content: { [contentType]: {} } } : {}) };
    }
    responses.default = { description: ERROR_RESPONSE.description, content: { 'application/problem+json': { schema: problem } } };
    const operation: JsonObject = {
      operationId: spec.operationId,
      summary: spec.summary,
      parameters: parameters(spec, components),
      responses,
      security: spec.access === 'public' ? [] : [{ bearer: [] }, { session: [] }],
    };
    if (typeof spec.access === 'object') {
      operation['x-roles'] = [...spec.access.roles];
      if (spec.access.zabOnly === true) operation['x-agency'] = COLLECTION_FACTS.zabEnforcement.members.join(' ');
    }
    if (spec.body) operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input', components) } } };
    const item = isObject(paths[spec.path]) ? (paths[spec.path] as JsonObject) : {};
    item[spec.method] = operation;
    paths[spec.path] = item;
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: info.title, version: info.version },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'asl_ token (architecture.md)' },
        session: { type: 'apiKey', in: 'cookie', name: 'asl_session' },
      },
    },
  };
}
