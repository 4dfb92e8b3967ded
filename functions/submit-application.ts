import { createApplication, limitRate, newApplicationId, newTrackingCode, PUBLIC_LIMITS } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { chinaDate } from '#shared/calendar';
import { register, trackingView } from '#shared/domain/application';
import { ValidationError } from '#shared/errors';
import { apiHandler, clientOf, PUBLIC_CALLER } from '#shared/http';
import { ROUTES } from '#shared/routes';

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
  const app = register({
    id: newApplicationId(at),
    trackingCode: newTrackingCode(),
    input: body,
    channel: '互联网',
    receivedOn: chinaDate(at),
    by: { ...PUBLIC_CALLER, name: body.applicant.name },
    at: at.toISOString(),
  });
  await createApplication(app);
  return { ...trackingView(app, target.name), trackingPath: `track.html#${app.trackingCode}` };
});
