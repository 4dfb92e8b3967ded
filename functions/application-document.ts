import { applicationFor } from '#shared/applications';
import { findBody } from '#shared/bodies';
import { answerModel, completionModel, renderAnswerPage, type AnswerContext } from '#shared/render/answer';
import { PdfRenderError, pdfFonts, renderPdf } from '#shared/render/pdf';
import type { PrintDocument } from '#shared/render/pdf-model';
import { ConflictError } from '#shared/errors';
import { env } from '#shared/env';
import { log } from '#shared/log';
import { apiHandler } from '#shared/http';
import { ROUTES } from '#shared/routes/applications';
import { bodiesOf } from '#shared/scope';
import { findDraft } from '#shared/store';
import { bodyOfDraft } from '#shared/scope';

/**
 * GET /applications/{id}/document?kind=answer|completion: the 答复书 or 告知书 of a decided
 * application (Art. 36, in the form the notices require: request, decision, legal basis, what
 * is given or withheld and why, the rights of 行政复议 and 行政诉讼), or the 补正告知书 of
 * one waiting for completion (Art. 30). format=html (the default) answers the printable page;
 * format=pdf the same model as an A4 PDF with the font subset embedded, base64 in the JSON
 * answer (the API's one convention; a letter is tens of kilobytes).
 */

/** The model as the format asked for. */
async function rendered(model: PrintDocument, format: 'html' | 'pdf', fileStem: string) {
  if (format === 'html') return { title: model.title, html: renderAnswerPage(model) };
  try {
    const fonts = await pdfFonts({ regular: env.assetDir('PDF_FONT_REGULAR_DIR'), bold: env.assetDir('PDF_FONT_BOLD_DIR') });
    const pdf = await renderPdf(model, fonts);
    if (pdf.missing.length)
      log.warn('characters missing from the PDF font, printed as code points', { missing: pdf.missing.slice(0, 50).map((c) => `U+${c.codePointAt(0)!.toString(16)}`) });
    return { title: model.title, fileName: `${fileStem}.pdf`, contentType: 'application/pdf' as const, pages: pdf.pages, pdf: Buffer.from(pdf.bytes).toString('base64') };
  } catch (err) {
    // Too long for a PDF: say so (the printable page still answers); anything else is a 500.
    if (err instanceof PdfRenderError) throw new ConflictError({ zh: err.zh, en: err.en }, { cause: err });
    throw err;
  }
}
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
    return rendered(completionModel(app, ctx), query.format, `${app.trackingCode}-completion`);
  }
  if (!app.decision) throw new ConflictError({ zh: '该申请尚未作出答复决定。', en: 'No decision has been made on this application yet.' });
  return rendered(answerModel(app, ctx), query.format, `${app.trackingCode}-answer`);
});
