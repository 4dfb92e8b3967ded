import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/account';
import { buildOpenApi } from '#shared/openapi';

// Built once per cold start: it depends only on the code.
let document: ReturnType<typeof buildOpenApi> | undefined;

/** GET /openapi.json: the API description, generated from the zod schemas the API validates with. */
export const handler = apiHandler(ROUTES.getOpenApi, async () => {
  document ??= buildOpenApi();
  return document;
});
