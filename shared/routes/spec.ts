import type { z } from 'zod';
import type { FunctionName, Role } from '#shared/topology';

/**
 * What one route of the API declares (shared/routes.ts holds the whole table, each area's
 * routes live in shared/routes/<area>.ts). A handler imports only its own area, so its bundle
 * builds only the schemas its routes use (issue 17.5: every schema of every route built at
 * every cold start was most of a function's import time).
 */
export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  /** API Gateway HTTP API path syntax: /drafts/{id} */
  readonly path: string;
  readonly fn: FunctionName;
  /** Roles allowed to call the route (checked by the handler edge from the authorizer's claims); none for a public route. */
  readonly roles: readonly Role[];
  /**
   * Open to anyone, with no account (the public's applications, 依申请公开): no authorizer in
   * AWS, no token locally; the handler limits what one client may ask (shared/applications.ts).
   */
  readonly public?: true;
  /** 中文 / English, shown in the OpenAPI document. */
  readonly summary: string;
  /** The JSON body, parsed by the edge (unless `bodyParsedByHandler`). */
  readonly body?: z.ZodType;
  /** The handler parses the body itself, only when it needs one (a repeated call may send none). */
  readonly bodyParsedByHandler?: boolean;
  /** Query parameters: an object of optional string fields (each one a parameter in OpenAPI). */
  readonly query?: z.ZodObject;
  /** What a success answers, with its status. */
  readonly response: z.ZodType;
  readonly status: 200 | 201;
  /** Other success statuses the handler may answer with (e.g. 200 for an idempotent replay of a 201). */
  readonly alsoStatus?: readonly (200 | 201)[];
}

/** Declares a route, keeping its literal types (the client and the edge infer from them). */
export const route = <const R extends RouteSpec>(r: R): R => r;

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;
