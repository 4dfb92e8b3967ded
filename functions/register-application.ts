import { createApplication, newApplicationId, newTrackingCode } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { now } from '#shared/clock';
import { chinaDate } from '#shared/calendar';
import { namedDocument, recordDemand } from '#shared/demand';
import { register, viewOf } from '#shared/domain/application';
import { ForbiddenError, ValidationError } from '#shared/errors';
import { actorOf, apiHandler, Reply } from '#shared/http';
import { ROUTES } from '#shared/routes/applications';
import { bodiesOf } from '#shared/scope';

/**
 * POST /applications: the information centre registers an application that came in person, by
 * post or by fax, with the day it counts as received (Art. 31: in person that day, by post the
 * day signed for). Never a day to come; the clock runs from it.
 */
export const handler = apiHandler(ROUTES.registerApplication, async ({ who, body }) => {
  const at = now();
  const today = chinaDate(at);
  if (body.receivedOn > today) throw new ValidationError([{ field: 'receivedOn', zh: '收到申请的日期不能晚于今天。', en: 'The day received cannot be after today.' }]);
  const target = await findBody(body.application.body);
  if (!target) throw new ValidationError([{ field: 'application.body', zh: `没有标识为 ${body.application.body} 的公开主体。`, en: `No body ${body.application.body}.` }]);
  if (!bodiesOf(who).includes(target.id)) throw new ForbiddenError({ zh: `您不代表“${target.name}”办理申请。`, en: `You do not act for ${target.name}.` });
  const named = await namedDocument(target.id, body.application.request.documentId, 'application.request.documentId');
  const by = actorOf(who);
  const app = register({
    id: newApplicationId(at),
    trackingCode: newTrackingCode(),
    input: body.application,
    channel: body.channel,
    receivedOn: body.receivedOn,
    by,
    at: at.toISOString(),
  });
  await createApplication(app);
  // The document it names: counted towards REV-2, or its 公函 opened (issue 12.5).
  if (named) await recordDemand(named, app, by, at);
  return new Reply(201, viewOf(app, target.name, today));
});
