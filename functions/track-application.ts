import { applicationByTrackingCode, limitRate, PUBLIC_LIMITS } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { chinaDate } from '#shared/calendar';
import { now } from '#shared/clock';
import { downloadLinks } from '#shared/deliveries';
import { trackingView } from '#shared/domain/application';
import { apiHandler, clientOf } from '#shared/http';
import { ROUTES } from '#shared/routes/public';

/**
 * GET /public/applications/{code}: the applicant's page — each step, its date, the deadline,
 * and once delivered, links (valid for minutes) to the copies of the documents given, while
 * they are available. Nothing of the applicant's identity.
 */
export const handler = apiHandler(ROUTES.trackApplication, async ({ event, id }) => {
  const at = now();
  await limitRate('track', clientOf(event), PUBLIC_LIMITS.track, PUBLIC_LIMITS.windowSeconds, at);
  const app = await applicationByTrackingCode(id);
  const view = trackingView(app, (await findBody(app.body))?.name ?? app.body);
  const delivered = await downloadLinks(app, chinaDate(at));
  return delivered ? { ...view, documents: delivered.links, documentsAvailableUntil: delivered.availableUntil } : view;
});
