import { siteConfig } from '#shared/site/config';
import { bodyAudit, createBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { bodySitePath } from '#shared/domain/body';
import { actorOf, apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/bodies';
import { sendMessage } from '#shared/messages';

/**
 * POST /bodies: the platform administrator adds a 公开主体. Refused with per-field messages when
 * its name, 索引号 code or a drafting unit is another body's, its parent is missing or the
 * platform already has a top body, or its texts name a setting it lacks.
 */
export const handler = apiHandler(ROUTES.createBody, async ({ who, body }) => {
  const created = await createBody(body, actorOf(who), now());
  // Its section of the public site, and the platform's home listing it (render-site).
  await sendMessage('site', { op: 'body', bodyId: created.id }, `${created.id}:body:${created.version}`);
  return { ...created, sitePath: bodySitePath(created.id, siteConfig.bodyId), audit: await bodyAudit(created.id) };
});
