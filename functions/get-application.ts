import { applicationFor } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { today as chinaToday } from '#shared/clock';
import { viewOf } from '#shared/domain/application';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes';
import { bodiesOf } from '#shared/scope';

/** GET /applications/{id}: one application of the caller's bodies (another body's is a 404). */
export const handler = apiHandler(ROUTES.getApplication, async ({ who, id }) => {
  const app = await applicationFor(id, bodiesOf(who));
  return viewOf(app, (await findBody(app.body))?.name ?? app.body, chinaToday());
});
