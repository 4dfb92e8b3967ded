import { applicationFor, saveApplication } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { chinaDate } from '#shared/calendar';
import { checkProposal, deliverCopies } from '#shared/deliveries';
import { StepRefused, takeStep, viewOf, type StepActor } from '#shared/domain/application';
import { ConflictError, ForbiddenError, ValidationError } from '#shared/errors';
import { actorOf, apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/applications';
import { bodiesOf } from '#shared/scope';
import { answerFacts, recordOversight } from '#shared/oversight';

/**
 * POST /applications/{id}/steps: one step of handling, at the version read. The state machine
 * (shared/domain/application.ts) decides what the step does to the status and the clock and
 * what the applicant is told; this loads, calls it, and stores the result. An approver
 * approves, returns and extends; the information centre takes every other step. A transfer
 * goes to a body the platform has. A proposal giving Gongkai documents is checked against
 * them (this body's, givable, the withheld passages in their text); at delivery each is
 * copied for the applicant only (shared/deliveries.ts).
 */
export const handler = apiHandler(ROUTES.stepApplication, async ({ who, id, body }) => {
  const at = now();
  const app = await applicationFor(id, bodiesOf(who));
  if (app.version !== body.version)
    throw new ConflictError({ zh: '该申请已被他人办理，请刷新后重试。', en: 'The application was changed since you read it; reload and try again.' });
  const as: StepActor = who.role === 'approver' ? 'approver' : 'infocenter';
  if (body.action.step === 'transfer' && !(await findBody(body.action.toBody)))
    throw new ValidationError([{ field: 'action.toBody', zh: `平台上没有公开主体 ${body.action.toBody}。`, en: `The platform has no body ${body.action.toBody}.` }]);
  // A proposal that gives Gongkai documents names this body's, with the passages it withholds.
  // Loaded on the steps that need them (issue 17.5, cold start): the deliveries (the S3 client,
  // the presigner, the masked copies) at a proposal and at delivery, oversight at delivery.
  if (body.action.step === 'propose') await checkProposal(app, body.action.answer);
  let next;
  try {
    next = takeStep(app, body.action, { who: actorOf(who), as }, chinaDate(at), at.toISOString()).application;
  } catch (err) {
    if (err instanceof StepRefused) {
      // A step of the other role is a 403; a step the state does not allow, a 409.
      if (err.kind === 'role') throw new ForbiddenError({ zh: err.zh, en: err.en });
      throw new ConflictError({ zh: err.zh, en: err.en });
    }
    throw err;
  }
  const bodyName = (await findBody(next.body))?.name ?? next.body;
  // At delivery, the applicant's copies of the documents given (masked, redacted; private bucket).
  if (body.action.step === 'deliver' && next.delivery) {
    const copies = await deliverCopies(next, next.delivery.on, bodyName);
    if (copies) next = { ...next, delivery: { ...next.delivery, ...copies } };
  }
  const saved = await saveApplication(app, next);
  // 监督考核 (issue 13.3): the answer delivered, on time or late against its deadline as it stood (one fact per application).
  if (body.action.step === 'deliver' && saved.delivery) await recordOversight(answerFacts(app, saved.delivery.on));
  return viewOf(saved, bodyName, chinaDate(at));
});
