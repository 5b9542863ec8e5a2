import Ajv2020 from 'ajv/dist/2020';
import request from 'supertest';
import { openApiDocument } from '../../src/api/openapi';
import { assertConforms } from '../support/openapi-check';
import { startGateway, type TestGateway } from '../support/harness';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

function expressRoutes(gw: TestGateway): string[] {
  const stack = (gw.app as unknown as { router: { stack: Layer[] } }).router.stack;
  return stack
    .filter((l) => l.route)
    .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`))
    .sort();
}

describe('/openapi.json', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.stop());

  it('is OpenAPI 3.1 and lists exactly the routes Express serves', async () => {
    const res = await request(gw.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{([A-Za-z]+)\}/g, ':$1')}`))
      .sort();
    expect(expressRoutes(gw)).toEqual(documented);
    expect(documented.length).toBeGreaterThanOrEqual(27);
  });

  it('is a valid set of JSON Schemas (every component and operation schema compiles under draft 2020-12)', () => {
    const doc = openApiDocument({ title: 't', version: 't' });
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(doc, 'openapi.json');
    const schemas = doc.components as { schemas: Record<string, unknown> };
    for (const name of Object.keys(schemas.schemas)) expect(() => ajv.compile({ $ref: `openapi.json#/components/schemas/${name}` })).not.toThrow();
  });

  it('rejects bodies that do not conform (the conformance check is not vacuous)', () => {
    expect(() => assertConforms('get', '/api/v1/cases/{caseId}', 200, 'application/json', { caseId: 'nope' })).toThrow(/does not conform/);
    expect(() => assertConforms('get', '/api/v1/cases/{caseId}', 404, 'application/problem+json', { title: 'x' })).toThrow(/does not conform/);
    expect(() => assertConforms('get', '/api/v1/nothing', 200, 'application/json', {})).toThrow(/not in the OpenAPI/);
  });

  it('answers an undocumented path with 404 problem+json', async () => {
    const res = await request(gw.app).get('/api/v2/cases');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
