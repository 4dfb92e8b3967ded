import * as z from 'zod';
import { AnnualReportList, AnnualReportView, ReportEntries } from '#shared/domain/annual-report';
import { ReportsDueView } from '#shared/domain/report-reminder';
import { route, type RouteSpec } from './spec.ts';

/** The routes of 政府信息公开工作年度报告 (issue 13); {id} is the body, as in /bodies/{id}. A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  listReportsDue: route({
    method: 'GET',
    path: '/annual-reports/due',
    fn: 'list-reports-due',
    roles: ['infocenter', 'admin'],
    summary:
      '年度报告提醒（条例第四十九条，1 月 31 日前公布）：自 1 月 1 日起，尚未发布上一年度报告的主体及其报告状态、剩余天数 / the reminder: from 1 January, the bodies (the caller acts for; every body for the administrator) without a published report on the past year, with its status and the days left to 31 January',
    response: ReportsDueView,
    status: 200,
  }),
  listAnnualReports: route({
    method: 'GET',
    path: '/bodies/{id}/annual-reports',
    fn: 'list-annual-reports',
    roles: ['infocenter', 'approver'],
    summary: '本主体的政府信息公开工作年度报告：各年度及状态 / the annual reports of a body: each year with its status, and the one due now',
    response: AnnualReportList,
    status: 200,
  }),
  getAnnualReport: route({
    method: 'GET',
    path: '/bodies/{id}/annual-reports/{year}',
    fn: 'get-annual-report',
    roles: ['infocenter', 'approver'],
    summary:
      "一个年度的报告：每个单元格及其来源（系统计算或填报人、时间）和三部分文字 / one year's report: every cell with its source (computed, or who entered it and when) and the text sections",
    response: AnnualReportView,
    status: 200,
  }),
  saveAnnualReport: route({
    method: 'POST',
    path: '/bodies/{id}/annual-reports/{year}',
    fn: 'save-annual-report',
    roles: ['infocenter'],
    summary:
      '填报年度报告的单元格和文字部分（须附读取时的版本号；系统计算的单元格不能填报） / enter cells and text sections of a draft report, at the version read (computed cells cannot be entered)',
    body: ReportEntries,
    response: AnnualReportView,
    status: 200,
  }),
  submitAnnualReport: route({
    method: 'POST',
    path: '/bodies/{id}/annual-reports/{year}/submit',
    fn: 'submit-annual-report',
    roles: ['infocenter'],
    summary:
      '报送年度报告审批（须附读取时的版本号）：报告冻结，作为本主体的一份主动公开文件进入审查和审批，批准后发布到年度报告栏目 / submit a draft report for approval, at the version read: it is frozen and goes through the rulebook and approval as a 主动公开 draft of its body, then into the 年度报告 column',
    body: z.object({ version: z.number().int().min(1) }).strict(),
    response: z.object({ report: AnnualReportView, draftId: z.string() }),
    status: 201,
  }),
} as const satisfies Record<string, RouteSpec>;
