import * as z from 'zod';
import { DeclarationForm } from '#shared/domain/form';
import { ROUTE_LIST, routeKey } from '#shared/routes';
import { topology } from '#shared/topology';

/**
 * The API description (OpenAPI 3.1), built from the route table (shared/routes.ts) and the very zod schemas
 * the handlers validate with, so it cannot drift from what the API accepts. Served at
 * GET /openapi.json; the batch CLI reads it to check it speaks the server's API.
 */

/**
 * The API's contract version. Bump the major on a breaking change: clients (the batch CLI)
 * refuse a server whose major differs from theirs; the minor on an addition (1.1.0: the draft
 * view's `files.*.ocr.text`, which the batch CLI's submit run requires).
 */
export const API_VERSION = '1.1.0';

export { routeKey };

/** Request bodies by route: the schemas the handler edge parses with (shared/routes.ts). */
export const REQUEST_BODIES: Readonly<Record<string, z.ZodType>> = Object.fromEntries(ROUTE_LIST.flatMap((r) => (r.body ? [[routeKey(r), r.body]] : [])));

/** Schemas also published on their own under components.schemas. */
const COMPONENTS: Readonly<Record<string, z.ZodType>> = { DeclarationForm };

/** The error body every route answers with on 4xx/5xx (shared/http.ts httpErrors). */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    zh: z.string(),
    en: z.string(),
    issues: z.array(z.object({ field: z.string(), zh: z.string(), en: z.string() })).optional(),
  }),
});

/**
 * JSON Schema (2020-12, the dialect of OpenAPI 3.1) of what a client sends: the input side
 * of the schema, so fields with defaults stay optional.
 */
export function requestJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** JSON Schema of what the API answers: the output side of the schema. */
export function responseJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** The query parameters of a route, one per field of its query schema. */
function queryParameters(query: z.ZodObject | undefined): Record<string, unknown>[] {
  if (!query) return [];
  const schema = requestJsonSchema(query) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: s }));
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function buildOpenApi(): {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
} {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTE_LIST) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } }));
    const parameters = [...params, ...queryParameters(route.query)];
    const ok = { description: 'OK', content: { 'application/json': { schema: responseJsonSchema(route.response) } } };
    const operation = {
      // From the route's name, not the function: one function may serve several routes.
      operationId: route.name,
      summary: route.summary,
      description: topology.functions[route.fn].description,
      'x-roles': [...route.roles],
      // A public route asks for no token (the applications of the public).
      ...(route.public ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: !route.bodyParsedByHandler, content: { 'application/json': { schema: requestJsonSchema(route.body) } } } } : {}),
      responses: {
        ...Object.fromEntries([route.status, ...(route.alsoStatus ?? [])].map((status) => [String(status), ok])),
        '400': errorResponse('请求内容有误，见 error.issues / invalid request: see error.issues'),
        '401': errorResponse('未登录 / missing or invalid token'),
        '403': errorResponse('角色不符 / the caller lacks the role'),
        '404': errorResponse('不存在 / not found'),
        '409': errorResponse('状态冲突 / conflict with the current state'),
      },
    };
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gongkai 公开 API',
      version: API_VERSION,
      description: '起草单位提交文件、审批人审批的接口 / drafting units submit documents, approvers decide. Generated from the zod schemas the API validates with.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token (locally: a token of config/local-users.json)' } },
      schemas: {
        Error: requestJsonSchema(ErrorBody),
        ...Object.fromEntries(Object.entries(COMPONENTS).map(([name, s]) => [name, requestJsonSchema(s)])),
      },
    },
  };
}

/** Whether a client built for API_VERSION `mine` can talk to a server describing itself as `theirs`. */
export const compatible = (mine: string, theirs: string | undefined): boolean => theirs !== undefined && mine.split('.')[0] === theirs.split('.')[0];
