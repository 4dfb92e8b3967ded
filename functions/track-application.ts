import { applicationByTrackingCode, limitRate, PUBLIC_LIMITS } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { trackingView } from '#shared/domain/application';
import { apiHandler, clientOf } from '#shared/http';
import { ROUTES } from '#shared/routes';

/** GET /public/applications/{code}: the applicant's page — each step, its date, the deadline. Nothing of the applicant's identity. */
export const handler = apiHandler(ROUTES.trackApplication, async ({ event, id }) => {
  await limitRate('track', clientOf(event), PUBLIC_LIMITS.track, PUBLIC_LIMITS.windowSeconds, now());
  const app = await applicationByTrackingCode(id);
  return trackingView(app, (await findBody(app.body))?.name ?? app.body);
});
