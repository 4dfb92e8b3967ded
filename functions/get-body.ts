import { siteConfig } from '#shared/site/config';
import { bodyAudit, getBody } from '#shared/bodies';
import { BodyId, bodySitePath } from '#shared/domain/body';
import { NotFoundError } from '#shared/errors';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/bodies';

/** GET /bodies/{id}: one body with its 指南 and 制度 texts and who changed what, when. */
export const handler = apiHandler(ROUTES.getBody, async ({ id }) => {
  if (!BodyId.safeParse(id).success) throw new NotFoundError({ zh: `没有标识为 ${id} 的公开主体。`, en: `No body with id ${id}.` });
  const body = await getBody(id);
  return { ...body, sitePath: bodySitePath(body.id, siteConfig.bodyId), audit: await bodyAudit(id) };
});
