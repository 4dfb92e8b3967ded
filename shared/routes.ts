import { bi } from '#shared/errors';
import { z } from 'zod';
import {
  Claim,
  ClaimRequest,
  CreateDraftRequest,
  CreatedDraft,
  DecisionRequest,
  DraftPreview,
  ExtendLeaseRequest,
  LeaseExtended,
  MaskRequest,
  MaskResult,
  PresignedUpload,
  RenewedUploads,
  RuleList,
  TaskList,
  WithdrawalRequest,
} from '#shared/api';
import { DraftView, Status } from '#shared/domain/draft';
import { Finding } from '#shared/domain/finding';
import { ValidityChangeRequest } from '#shared/domain/validity';
import { DeterminationRequest, HistoricalImportRequest, HistoricalStatus, HistoricalView } from '#shared/domain/historical';
import { BodySummary, BodyView, CreateBodyRequest, UpdateBodyRequest } from '#shared/domain/body';
import {
  ApplicantStep,
  ApplicationInput,
  ApplicationReceipt,
  ApplicationStep,
  ApplicationSummary,
  ApplicationView,
  RegisterApplicationRequest,
  TrackingView,
} from '#shared/domain/application';
import { AnnualReportList, AnnualReportView, ReportEntries } from '#shared/domain/annual-report';
import { OversightReport } from '#shared/domain/oversight';
import { ReportsDueView } from '#shared/domain/report-reminder';
import { ROLES, type FunctionName, type Role } from '#shared/topology';

/**
 * The API, declared once: every route's method, path, function, roles, request body, query,
 * response and summary. The CDK app (infra/cdk/api.ts), the OpenAPI document
 * (shared/openapi.ts), the handler edge (shared/http.ts `apiHandler`: role check, parsing,
 * the response checked against its schema locally), the local API server and the typed
 * client (client/gongkai.ts) all read this table. Adding a route is one entry here and its
 * handler in functions/<fn>.ts (with the function in shared/topology.ts).
 */
export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  /** API Gateway HTTP API path syntax: /drafts/{id} */
  readonly path: string;
  readonly fn: FunctionName;
  /** Roles allowed to call the route (checked by the handler edge from the authorizer's claims); none for a public route. */
  readonly roles: readonly Role[];
  /**
   * Open to anyone, with no account (the public's applications, 依申请公开): no authorizer in
   * AWS, no token locally; the handler limits what one client may ask (shared/applications.ts).
   */
  readonly public?: true;
  /** 中文 / English, shown in the OpenAPI document. */
  readonly summary: string;
  /** The JSON body, parsed by the edge (unless `bodyParsedByHandler`). */
  readonly body?: z.ZodType;
  /** The handler parses the body itself, only when it needs one (a repeated call may send none). */
  readonly bodyParsedByHandler?: boolean;
  /** Query parameters: an object of optional string fields (each one a parameter in OpenAPI). */
  readonly query?: z.ZodObject;
  /** What a success answers, with its status. */
  readonly response: z.ZodType;
  readonly status: 200 | 201;
  /** Other success statuses the handler may answer with (e.g. 200 for an idempotent replay of a 201). */
  readonly alsoStatus?: readonly (200 | 201)[];
}

const ALL = ROLES;

/** Declares a route, keeping its literal types (the client and the edge infer from them). */
const route = <const R extends RouteSpec>(r: R): R => r;

const Historical = z.object({
  documents: z.array(HistoricalView.extend({ imported: z.boolean(), upload: PresignedUpload.optional() })),
});

export const ROUTES = {
  createDraft: route({
    method: 'POST',
    path: '/drafts',
    fn: 'create-draft',
    roles: ['drafter'],
    summary: '提交申报表，获取上传地址（Idempotency-Key 头可防重复提交） / submit a declaration form and get presigned uploads (an Idempotency-Key header makes a retry safe)',
    body: CreateDraftRequest,
    response: CreatedDraft,
    status: 201,
    alsoStatus: [200],
  }),
  getDraft: route({
    method: 'GET',
    path: '/drafts/{id}',
    fn: 'get-draft',
    roles: ['drafter', 'approver', 'infocenter'],
    summary:
      '文件状态、审查发现和记录（最近 200 条；?historyBefore=序号 翻看更早的） / a draft: status, findings, history (the latest 200 lines; ?historyBefore=<position> pages back)',
    query: z.object({
      historyBefore: z
        .string()
        .regex(/^\d{1,9}$/, bi('historyBefore 应为非负整数（记录的序号）。', 'historyBefore must be a non-negative integer (a position in the history).'))
        .transform(Number)
        .optional(),
    }),
    response: DraftView,
    status: 200,
  }),
  renewUploads: route({
    method: 'POST',
    path: '/drafts/{id}/uploads',
    fn: 'renew-uploads',
    roles: ['drafter'],
    summary: '重新获取上传地址 / fresh presigned uploads for files not yet received',
    response: RenewedUploads,
    status: 200,
  }),
  previewDraft: route({
    method: 'GET',
    path: '/drafts/{id}/preview',
    fn: 'preview-draft',
    roles: ['drafter', 'approver', 'infocenter'],
    summary: '公开文本预览，标出每处遮盖 / the text as it will be published, every masked span marked',
    response: DraftPreview,
    status: 200,
  }),
  decideMask: route({
    method: 'POST',
    path: '/drafts/{id}/masks',
    fn: 'decide-mask',
    roles: ['drafter', 'approver'],
    summary: '确认、取消或增加遮盖（后两者须写明理由） / confirm, unmask or add a masked span (the last two with a reason)',
    body: MaskRequest,
    response: MaskResult,
    status: 200,
  }),
  getMe: route({
    method: 'GET',
    path: '/me',
    fn: 'get-me',
    roles: ALL,
    summary: '当前用户：角色、起草单位和所代表的公开主体 / the caller: role, unit and the bodies acted for',
    response: z.object({ sub: z.string(), name: z.string(), role: z.string(), roles: z.array(z.string()), unit: z.string().optional(), bodies: z.array(z.string()) }),
    status: 200,
  }),
  listRules: route({ method: 'GET', path: '/rules', fn: 'list-rules', roles: ALL, summary: '规则库 / the rulebook', response: RuleList, status: 200 }),
  listTasks: route({
    method: 'GET',
    path: '/tasks',
    fn: 'list-tasks',
    roles: ['approver', 'infocenter'],
    summary: '待审批任务（?overdue=true 只列超期的） / drafts waiting for a decision (?overdue=true: only the overdue ones)',
    query: z.object({ overdue: z.enum(['true', 'false'], { error: bi('overdue 应为 true 或 false', 'overdue must be true or false') }).optional() }),
    response: TaskList,
    status: 200,
  }),
  claimTask: route({
    method: 'POST',
    path: '/tasks/claim',
    fn: 'claim-task',
    roles: ['approver', 'infocenter'],
    summary: '领取下一项任务 / claim the next approval task under a lease',
    body: ClaimRequest,
    response: Claim,
    status: 200,
  }),
  decideTask: route({
    method: 'POST',
    path: '/tasks/{id}/decision',
    fn: 'decide-task',
    roles: ['approver', 'infocenter'],
    summary: '批准或退回；复核时保留或转为主动公开 / approve or reject a claimed task (keep or convert on review)',
    body: DecisionRequest,
    response: DraftView,
    status: 200,
  }),
  extendLease: route({
    method: 'POST',
    path: '/tasks/{id}/lease',
    fn: 'extend-lease',
    roles: ['approver', 'infocenter'],
    summary: '延长领取期限 / extend a live claim',
    body: ExtendLeaseRequest,
    response: LeaseExtended,
    status: 200,
  }),
  reviseDraft: route({
    method: 'POST',
    path: '/drafts/{id}/revisions',
    fn: 'revise-draft',
    roles: ['drafter'],
    summary: '提交修订稿（新的申报表和文件） / submit a revision (a new form and files)',
    body: CreateDraftRequest,
    response: CreatedDraft,
    status: 201,
  }),
  withdrawDocument: route({
    method: 'POST',
    path: '/documents/{id}/withdrawal',
    fn: 'withdraw-document',
    roles: ['approver', 'infocenter'],
    summary: '撤回已公开的文件（须写明理由） / withdraw a published document from the public site, with a reason',
    body: WithdrawalRequest,
    response: DraftView,
    status: 200,
  }),
  changeValidity: route({
    method: 'POST',
    path: '/documents/{id}/validity',
    fn: 'change-validity',
    roles: ['approver'],
    summary: '行政规范性文件的废止或修订（action: repeal | amend，日期，替代文件，理由） / repeal or amend a published 行政规范性文件, naming the replacing document',
    body: ValidityChangeRequest,
    response: DraftView,
    status: 200,
  }),
  getOpenApi: route({
    method: 'GET',
    path: '/openapi.json',
    fn: 'get-openapi',
    roles: ALL,
    summary: '接口说明 / this API description',
    response: z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
    status: 200,
  }),
  importHistorical: route({
    method: 'POST',
    path: '/historical',
    fn: 'import-historical',
    roles: ['drafter', 'infocenter'],
    summary: '批量导入历史文件 / import historical documents (no attribute yet)',
    body: HistoricalImportRequest,
    response: Historical,
    status: 201,
  }),
  listHistorical: route({
    method: 'GET',
    path: '/historical',
    fn: 'list-historical',
    roles: ['infocenter', 'drafter'],
    summary: '按状态列出历史文件（?status=UNDETERMINED|DETERMINED） / historical documents by status',
    query: z.object({ status: HistoricalStatus.default('UNDETERMINED') }),
    response: z.object({
      status: HistoricalStatus,
      documents: z.array(HistoricalView.extend({ draft: z.object({ id: z.string(), status: Status, statusLabel: z.string() }).optional() })),
    }),
    status: 200,
  }),
  determineHistorical: route({
    method: 'POST',
    path: '/historical/{id}/determination',
    fn: 'determine-historical',
    roles: ['drafter'],
    summary: '出具公函，确定公开属性 / the letter (公函) that determines the attribute',
    body: DeterminationRequest,
    bodyParsedByHandler: true,
    response: z.object({ historical: HistoricalView, draftId: z.string(), status: Status, uploads: z.array(PresignedUpload), preflight: z.array(Finding) }),
    status: 201,
    alsoStatus: [200],
  }),
  listBodies: route({
    method: 'GET',
    path: '/bodies',
    fn: 'list-bodies',
    roles: ALL,
    summary: '平台的公开主体 / the publishing bodies (公开主体) of the platform',
    response: z.object({ bodies: z.array(BodySummary) }),
    status: 200,
  }),
  getBody: route({
    method: 'GET',
    path: '/bodies/{id}',
    fn: 'get-body',
    roles: ALL,
    summary: '一个公开主体：指南、制度与修改记录 / one body, with its guide and system texts and its audit trail',
    response: BodyView,
    status: 200,
  }),
  createBody: route({
    method: 'POST',
    path: '/bodies',
    fn: 'create-body',
    roles: ['admin'],
    summary: '新增公开主体（平台管理员） / add a body (platform administrator)',
    body: CreateBodyRequest,
    response: BodyView,
    status: 201,
  }),
  updateBody: route({
    method: 'POST',
    path: '/bodies/{id}',
    fn: 'update-body',
    roles: ['admin'],
    summary: '修改公开主体（平台管理员，须附读取时的版本号） / edit a body (platform administrator, at the version read)',
    body: UpdateBodyRequest,
    response: BodyView,
    status: 200,
  }),
  // --- 依申请公开: the public's applications (issue 12) ---
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
  // --- 政府信息公开工作年度报告 (issue 13); {id} is the body, as in /bodies/{id} ---
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
  // --- 监督考核 (issue 13.3); {id} is the body, as in /bodies/{id} ---
  getOversight: route({
    method: 'GET',
    path: '/bodies/{id}/oversight',
    fn: 'get-oversight',
    roles: ['infocenter', 'admin'],
    summary:
      '监督考核：本主体及各起草单位某年度的按时公开、政策解读与多样化解读、按时复核、按时答复和规范性文件情况（JSON 或 CSV） / oversight figures of a body and each of its drafting units for a year: Art. 26 timeliness, interpretations and the diversified share, re-reviews and answers on time, normative documents (JSON, or CSV)',
    query: z.object({
      year: z
        .string()
        .regex(/^\d{4}$/, bi('year 应为四位年份。', 'year must be a four-digit year.'))
        .optional(),
      format: z.enum(['json', 'csv'], { error: bi('format 应为 json 或 csv。', 'format must be json or csv.') }).optional(),
    }),
    response: z.union([OversightReport, z.object({ fileName: z.string(), contentType: z.literal('text/csv; charset=utf-8'), csv: z.string() })]),
    status: 200,
  }),
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;
export type RouteOf<N extends RouteName> = (typeof ROUTES)[N];

/** Every route, in declaration order. */
export const ROUTE_LIST: readonly (RouteSpec & { readonly name: RouteName })[] = (Object.keys(ROUTES) as RouteName[]).map((name) => ({ ...ROUTES[name], name }));

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;

type SchemaOf<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? S : undefined;

/** What the route answers (the client's view of the response). */
export type ResponseOf<N extends RouteName> = z.output<RouteOf<N>['response']>;
/** What a client sends as the route's body. */
export type RequestOf<N extends RouteName> = SchemaOf<RouteOf<N>, 'body'> extends z.ZodType ? z.input<SchemaOf<RouteOf<N>, 'body'>> : never;
/** What a client sends as the route's query. */
export type QueryOf<N extends RouteName> = SchemaOf<RouteOf<N>, 'query'> extends z.ZodType ? z.input<SchemaOf<RouteOf<N>, 'query'>> : never;
