import { bi } from '#shared/errors';
import * as z from 'zod';
import { ApplicationStep, ApplicationSummary, ApplicationView, RegisterApplicationRequest } from '#shared/domain/application';
import { route, type RouteSpec } from './spec.ts';

/** The routes of 依申请公开, the office side. A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  registerApplication: route({
    method: 'POST',
    path: '/applications',
    fn: 'register-application',
    roles: ['infocenter'],
    summary: '登记当面、信函或传真提交的申请（写明视为收到之日） / register an application handed in, posted or faxed, with the day it counts as received (Art. 31)',
    body: RegisterApplicationRequest,
    response: ApplicationView,
    status: 201,
  }),
  listApplications: route({
    method: 'GET',
    path: '/applications',
    fn: 'list-applications',
    roles: ['infocenter', 'approver'],
    summary: '本主体的申请，以及临近期限（5 个工作日内）和已超期的申请 / the applications of your bodies, with those due within 5 working days and those overdue',
    query: z.object({
      body: z
        .string()
        .regex(/^[a-z0-9-]{1,40}$/, bi('body 应为公开主体的标识。', 'body must be a body id.'))
        .optional(),
    }),
    response: z.object({
      today: z.string(),
      bodies: z.array(z.string()),
      overdue: z.array(ApplicationSummary),
      dueSoon: z.array(ApplicationSummary),
      /** Open applications whose deadline the holiday calendar does not reach yet (set by hand; update chinese-days). */
      uncovered: z.array(ApplicationSummary),
      applications: z.array(ApplicationSummary),
    }),
    status: 200,
  }),
  getApplication: route({
    method: 'GET',
    path: '/applications/{id}',
    fn: 'get-application',
    roles: ['infocenter', 'approver'],
    summary: '一件申请：申请内容、期限、办理记录 / one application: what was asked, its clock, every step',
    response: ApplicationView,
    status: 200,
  }),
  stepApplication: route({
    method: 'POST',
    path: '/applications/{id}/steps',
    fn: 'step-application',
    roles: ['infocenter', 'approver'],
    summary:
      '办理一步：补正告知、征求意见、办理意见、审批、延期、送达、归档、转交 / take a step: completion notice, consultation, proposal, approval, extension, delivery, archive, transfer',
    body: z.object({ version: z.number().int().min(0), action: ApplicationStep }).strict(),
    response: ApplicationView,
    status: 200,
  }),
  applicationDocument: route({
    method: 'GET',
    path: '/applications/{id}/document',
    fn: 'application-document',
    roles: ['infocenter', 'approver'],
    summary: '答复书或告知书、补正告知书（可打印网页或 PDF） / the answer (答复书 / 告知书) or the completion notice, as a printable page or a PDF (base64)',
    query: z.object({
      kind: z.enum(['answer', 'completion'], { error: bi('kind 应为 answer 或 completion。', 'kind must be answer or completion.') }).default('answer'),
      format: z.enum(['html', 'pdf'], { error: bi('format 应为 html 或 pdf。', 'format must be html or pdf.') }).default('html'),
    }),
    response: z.union([
      z.object({ title: z.string(), html: z.string() }),
      z.object({ title: z.string(), fileName: z.string(), contentType: z.literal('application/pdf'), pages: z.number().int().positive(), pdf: z.base64() }),
    ]),
    status: 200,
  }),
} as const satisfies Record<string, RouteSpec>;
