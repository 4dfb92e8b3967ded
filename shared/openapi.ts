import { z } from 'zod';
import { ApplicationRequest, ClaimRequest, CreateDraftRequest, DecisionRequest, ExtendLeaseRequest, MaskRequest, WithdrawalRequest } from '#shared/api';
import { DeclarationForm } from '#shared/domain/form';
import { ValidityChangeRequest } from '#shared/domain/validity';
import { DeterminationRequest, HistoricalImportRequest, HistoricalStatus } from '#shared/historical';
import { topology, type RouteSpec } from '#shared/topology';

/**
 * The API description (OpenAPI 3.1), built from topology.routes and the very zod schemas
 * the handlers validate with, so it cannot drift from what the API accepts. Served at
 * GET /openapi.json; the batch CLI reads it to check it speaks the server's API.
 */

/**
 * The API's contract version. Bump the major on a breaking change: clients (the batch CLI)
 * refuse a server whose major differs from theirs.
 */
export const API_VERSION = '1.0.0';

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** Request bodies by route, the schemas the handlers parse with; a route absent here is described without a body. */
export const REQUEST_BODIES: Readonly<Record<string, z.ZodType>> = {
  'POST /drafts': CreateDraftRequest,
  'POST /drafts/{id}/revisions': CreateDraftRequest,
  'POST /tasks/claim': ClaimRequest,
  'POST /tasks/{id}/decision': DecisionRequest,
  'POST /tasks/{id}/lease': ExtendLeaseRequest,
  'POST /documents/{id}/applications': ApplicationRequest,
  'POST /documents/{id}/withdrawal': WithdrawalRequest,
  'POST /documents/{id}/validity': ValidityChangeRequest,
  'POST /drafts/{id}/masks': MaskRequest,
  'POST /historical': HistoricalImportRequest,
  'POST /historical/{id}/determination': DeterminationRequest,
};

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

const SUMMARIES: Readonly<Record<string, string>> = {
  'POST /drafts': '提交申报表，获取上传地址 / submit a declaration form and get presigned uploads',
  'GET /drafts/{id}': '文件状态、审查发现和记录（最近 200 条；?historyBefore=序号 翻看更早的） / a draft: status, findings, history (the latest 200 lines; ?historyBefore=<position> pages back)',
  'POST /drafts/{id}/uploads': '重新获取上传地址 / fresh presigned uploads for files not yet received',
  'GET /rules': '规则库 / the rulebook',
  'GET /tasks': '待审批任务 / drafts waiting for a decision',
  'POST /tasks/claim': '领取下一项任务 / claim the next approval task under a lease',
  'POST /tasks/{id}/decision': '批准或退回；复核时保留或转为主动公开 / approve or reject a claimed task (keep or convert on review)',
  'POST /tasks/{id}/lease': '延长领取期限 / extend a live claim',
  'POST /documents/{id}/applications': '登记一次公开申请 / record an application for disclosure (REV-2)',
  'POST /documents/{id}/withdrawal': '撤回已公开的文件（须写明理由） / withdraw a published document from the public site, with a reason',
  'POST /documents/{id}/validity': '行政规范性文件的废止或修订（action: repeal | amend，日期，替代文件，理由） / repeal or amend a published 行政规范性文件, naming the replacing document',
  'GET /openapi.json': '接口说明 / this API description',
  'POST /historical': '批量导入历史文件 / import historical documents (no attribute yet)',
  'GET /historical': '按状态列出历史文件（?status=UNDETERMINED|DETERMINED） / historical documents by status',
  'POST /historical/{id}/determination': '出具公函，确定公开属性 / the letter (公函) that determines the attribute',
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of topology.routes as readonly RouteSpec[]) {
    const key = routeKey(route);
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } }));
    const body = REQUEST_BODIES[key];
    const operation = {
      // From the route, not the function: one function may serve several routes.
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_')}`.replace(/_$/, ''),
      summary: SUMMARIES[key] ?? topology.functions[route.fn].description,
      description: topology.functions[route.fn].description,
      'x-roles': [...route.roles],
      ...(params.length || key === 'GET /historical'
        ? { parameters: [...params, ...(key === 'GET /historical' ? [{ name: 'status', in: 'query', required: false, schema: requestJsonSchema(HistoricalStatus) }] : [])] }
        : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: requestJsonSchema(body) } } } } : {}),
      responses: {
        [route.method === 'POST' && route.path === '/drafts' ? '201' : '200']: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
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
