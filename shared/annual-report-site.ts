import { listReports, loadReport, setReportStatus } from '#shared/annual-reports';
import { reportSha256, reportTextOf } from '#shared/annual-report-submission';
import { deleteObject, writeObject } from '#shared/blobs';
import { getBody } from '#shared/bodies';
import { SYSTEM, type Draft } from '#shared/domain/draft';
import { env } from '#shared/env';
import { DomainError } from '#shared/errors';
import { annualReportModel, annualReportPage, reportKeys, reportTitle, type PublishedReport } from '#shared/render/annual-report';
import { pdfFonts, renderPdf } from '#shared/render/pdf';
import { sectionOf, withdrawnPage } from '#shared/render/site';
import { PAGE_CACHE } from '#shared/site/cache';

/**
 * The 年度报告 column's writes (issue 13): publish-document writes an approved report's page and
 * PDF (`publishReportPages`) and marks the report PUBLISHED; render-site lists the published years
 * (`publishedReports`). Only a report frozen at submission, whose text hashes to the bytes the
 * rulebook checked and the approver approved, is ever written.
 */

/** Raised when the report to publish is not the one that was checked and approved. */
export class ReportMismatchError extends DomainError {
  constructor(d: Draft, why: string) {
    super({
      zh: `文件 ${d.id} 对应的年度报告与审查、审批时的内容不一致（${why}），不予发布。`,
      en: `The annual report of draft ${d.id} is not the one checked and approved (${why}); it is not published.`,
    });
    this.name = 'ReportMismatchError';
  }
}

/**
 * Writes the report's page and PDF in its body's 年度报告 column and marks it PUBLISHED (a repeated
 * message finds it PUBLISHED at the next version and writes the same bytes again).
 */
export async function publishReportPages(draft: Draft): Promise<{ page: string; pdf: string }> {
  const a = draft.annualReport!;
  const report = await loadReport(a.body, a.year);
  if (!report) throw new ReportMismatchError(draft, 'no report');
  const same = (report.status === 'SUBMITTED' && report.version === a.version) || (report.status === 'PUBLISHED' && report.version === a.version + 1);
  if (!same) throw new ReportMismatchError(draft, `${report.status} v${report.version}, submitted v${a.version}`);
  const { text, bodyName } = await reportTextOf(report);
  const sha = reportSha256(text);
  if (sha !== a.sha256 || (draft.files.document.pinned && draft.files.document.pinned.sha256 !== sha)) throw new ReportMismatchError(draft, 'text changed');
  const body = await getBody(a.body);
  const section = sectionOf(body);
  const published = report.status === 'PUBLISHED' ? report : { ...report, publishedAt: draft.decision?.at ?? report.updatedAt };
  const keys = reportKeys(section, a.year);
  const pdf = await renderPdf(
    annualReportModel(published, { bodyName }),
    await pdfFonts({ regular: env.assetDir('PDF_FONT_REGULAR_DIR'), bold: env.assetDir('PDF_FONT_BOLD_DIR') }),
  );
  await Promise.all([
    writeObject('site', keys.page!, annualReportPage(published, { bodyName }, section), 'text/html; charset=utf-8', { cacheControl: PAGE_CACHE }),
    writeObject('site', keys.pdf!, pdf.bytes, 'application/pdf', { cacheControl: PAGE_CACHE }),
  ]);
  if (report.status === 'SUBMITTED') await setReportStatus(report, 'PUBLISHED', SYSTEM, new Date(published.publishedAt!));
  return { page: keys.page!, pdf: keys.pdf! };
}

/** The body's published reports, as the column lists them (newest first). */
export async function publishedReports(body: string, bodyName: string): Promise<PublishedReport[]> {
  return (await listReports(body)).filter((r) => r.status === 'PUBLISHED').map((r) => ({ year: r.year, title: reportTitle(r, bodyName), publishedAt: r.updatedAt }));
}

/**
 * Withdrawing the document of a published report (render-site, op withdraw) takes the report out
 * of its column at once: its page becomes the withdrawal notice, its PDF is deleted, and the
 * report goes back to the office as a DRAFT (a correction is submitted and approved again).
 * Answers the site keys changed (for the CDN). Idempotent: a repeat finds the report a DRAFT.
 */
export async function withdrawReportPages(draft: Draft, at: Date): Promise<string[]> {
  const a = draft.annualReport;
  if (!a) return [];
  const keys = reportKeys(sectionOf(await getBody(a.body)), a.year);
  const indexNumber = draft.publication?.indexNumber;
  // The report first: from here on nothing publishes this version's pages again (publishReportPages
  // finds a DRAFT), then the pages go.
  const report = await loadReport(a.body, a.year, at);
  if (report?.status === 'PUBLISHED' && report.version === a.version + 1) await setReportStatus(report, 'DRAFT', SYSTEM, at, { withdrawn: true });
  await writeObject('site', keys.page!, withdrawnPage(draft, indexNumber ? { indexNumber } : {}), 'text/html; charset=utf-8', { cacheControl: PAGE_CACHE });
  await deleteObject('site', keys.pdf!);
  return [keys.page!, keys.pdf!, keys.index];
}
