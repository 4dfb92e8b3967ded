import { createHash } from 'node:crypto';
import { loadReport, setReportStatus } from '#shared/annual-reports';
import { writeObject } from '#shared/blobs';
import { getBody } from '#shared/bodies';
import { chinaDay } from '#shared/clock';
import { reportDeadline, type AnnualReport } from '#shared/domain/annual-report';
import { SYSTEM, uploadKey, type Actor, type Draft } from '#shared/domain/draft';
import { DISCLOSURE_CATEGORIES } from '#shared/domain/form';
import { ConflictError, ValidationError } from '#shared/errors';
import { newDraftId, plannedFiles } from '#shared/intake';
import { annualReportText, reportTitle } from '#shared/render/annual-report';
import { findPersonalData } from '#shared/rules/detect/personal-data';
import { createDraft } from '#shared/store';

/**
 * A 政府信息公开工作年度报告 goes through the ordinary pipeline (issue 13): submitting it freezes
 * it (DRAFT → SUBMITTED, computed cells frozen, shared/annual-reports.ts) and makes it a draft of
 * its body — 文种 报告, 主动公开, no interpretation needed — whose document is the report's text,
 * written to the draft's upload key as the drafting units' files are. From there it is any draft:
 * extraction pins the bytes, the rulebook reads them (a 秘密★ mark blocks it, ATTR-5), an approver
 * of the body claims and decides it, and publish-document renders the frozen report (page and
 * PDF) after checking its text hashes to the bytes the rulebook read (`draft.annualReport.sha256`).
 *
 * Personal data (PUB-4) is masked on a document's page, but the report page is rendered from the
 * report's record: so a report whose text holds any is refused here, before it is frozen.
 */

export const reportSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The text of the report as the rulebook reads it and the report page says it. */
export async function reportTextOf(report: AnnualReport): Promise<{ text: string; bodyName: string }> {
  const body = await getBody(report.body);
  return { text: annualReportText(report, { bodyName: body.name }), bodyName: body.name };
}

/** The report's draft: the text is its document (text/plain), uploaded under its upload key at `at`. */
export async function submitReport(prev: AnnualReport, by: Actor, at: Date): Promise<{ report: AnnualReport; draft: Draft }> {
  if (prev.status !== 'DRAFT')
    throw new ConflictError({ zh: `${prev.year} 年度报告已报送审批或已发布，不能重复报送。`, en: `The ${prev.year} report is ${prev.status}: it cannot be submitted again.` });
  // Refuse personal data before anything is frozen.
  const probe = await reportTextOf(prev);
  const found = findPersonalData(probe.text);
  if (found.length)
    throw new ValidationError([
      {
        field: 'sections',
        zh: `年度报告中含有个人信息（${found
          .slice(0, 5)
          .map((f) => f.text)
          .join('、')}），年度报告按原文公开、不作遮盖，请删除后再报送。`,
        en: `The report holds personal data (${found.length} place(s)); the report is published as written, unmasked: remove it and submit again.`,
      },
    ]);
  const report = await setReportStatus(prev, 'SUBMITTED', by, at);
  const { text, bodyName } = await reportTextOf(report);
  const bytes = new TextEncoder().encode(text);
  const body = await getBody(report.body);
  const id = newDraftId(at);
  const files = plannedFiles(id, 1, { document: { fileName: `annual-report-${report.year}.txt`, contentType: 'text/plain', size: bytes.length } }, at);
  const iso = at.toISOString();
  const draft: Draft = {
    id,
    version: 1,
    revision: 1,
    status: 'AWAITING_UPLOAD',
    form: {
      title: reportTitle(report, bodyName),
      draftingUnit: body.contact.office,
      documentType: '报告',
      documentDate: chinaDay(at),
      isPolicy: false,
      attribute: '主动公开',
      interpretation: { mode: 'not-needed', reason: '政府信息公开工作年度报告，依《条例》第四十九条、第五十条公布，无需解读' },
      // (十五) 法律、法规…规定应当主动公开的其他政府信息: the report is published by Art. 49–50.
      category: DISCLOSURE_CATEGORIES[14],
      contact: {
        name: by.name.length >= 2 ? by.name : `${by.name}（信息公开）`,
        phone: /^[0-9+\-()（） ]{7,20}$/.test(body.contact.phone.trim()) ? body.contact.phone.trim() : '0000000',
      },
    },
    submitter: by,
    body: report.body,
    files,
    findings: [],
    annualReport: { body: report.body, year: report.year, version: report.version, sha256: reportSha256(text) },
    history: [{ at: iso, actor: by, event: 'SUBMITTED', to: 'AWAITING_UPLOAD', note: `${report.year} 年度报告（截止 ${reportDeadline(report.year)}）` }],
    createdAt: iso,
    updatedAt: iso,
    stageEnteredAt: iso,
  };
  await createDraft(draft);
  // The upload, as a drafting unit's browser would send it: the S3 event starts extraction.
  await writeObject('drafts', uploadKey(id, 1, 'document'), bytes, 'text/plain; charset=utf-8');
  return { report, draft };
}

/**
 * A report's draft refused by the rulebook, rejected or returned by an approver: the report goes
 * back to DRAFT (SUBMITTED → DRAFT) so the office can correct it and submit it again (a new draft).
 * Only the report frozen for this draft is moved; a repeated call finds it moved and does nothing.
 */
export async function returnReport(draft: Draft, at: Date, opts: { readonly classified?: boolean } = {}): Promise<void> {
  const a = draft.annualReport;
  if (!a) return;
  const report = await loadReport(a.body, a.year, at);
  if (report?.status !== 'SUBMITTED' || report.version !== a.version) return;
  // A secrecy mark in the office's text: the text leaves the system as the draft's files did
  // (purge), in the same write; the office writes the sections again.
  await setReportStatus(report, 'DRAFT', SYSTEM, at, { clearSections: opts.classified === true });
}
