import { applicationFor } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { today as chinaToday } from '#shared/clock';
import { viewOf } from '#shared/domain/application';
import { idCopyView } from '#shared/applicant-uploads';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/applications';
import { bodiesOf } from '#shared/scope';

/** GET /applications/{id}: one application of the caller's bodies (another body's is a 404), with its identity document's copy, if any. */
export const handler = apiHandler(ROUTES.getApplication, async ({ who, id }) => {
  const app = await applicationFor(id, bodiesOf(who));
  const idCopy = await idCopyView(app);
  return { ...viewOf(app, (await findBody(app.body))?.name ?? app.body, chinaToday()), ...(idCopy ? { idCopy } : {}) };
});
