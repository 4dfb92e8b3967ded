import { ROUTE_LIST, ROUTES } from '#shared/routes';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ClaimRequest, CreateDraftRequest, DecisionRequest } from '#shared/api';
import { DeterminationRequest, HistoricalImportRequest } from '#shared/historical';
import { API_VERSION, buildOpenApi, compatible, REQUEST_BODIES, responseJsonSchema, routeKey } from '#shared/openapi';
import { assertResponse } from '#shared/http';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const doc = buildOpenApi() as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every "$ref" in a JSON value. */
const refsOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.flatMap(refsOf) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => (k === '$ref' && typeof x === 'string' ? [x] : refsOf(x))) : [];

describe('the OpenAPI document', () => {
  it('has every topology route, with its method, roles and path parameters', () => {
    for (const r of ROUTE_LIST) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      expect(op, routeKey(r)).toBeDefined();
      expect(op['x-roles']).toEqual(r.roles);
      const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect((op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name)).toEqual(names);
    }
    const operations = Object.entries<Json>(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    expect(operations.sort()).toEqual(ROUTE_LIST.map(routeKey).sort());
  });

  it('describes request bodies with exactly z.toJSONSchema of the schemas the handlers parse with', () => {
    const expected = {
      'POST /drafts': CreateDraftRequest,
      'POST /tasks/claim': ClaimRequest,
      'POST /tasks/{id}/decision': DecisionRequest,
      'POST /historical': HistoricalImportRequest,
      'POST /historical/{id}/determination': DeterminationRequest,
    };
    for (const [key, schema] of Object.entries(expected)) {
      expect(REQUEST_BODIES[key]).toBe(schema);
      const [method, path] = key.split(' ') as [string, string];
      const { $schema: _d, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
      expect(doc.paths[path][method.toLowerCase()].requestBody.content['application/json'].schema).toEqual(json);
    }
    for (const key of Object.keys(REQUEST_BODIES)) expect(ROUTE_LIST.map(routeKey)).toContain(key);
    for (const r of ROUTE_LIST.filter((r) => r.method === 'POST')) {
      if (REQUEST_BODIES[routeKey(r)]) {
        const { $schema: _d, ...json } = z.toJSONSchema(REQUEST_BODIES[routeKey(r)]!, { io: 'input', unrepresentable: 'any' }) as Json;
        expect(doc.paths[r.path].post.requestBody.content['application/json'].schema).toEqual(json);
      }
    }
    // The form's vocabulary reaches the document: a client can show the allowed values.
    const form = doc.paths['/drafts'].post.requestBody.content['application/json'].schema.properties.form;
    expect(form.properties.attribute.enum).toEqual(['主动公开', '依申请公开', '不予公开']);
    expect(form.required).toEqual(expect.arrayContaining(['title', 'draftingUnit', 'documentType', 'documentDate', 'isPolicy', 'contact']));
  });

  it('is structurally valid OpenAPI 3.1 with bearer security', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: API_VERSION });
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    for (const req of doc.security) for (const name of Object.keys(req)) expect(doc.components.securitySchemes).toHaveProperty(name);
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      for (const [method, op] of Object.entries<Json>(item)) {
        expect(METHODS).toContain(method);
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const [code, res] of Object.entries<Json>(op.responses)) {
          expect(code).toMatch(/^[1-5]\d\d$/);
          expect(typeof res.description).toBe('string');
        }
        for (const p of op.parameters ?? []) {
          expect(['path', 'query']).toContain(p.in);
          if (p.in === 'path') {
            expect(p.required).toBe(true);
            expect(path).toContain(`{${p.name}}`);
          }
        }
      }
    }
    for (const ref of refsOf(doc)) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<Json | undefined>((node, k) => node?.[k], doc);
      expect(target, ref).toBeDefined();
    }
    // Round-trips through JSON (what GET /openapi.json sends).
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('tells compatible versions by their major', () => {
    expect(compatible('1.0.0', '1.4.2')).toBe(true);
    expect(compatible('1.0.0', '2.0.0')).toBe(false);
    expect(compatible('1.0.0', undefined)).toBe(false);
  });

  it('describes every success answer with the JSON Schema of its route response schema, not a bare object', () => {
    for (const r of ROUTE_LIST) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      const schema = op.responses[String(r.status)].content['application/json'].schema;
      expect(schema, routeKey(r)).toEqual(responseJsonSchema(r.response));
      // An object, or a union of objects (e.g. a document as HTML or as PDF), each with its properties.
      const shapes: { properties?: object }[] = schema.anyOf ?? schema.oneOf ?? [schema];
      for (const shape of shapes) expect(Object.keys(shape.properties ?? {}).length, routeKey(r)).toBeGreaterThan(0);
      expect(JSON.stringify(schema), routeKey(r)).not.toBe('{"type":"object"}');
    }
    // The draft as every route that answers one shows it, with its status vocabulary.
    const draft = doc.paths['/drafts/{id}'].get.responses['200'].content['application/json'].schema;
    expect(draft.properties.status.enum).toContain('PUBLISHED');
    expect(draft.required).toEqual(expect.arrayContaining(['id', 'status', 'version', 'form', 'findings', 'history']));
    // Since 1.1.0 (an addition: a minor): each file's OCR page lists as the API words them, which
    // the batch CLI and the upload page print as they are (the check threshold is the server's).
    const ocr = draft.properties.files.properties.document.properties.ocr;
    expect(ocr.required).toContain('text');
    expect(ocr.properties.text.required).toEqual(['pages', 'check', 'pending']);
    // Query parameters come from the route's query schema.
    expect(doc.paths['/historical'].get.parameters).toEqual([expect.objectContaining({ name: 'status', in: 'query', required: false })]);
    expect(doc.paths['/tasks'].get.parameters[0].schema.enum).toEqual(['true', 'false']);
  });
});

describe('the response check the local runner applies to every answer', () => {
  const route = ROUTES.renewUploads;
  const ok = { id: '01M806JW014YVQSZSQB6PP6K3F', status: 'AWAITING_UPLOAD', uploads: [] };
  it('accepts what the schema declares', () => {
    expect(() => assertResponse(route, 200, ok)).not.toThrow();
    // Undefined fields are not sent, so they are not checked.
    expect(() => assertResponse(route, 200, { ...ok, extra: undefined })).not.toThrow();
  });
  it('refuses a field the schema does not declare, a missing or mistyped field, and an undeclared status', () => {
    expect(() => assertResponse(route, 200, { ...ok, secret: 'x' })).toThrow(/does not declare: \.secret/);
    expect(() => assertResponse(route, 200, { ...ok, uploads: [{ part: 'document', url: 'u', fields: {}, maxBytes: 1, contentType: 'x', expiresAt: 't', key: 'k' }] })).toThrow(
      /\.uploads\[0\]\.key/,
    );
    expect(() => assertResponse(route, 200, { id: ok.id })).toThrow(/does not describe/);
    expect(() => assertResponse(route, 200, { ...ok, status: 'NOPE' })).toThrow(/does not describe/);
    expect(() => assertResponse(route, 201, ok)).toThrow(/answered 201/);
  });
});
