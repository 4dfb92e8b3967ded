import { createApplication, limitRate, newApplicationId, newTrackingCode, PUBLIC_LIMITS } from '#shared/applications';
import { idCopyUpload } from '#shared/applicant-uploads';
import { findBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { chinaDate } from '#shared/calendar';
import { namedDocument, recordDemand } from '#shared/demand';
import { register, trackingView } from '#shared/domain/application';
import { ValidationError } from '#shared/errors';
import { apiHandler, clientOf, PUBLIC_CALLER } from '#shared/http';
import { ROUTES } from '#shared/routes/public';

/**
 * POST /public/applications: anyone applies for government information, with no account. The
 * application counts as received the day it is confirmed (Art. 31: online, the day the system
 * registers it), and the applicant gets a tracking code that opens its progress page.
 */
export const handler = apiHandler(ROUTES.submitApplication, async ({ event, body }) => {
  const at = now();
  await limitRate('apply', clientOf(event), PUBLIC_LIMITS.apply, PUBLIC_LIMITS.windowSeconds, at);
  const target = await findBody(body.body);
  if (!target) throw new ValidationError([{ field: 'body', zh: `没有标识为 ${body.body} 的公开主体，请从列表中选择。`, en: `No body ${body.body}: choose one from the list.` }]);
  const named = await namedDocument(target.id, body.request.documentId);
  const by = { ...PUBLIC_CALLER, name: body.applicant.name };
  const app = register({
    id: newApplicationId(at),
    trackingCode: newTrackingCode(),
    input: body,
    channel: '互联网',
    receivedOn: chinaDate(at),
    by,
    at: at.toISOString(),
  });
  await createApplication(app);
  // The document it names: counted towards REV-2, or its 公函 opened (issue 12.5).
  if (named) await recordDemand(named, app, by, at);
  const upload = await idCopyUpload(app, at);
  return { ...trackingView(app, target.name), trackingPath: `track.html#${app.trackingCode}`, ...(upload ? { idCopyUpload: upload } : {}) };
});
