import { getItem, INDEX, ITEM, putNew, query, replaceVersioned, VersionConflict } from '#shared/aws/table';
import { Application } from '#shared/domain/application';
import { AnnualReport, enteredCells, newReport, readFrom, refreshReport, REPORT_TRANSITIONS, type Actor, type ReportFacts, type ReportStatus } from '#shared/domain/annual-report';
import { ConflictError, NotFoundError } from '#shared/errors';
import type { Identity } from '#shared/http';
import { bodiesOf } from '#shared/scope';
import { allEntries, listRef } from '#shared/site/catalogue';
import { siteConfig } from '#shared/site/config';

/**
 * 政府信息公开工作年度报告 in the single table: one item per (body, year), ANNUALREPORT#<body> /
 * YEAR#<year>, replaced whole at the version it was read at. A DRAFT keeps only what the office
 * entered (cells with who and when, the text sections); its computed cells are computed again
 * on every read from the pipeline's own records, read through keys and indexes, never a Scan:
 *
 * - applications: the body's partition of the byStatus index (APPS#<body>, sorted by the day
 *   received), from 1 January of year − 3 (readFrom, CARRY_IN_YEARS) to 31 December of the year;
 * - 行政规范性文件: the body's normative list (SITE#LIST#<body>/normative, its entries carry the
 *   document's date, 有效期 and 废止 / 修订; a withdrawn document has left it), as the site run
 *   entered them (a repeal shows once the site run after it has entered it: seconds).
 *
 * At submission the computed cells are frozen on the item; SUBMITTED and PUBLISHED reports are
 * read as stored.
 */

const toItem = (r: AnnualReport): Record<string, unknown> => ({
  ...r,
  ...(r.status === 'DRAFT' ? { cells: enteredCells(r.cells) } : {}),
  ...ITEM.annualReport.key(r.body, r.year),
});
const fromItem = (item: Record<string, unknown>): AnnualReport => AnnualReport.parse(item);

/** The records the computed cells of `body`'s report on `year` are computed from. */
export async function reportFacts(body: string, year: string): Promise<ReportFacts & { readonly read: number }> {
  const res = await query({
    IndexName: INDEX.byStatus,
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': 'gsi1pk', '#sk': 'gsi1sk' },
    ExpressionAttributeValues: { ':pk': ITEM.application.byBody(body), ':from': readFrom(year), ':to': `${year}-12-31#~` },
  });
  const normative = await allEntries(listRef(body, 'normative', siteConfig.bodyId));
  return { applications: res.items.map((i) => Application.parse(i)), normative, read: res.scanned + normative.length };
}

/** The stored report of `body` on `year` as it stands (a DRAFT with fresh computed cells), or undefined. */
export async function loadReport(body: string, year: string, at: Date = new Date()): Promise<AnnualReport | undefined> {
  const item = await getItem(ITEM.annualReport.key(body, year));
  if (!item) return undefined;
  const report = fromItem(item);
  return report.status === 'DRAFT' ? refreshReport(report, await reportFacts(body, year), at.toISOString()) : report;
}

/** The report to show: the stored one, or a blank DRAFT at version 0 (not stored: saving it creates it). */
export async function reportOrBlank(body: string, year: string, at: Date): Promise<AnnualReport> {
  return (await loadReport(body, year, at)) ?? refreshReport(newReport(body, year, at.toISOString()), await reportFacts(body, year), at.toISOString());
}

/** The report with fresh computed cells, a DRAFT created (version 1) when there is none. */
export async function draftReport(body: string, year: string, now: Date): Promise<AnnualReport> {
  const found = await loadReport(body, year, now);
  if (found) return found;
  const blank = newReport(body, year, now.toISOString());
  try {
    await saveReport(blank, blank);
  } catch (err) {
    // Created by someone else in between: theirs is the report.
    if (!(err instanceof ConflictError)) throw err;
  }
  return (await loadReport(body, year, now))!;
}

const conflict = (r: Pick<AnnualReport, 'year'>, cause?: unknown) =>
  new ConflictError(
    { zh: `${r.year} 年度报告已被他人修改，请刷新后重新填报。`, en: `The ${r.year} report was changed by someone else; reload and enter again.` },
    cause ? { cause } : undefined,
  );

/**
 * Writes `next` if the stored report is still at `prev.version` (version 0: none stored yet);
 * ConflictError otherwise. Answers the report as stored, at its new version.
 */
export async function saveReport(prev: AnnualReport, next: AnnualReport): Promise<AnnualReport> {
  const out: AnnualReport = { ...next, body: prev.body, year: prev.year, version: prev.version + 1 };
  if (prev.version === 0) {
    if (!(await putNew(toItem(out)))) throw conflict(prev);
    return out;
  }
  try {
    await replaceVersioned(toItem(out), prev.version);
  } catch (err) {
    if (err instanceof VersionConflict) throw conflict(prev, err);
    throw err;
  }
  return out;
}

/**
 * Moves a report: DRAFT → SUBMITTED (its computed cells computed now and frozen on the item,
 * with who submitted it), SUBMITTED → DRAFT (returned: computed again on read), SUBMITTED →
 * PUBLISHED (publishedAt). Any other move is a 409. `prev` is the report as read (its version).
 */
export async function setReportStatus(
  prev: AnnualReport,
  to: ReportStatus,
  by: Actor,
  now: Date,
  opts: {
    /** Back to DRAFT without its text sections (a secrecy mark was found in them). */
    readonly clearSections?: boolean;
    /** The published report's document was withdrawn (render-site): the one way back from PUBLISHED, to DRAFT. */
    readonly withdrawn?: boolean;
  } = {},
): Promise<AnnualReport> {
  const reopened = opts.withdrawn === true && prev.status === 'PUBLISHED' && to === 'DRAFT';
  if (!reopened && !REPORT_TRANSITIONS[prev.status].includes(to))
    throw new ConflictError({ zh: `${prev.year} 年度报告当前为 ${prev.status}，不能改为 ${to}。`, en: `The ${prev.year} report is ${prev.status}: it cannot become ${to}.` });
  const at = now.toISOString();
  let next: AnnualReport = { ...prev, status: to, updatedAt: at };
  if (to === 'SUBMITTED') {
    next = {
      ...refreshReport(prev, await reportFacts(prev.body, prev.year), at),
      status: to,
      updatedAt: at,
      submittedBy: { sub: by.sub, name: by.name, role: by.role },
      submittedAt: at,
    };
  } else if (to === 'DRAFT') {
    // Back to the office: refused or returned in approval, or its published document withdrawn.
    const { submittedBy: _b, submittedAt: _a, publishedAt: _p, ...rest } = next;
    next = { ...rest, cells: enteredCells(prev.cells), ...(opts.clearSections ? { sections: {} } : {}) };
  } else next = { ...next, publishedAt: at };
  const saved = await saveReport(prev, next);
  return saved.status === 'DRAFT' ? refreshReport(saved, await reportFacts(saved.body, saved.year), at) : saved;
}

/** The body's reports (year, status, version, last change), newest year first. */
export async function listReports(body: string): Promise<Pick<AnnualReport, 'year' | 'status' | 'version' | 'updatedAt'>[]> {
  const res = await query({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': ITEM.annualReport.pk(body), ':p': ITEM.annualReport.YEAR_PREFIX },
    ProjectionExpression: '#y, #s, #v, updatedAt',
    ExpressionAttributeNames: { '#y': 'year', '#s': 'status', '#v': 'version' },
    ScanIndexForward: false,
  });
  return res.items.map((i) => ({ year: String(i.year), status: i.status as ReportStatus, version: Number(i.version), updatedAt: String(i.updatedAt) }));
}

/**
 * The body and year of a request, when the caller (the information centre, an approver) acts for
 * that body: another body's reports do not exist for them (404), nor does a year before the
 * regulation's annual reports (2008) or after the current one.
 */
export function reportScope(who: Pick<Identity, 'bodies'>, body: string, year: string | undefined, today: string): { body: string; year: string } {
  if (!bodiesOf(who).includes(body))
    throw new NotFoundError({ zh: `您不代表公开主体 ${body}，看不到它的年度报告。`, en: `You do not act for the body ${body}: its annual reports are not yours to see.` });
  if (year === undefined) return { body, year: '' };
  if (!/^\d{4}$/.test(year) || year < '2008' || year > today.slice(0, 4))
    throw new NotFoundError({
      zh: `没有 ${year} 年度的报告：年度应为 2008 年至 ${today.slice(0, 4)} 年之间的四位数字。`,
      en: `No report on ${year}: the year is four digits from 2008 to ${today.slice(0, 4)}.`,
    });
  return { body, year };
}
