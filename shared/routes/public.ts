import { bi } from '#shared/errors';
import * as z from 'zod';
import { ApplicantStep, ApplicationInput, ApplicationReceipt, TrackingView } from '#shared/domain/application';
import { route, type RouteSpec } from './spec.ts';

/** The routes of 依申请公开, the public side: no account. A handler of this area imports this module only (the whole table: shared/routes.ts). */
export const ROUTES = {
  submitApplication: route({
    method: 'POST',
    path: '/public/applications',
    fn: 'submit-application',
    roles: [],
    public: true,
    summary: '提交政府信息公开申请（无需账号），获得跟踪码 / apply for government information (no account needed) and get a tracking code',
    body: ApplicationInput,
    response: ApplicationReceipt,
    status: 201,
  }),
  trackApplication: route({
    method: 'GET',
    path: '/public/applications/{id}',
    fn: 'track-application',
    roles: [],
    public: true,
    summary: '凭跟踪码查询申请的办理进度和答复期限 / the progress of an application and its deadline, by tracking code',
    response: TrackingView,
    status: 200,
  }),
  applicantStep: route({
    method: 'POST',
    path: '/public/applications/{id}/steps',
    fn: 'applicant-step',
    roles: [],
    public: true,
    summary: '申请人凭跟踪码补正或撤回申请 / the applicant completes (补正) or withdraws the application, by tracking code',
    body: ApplicantStep,
    response: TrackingView,
    status: 200,
  }),
  listRequestable: route({
    method: 'GET',
    path: '/public/documents',
    fn: 'list-requestable',
    roles: [],
    public: true,
    summary: '可申请公开的文件目录（依申请公开，仅列名称和文号） / the filed 依申请公开 documents one may apply for, by title and number only',
    query: z.object({
      body: z.string().regex(/^[a-z0-9-]{1,40}$/, bi('请指定公开主体。', 'Name the body.')),
      q: z.string().max(100, bi('查询词最多 100 个字。', 'At most 100 characters.')).optional(),
    }),
    response: z.object({
      body: z.object({ id: z.string(), name: z.string() }),
      documents: z.array(z.object({ id: z.string(), title: z.string(), number: z.string().optional() })),
      total: z.number().int(),
    }),
    status: 200,
  }),
} as const satisfies Record<string, RouteSpec>;
