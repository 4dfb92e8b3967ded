import middy from '@middy/core';
import { httpErrors, json, requireRole, type ApiEvent, type ApiResult } from '#shared/http';
import { buildOpenApi } from '#shared/openapi';
import { ROLES } from '#shared/topology';

// Built once per cold start: it depends only on the code.
let document: Record<string, unknown> | undefined;

/** GET /openapi.json: the API description, generated from the zod schemas the API validates with. */
export const getOpenApiHandler = async (event: ApiEvent): Promise<ApiResult> => {
  requireRole(event, ROLES);
  document ??= buildOpenApi();
  return json(200, document);
};

export const handler = middy(getOpenApiHandler).use(httpErrors());
