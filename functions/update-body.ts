import { siteConfig } from '#shared/site/config';
import { bodyAudit, updateBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { BodyId, bodySitePath } from '#shared/domain/body';
import { NotFoundError } from '#shared/errors';
import { actorOf, apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/bodies';
import { sendMessage } from '#shared/messages';

/**
 * POST /bodies/{id}: the platform administrator replaces a body's fields, at the version they
 * read (409 when someone saved in between); the audit trail records each changed field.
 */
export const handler = apiHandler(ROUTES.updateBody, async ({ who, id, body: { version, ...fields } }) => {
  if (!BodyId.safeParse(id).success) throw new NotFoundError({ zh: `没有标识为 ${id} 的公开主体。`, en: `No body with id ${id}.` });
  const updated = await updateBody(id, fields, version, actorOf(who), now());
  // Its section of the public site is built again (render-site).
  await sendMessage('site', { op: 'body', bodyId: updated.id }, `${updated.id}:body:${updated.version}`);
  return { ...updated, sitePath: bodySitePath(updated.id, siteConfig.bodyId), audit: await bodyAudit(id) };
});
