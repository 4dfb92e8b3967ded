import type { z } from 'zod';
import { ROUTES as DRAFTS } from './routes/drafts.ts';
import { ROUTES as ACCOUNT } from './routes/account.ts';
import { ROUTES as TASKS } from './routes/tasks.ts';
import { ROUTES as DOCUMENTS } from './routes/documents.ts';
import { ROUTES as HISTORICAL } from './routes/historical.ts';
import { ROUTES as BODIES } from './routes/bodies.ts';
import { ROUTES as PUBLIC } from './routes/public.ts';
import { ROUTES as APPLICATIONS } from './routes/applications.ts';
import { ROUTES as ANNUAL_REPORTS } from './routes/annual-reports.ts';
import { ROUTES as OVERSIGHT } from './routes/oversight.ts';
import type { RouteSpec } from './routes/spec.ts';

export { route, routeKey, type RouteSpec } from './routes/spec.ts';

/**
 * The API, declared once: every route's method, path, function, roles, request body, query,
 * response and summary. The CDK app (infra/cdk/api.ts), the OpenAPI document
 * (shared/openapi.ts), the handler edge (shared/http.ts `apiHandler`: role check, parsing,
 * the response checked against its schema locally), the local API server and the typed
 * client (client/gongkai.ts) all read this table. Each route is declared in its area's module
 * (shared/routes/<area>.ts), which is what its handler imports: a function's bundle then
 * builds only its own area's schemas at a cold start, not every route's (issue 17.5). Adding a
 * route is one entry in its area, its line here (the order here is the order of ROUTE_LIST and
 * of the OpenAPI paths) and its handler in functions/<fn>.ts (with the function in shared/topology.ts).
 */
export const ROUTES = {
  createDraft: DRAFTS.createDraft,
  getDraft: DRAFTS.getDraft,
  renewUploads: DRAFTS.renewUploads,
  previewDraft: DRAFTS.previewDraft,
  decideMask: DRAFTS.decideMask,
  getMe: ACCOUNT.getMe,
  listRules: ACCOUNT.listRules,
  listTasks: TASKS.listTasks,
  claimTask: TASKS.claimTask,
  decideTask: TASKS.decideTask,
  extendLease: TASKS.extendLease,
  reviseDraft: DRAFTS.reviseDraft,
  withdrawDocument: DOCUMENTS.withdrawDocument,
  changeValidity: DOCUMENTS.changeValidity,
  getOpenApi: ACCOUNT.getOpenApi,
  importHistorical: HISTORICAL.importHistorical,
  listHistorical: HISTORICAL.listHistorical,
  determineHistorical: HISTORICAL.determineHistorical,
  listBodies: BODIES.listBodies,
  getBody: BODIES.getBody,
  createBody: BODIES.createBody,
  updateBody: BODIES.updateBody,
  submitApplication: PUBLIC.submitApplication,
  trackApplication: PUBLIC.trackApplication,
  applicantStep: PUBLIC.applicantStep,
  listRequestable: PUBLIC.listRequestable,
  registerApplication: APPLICATIONS.registerApplication,
  listApplications: APPLICATIONS.listApplications,
  getApplication: APPLICATIONS.getApplication,
  stepApplication: APPLICATIONS.stepApplication,
  applicationDocument: APPLICATIONS.applicationDocument,
  listReportsDue: ANNUAL_REPORTS.listReportsDue,
  listAnnualReports: ANNUAL_REPORTS.listAnnualReports,
  getAnnualReport: ANNUAL_REPORTS.getAnnualReport,
  saveAnnualReport: ANNUAL_REPORTS.saveAnnualReport,
  submitAnnualReport: ANNUAL_REPORTS.submitAnnualReport,
  getOversight: OVERSIGHT.getOversight,
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;
export type RouteOf<N extends RouteName> = (typeof ROUTES)[N];

/** Every route, in declaration order. */
export const ROUTE_LIST: readonly (RouteSpec & { readonly name: RouteName })[] = (Object.keys(ROUTES) as RouteName[]).map((name) => ({ ...ROUTES[name], name }));

type SchemaOf<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? S : undefined;

/** What the route answers (the client's view of the response). */
export type ResponseOf<N extends RouteName> = z.output<RouteOf<N>['response']>;
/** What a client sends as the route's body. */
export type RequestOf<N extends RouteName> = SchemaOf<RouteOf<N>, 'body'> extends z.ZodType ? z.input<SchemaOf<RouteOf<N>, 'body'>> : never;
/** What a client sends as the route's query. */
export type QueryOf<N extends RouteName> = SchemaOf<RouteOf<N>, 'query'> extends z.ZodType ? z.input<SchemaOf<RouteOf<N>, 'query'>> : never;
