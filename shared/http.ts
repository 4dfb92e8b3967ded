import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidTransitionError,
  ItemTooLargeError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
  type FieldIssue,
  MAX_REQUEST_BODY_BYTES,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  glossOf,
} from '#shared/errors';
import { unsafeTextIssues } from '#shared/domain/text-safety';
import { ROLE_LABELS, ROLES, type Role } from '#shared/topology';
import type { Actor } from '#shared/domain/draft';
import type { RouteSpec } from '#shared/routes/spec';
import { log } from '#shared/log';
import { observe } from '#shared/observe';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export const json = (statusCode: number, body: unknown): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

/** Who is calling, from the JWT authorizer's claims (Cognito in AWS, the token file locally). */
export interface Identity extends Actor {
  readonly roles: readonly Role[];
  /** The 公开主体 an approver or the information centre acts for (custom:bodies); absent: the top body (shared/access.ts). */
  readonly bodies?: readonly string[];
}

function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  // API Gateway flattens array claims into "[a b]" or "[a, b]".
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

export function identityOf(event: ApiEvent): Identity {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') throw new UnauthenticatedError();
  const roles = parseGroups(claims['cognito:groups']).filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  const unit = claims['custom:unit'];
  const bodies = typeof claims['custom:bodies'] === 'string' ? claims['custom:bodies'].split(/[\s,]+/).filter(Boolean) : [];
  return {
    sub: claims.sub,
    name: String(claims.name ?? claims['cognito:username'] ?? claims.sub),
    role: roles[0] ?? 'none',
    roles,
    ...(typeof unit === 'string' && unit ? { unit } : {}),
    ...(bodies.length ? { bodies } : {}),
  };
}

/** The caller of a public route: anyone, with no account (an applicant). */
export const PUBLIC_CALLER: Identity = { sub: 'public', name: '申请人', role: 'public', roles: [] };

/** The address a request came from (API Gateway's source IP): what the public routes limit by. */
export const clientOf = (event: ApiEvent): string => event.requestContext.http.sourceIp || 'unknown';

/** The actor recorded in history and decisions: the identity acting in one role. */
export function actorOf(who: Identity, role: string = who.role): Actor {
  return { sub: who.sub, name: who.name, role, ...(who.unit ? { unit: who.unit } : {}) };
}

/** Throws unless the caller holds one of the roles. Returns the identity acting in that role. */
export function requireRole(event: ApiEvent, allowed: readonly Role[]): Identity {
  const who = identityOf(event);
  const role = who.roles.find((r) => allowed.includes(r));
  if (!role) {
    throw new ForbiddenError({
      zh: `您没有此操作的权限：需要以下角色之一：${allowed.map((r) => `${ROLE_LABELS[r]}（${r}）`).join('、')}。`,
      en: `This action needs one of the roles: ${allowed.join(', ')}.`,
    });
  }
  return { ...who, role };
}

const TYPE_ZH: Record<string, string> = { string: '文本', number: '数字', int: '整数', boolean: '布尔值（true/false）', object: '对象', array: '列表', date: '日期' };
const ORIGIN_UNIT: Record<string, string> = { string: '个字符', array: '项', set: '项', file: '字节' };

/**
 * Chinese for an issue zod raised with its own (English) message: a check without a message
 * of its own still tells the user, in Chinese, which field is wrong and how.
 */
export function zhOfIssue(issue: z.core.$ZodIssue, field: string): string {
  const f = field ? `字段“${field}”` : '请求';
  const i = issue as z.core.$ZodIssue & Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type':
      return i.input === undefined ? `${f}为必填项，请填写。` : `${f}的类型不正确，应为${TYPE_ZH[String(i.expected)] ?? String(i.expected)}。`;
    case 'too_small': {
      const unit = ORIGIN_UNIT[String(i.origin)];
      return unit ? `${f}至少应有 ${String(i.minimum)} ${unit}。` : `${f}不能小于 ${String(i.minimum)}。`;
    }
    case 'too_big': {
      const unit = ORIGIN_UNIT[String(i.origin)];
      return unit ? `${f}最多 ${String(i.maximum)} ${unit}。` : `${f}不能大于 ${String(i.maximum)}。`;
    }
    case 'invalid_format':
      return `${f}的格式不正确（应为 ${String(i.format)} 格式）。`;
    case 'invalid_value':
      return `${f}的取值不正确，应为：${(i.values as unknown[] | undefined)?.map(String).join('、') ?? ''}。`;
    case 'unrecognized_keys':
      return `${f}含有不认识的字段：${(i.keys as string[] | undefined)?.join('、') ?? ''}，请删除。`;
    case 'not_multiple_of':
      return `${f}应为 ${String(i.divisor)} 的整数倍。`;
    default:
      return `${f}的内容不正确，请检查后重新提交。`;
  }
}

/** Turns zod issues into per-field messages. Schema messages are written with `bi(zh, en)`; zod's own get a Chinese text. */
export function issuesOf(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const en = glossOf(issue.message);
    if (en !== undefined) return { field, zh: issue.message, en };
    // A message with Chinese in it was written by us in Chinese only; one without is zod's English.
    if (/[\u4e00-\u9fff]/.test(issue.message)) return { field, zh: issue.message, en: issue.message };
    return { field, zh: zhOfIssue(issue, field), en: issue.message };
  });
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, prefix = ''): T {
  // No field of any request may hold control, bidi or invisible characters (issue 10.7).
  const unsafe = unsafeTextIssues(value, prefix ? prefix.split('.') : []);
  if (unsafe.length) throw new ValidationError(unsafe);
  const res = schema.safeParse(value);
  if (!res.success) throw new ValidationError(issuesOf(res.error, prefix));
  return res.data;
}

/** The JSON body of a request, or a 400 that says the body is not JSON. */
export function bodyOf(event: ApiEvent): unknown {
  if (!event.body) return {};
  // A body is JSON only when declared so (a text/plain body is never parsed as JSON), and bounded.
  const contentType = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  if (!/^application\/json\s*(;.*)?$/i.test((contentType ?? '').trim())) throw new UnsupportedMediaTypeError(contentType);
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > MAX_REQUEST_BODY_BYTES) throw new PayloadTooLargeError(bytes);
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new ValidationError([{ field: 'body', zh: '请求体不是有效的 JSON。', en: 'The request body is not valid JSON.' }], { cause: err });
  }
}

const STATUS_OF: [new (...args: never[]) => DomainError, number][] = [
  [ValidationError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [InvalidTransitionError, 409],
  [ItemTooLargeError, 413],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [TooManyRequestsError, 429],
];

/**
 * The edge of every HTTP function: known errors become their status with a bilingual
 * body; anything else is logged and becomes a generic 500 that leaks nothing.
 */
export function httpErrors(): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    onError: async (request) => {
      const err = request.error;
      const match = err instanceof DomainError ? STATUS_OF.find(([cls]) => err instanceof cls) : undefined;
      if (err instanceof DomainError && match) {
        request.response = json(match[1], {
          error: { code: err.name, zh: err.zh, en: err.en, ...(err instanceof ValidationError ? { issues: err.issues } : {}) },
        });
        if (err instanceof TooManyRequestsError) request.response.headers = { ...request.response.headers, 'retry-after': String(err.retryAfterSeconds) };
        return;
      }
      console.error(JSON.stringify({ level: 'error', message: 'unhandled error', error: String(err), stack: err instanceof Error ? err.stack : undefined }));
      request.response = json(500, {
        error: {
          code: 'InternalError',
          zh: '服务器内部错误，请稍后重试；如持续出现请联系管理员。',
          en: 'Internal error; try again later, and tell the administrator if it persists.',
        },
      });
    },
  };
}

// --- The handler edge of every route ------------------------------------------------------

type Parsed<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;

/** What the edge hands a route's handler: the caller in the route's role, the parsed body and query. */
export interface RouteRequest<R extends RouteSpec> {
  readonly event: ApiEvent;
  readonly who: Identity;
  /** The body, parsed with the route's schema (undefined where the route has none, or parses it itself). */
  readonly body: R extends { readonly bodyParsedByHandler: true } ? undefined : Parsed<R, 'body'>;
  readonly query: Parsed<R, 'query'>;
  /** The {id} of the path ('' when the route has none). */
  readonly id: string;
}

/** A success answered with a status other than the route's usual one (listed in its `alsoStatus`). */
export class Reply<T> {
  constructor(
    readonly status: 200 | 201,
    readonly body: T,
  ) {}
}

let checkResponses = false;
/** The local runner turns this on: every answer is checked against its route's response schema, so the schemas cannot drift from what the handlers answer. */
export const setResponseCheck = (on: boolean): void => {
  checkResponses = on;
};

/** Keys of `sent` that the schema's parse dropped: fields the response schema does not declare. */
function undeclared(sent: unknown, parsed: unknown, path = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) return sent.flatMap((v, i) => undeclared(v, parsed[i], `${path}[${i}]`));
  if (!sent || typeof sent !== 'object' || !parsed || typeof parsed !== 'object') return [];
  return Object.entries(sent as Record<string, unknown>).flatMap(([k, v]) =>
    v === undefined ? [] : k in (parsed as object) ? undeclared(v, (parsed as Record<string, unknown>)[k], `${path}.${k}`) : [`${path}.${k}`],
  );
}

/** Throws unless `body` is what the route's response schema declares, no more and no less. */
export function assertResponse(route: RouteSpec, status: number, body: unknown): void {
  const key = `${route.method} ${route.path}`;
  if (status !== route.status && !route.alsoStatus?.includes(status as 200 | 201)) throw new Error(`${key} answered ${status}, not a status its route declares`);
  // Through JSON, as the client sees it (undefined fields gone).
  const sent = JSON.parse(JSON.stringify(body)) as unknown;
  const res = route.response.safeParse(sent);
  if (!res.success) throw new Error(`${key} answered what its response schema does not describe: ${JSON.stringify(res.error.issues.slice(0, 5))}`);
  const extra = undeclared(sent, res.data);
  if (extra.length) throw new Error(`${key} answered fields its response schema does not declare: ${extra.slice(0, 10).join(', ')}`);
}

/**
 * The Lambda handler of a route: the caller must hold one of the route's roles, the body and
 * query are parsed with the route's schemas (400 with per-field messages otherwise), the
 * handler's answer is sent with the route's status, and every error becomes its bilingual
 * answer (httpErrors).
 */
export function apiHandler<R extends RouteSpec>(route: R, impl: (req: RouteRequest<R>) => Promise<z.input<R['response']> | Reply<z.input<R['response']>>>) {
  const run = async (event: ApiEvent): Promise<ApiResult> => {
    // The draft (or document) the request is about: every log line of it carries its id.
    if (event.pathParameters?.id) log.setCorrelationId(event.pathParameters.id);
    const who = route.public ? PUBLIC_CALLER : requireRole(event, route.roles);
    const body = route.body && !route.bodyParsedByHandler ? parseWith(route.body, bodyOf(event)) : undefined;
    const query = route.query ? parseWith(route.query, event.queryStringParameters ?? {}) : undefined;
    const out = await impl({ event, who, body, query, id: event.pathParameters?.id ?? '' } as RouteRequest<R>);
    const reply = out instanceof Reply ? out : new Reply(route.status, out);
    if (checkResponses) assertResponse(route, reply.status, reply.body);
    return json(reply.status, reply.body);
  };
  // observe: the invocation's own logger and its metrics flushed once (shared/observe.ts).
  return Object.assign(observe(route.fn, middy(run).use(httpErrors())), { route });
}
