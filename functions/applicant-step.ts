import { applicationByTrackingCode, limitRate, PUBLIC_LIMITS, saveApplication } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { chinaDate } from '#shared/calendar';
import { StepRefused, takeStep, trackingView } from '#shared/domain/application';
import { ConflictError } from '#shared/errors';
import { apiHandler, clientOf, PUBLIC_CALLER } from '#shared/http';
import { ROUTES } from '#shared/routes/public';

/** POST /public/applications/{code}/steps: the applicant sends the completion asked for (补正: the clock starts again) or withdraws. */
export const handler = apiHandler(ROUTES.applicantStep, async ({ event, id, body }) => {
  const at = now();
  await limitRate('step', clientOf(event), PUBLIC_LIMITS.step, PUBLIC_LIMITS.windowSeconds, at);
  const app = await applicationByTrackingCode(id);
  let next;
  try {
    next = takeStep(app, body, { who: { ...PUBLIC_CALLER, name: app.input.applicant.name }, as: 'applicant' }, chinaDate(at), at.toISOString()).application;
  } catch (err) {
    if (err instanceof StepRefused) throw new ConflictError({ zh: err.zh, en: err.en });
    throw err;
  }
  const saved = await saveApplication(app, next);
  return trackingView(saved, (await findBody(saved.body))?.name ?? saved.body);
});
