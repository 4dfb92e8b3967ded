import { applicationFor } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { answerDocument, answerTitle, completionNotice, type AnswerContext } from '#shared/render/answer';
import { ConflictError } from '#shared/errors';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes';
import { bodiesOf } from '#shared/scope';
import { findDraft } from '#shared/store';
import { bodyOfDraft } from '#shared/scope';

/**
 * GET /applications/{id}/document?kind=answer|completion: the 答复书 or 告知书 of a decided
 * application (Art. 36, in the form the notices require: request, decision, legal basis, what
 * is given or withheld and why, the rights of 行政复议 and 行政诉讼), or the 补正告知书 of
 * one waiting for completion (Art. 30) — a page to print or save as PDF.
 */
export const handler = apiHandler(ROUTES.applicationDocument, async ({ who, id, query }) => {
  const app = await applicationFor(id, bodiesOf(who));
  const body = await findBody(app.body);
  const parent = body?.parent ? await findBody(body.parent) : undefined;
  const answer = app.decision?.answer;
  const ids = answer && 'documents' in answer ? answer.documents : [];
  const documents = [];
  for (const docId of ids) {
    const d = await findDraft(docId);
    // Only a document of the answering body is named in its answer.
    if (d && bodyOfDraft(d) === app.body) documents.push({ id: d.id, title: d.form.title, ...(d.form.documentNumber ? { number: d.form.documentNumber } : {}) });
  }
  const year = (app.decision?.on ?? app.receivedOn).slice(0, 4);
  const ctx: AnswerContext = {
    bodyName: body?.name ?? app.body,
    ...(body?.contact ? { bodyContact: { office: body.contact.office, address: body.contact.address, phone: body.contact.phone } } : {}),
    documents,
    ...(parent ? { reviewBody: parent.name } : {}),
    ...(app.completion?.workingDays ? { completionWorkingDays: app.completion.workingDays } : {}),
    reference: `${body?.name ?? app.body}依申请公开〔${year}〕${app.id.slice(-6)}号`,
  };
  if (query.kind === 'completion') {
    if (!app.completion) throw new ConflictError({ zh: '该申请没有补正告知。', en: 'This application had no completion notice.' });
    return { title: '政府信息公开申请补正告知书', html: completionNotice(app, ctx) };
  }
  if (!app.decision) throw new ConflictError({ zh: '该申请尚未作出答复决定。', en: 'No decision has been made on this application yet.' });
  return { title: answerTitle(app.decision.answer), html: answerDocument(app, ctx) };
});
