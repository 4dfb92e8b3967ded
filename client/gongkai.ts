import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { CreateDraftRequest, PresignedUpload } from '#shared/api';
import type { Status } from '#shared/domain/draft';
import { ROUTES, type QueryOf, type RequestOf, type ResponseOf, type RouteName } from '#shared/routes';

/** Page lists as the API's own messages write them (1–3、5): the CLI's OCR notes use the same wording. */
export { pageRanges } from '#shared/page-ranges';

/**
 * A small typed client of the Gongkai API, used by the approver CLI, the local seeding,
 * the tests and the benchmark — plain fetch, as any other client would call it.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: { code?: string; zh?: string; en?: string; issues?: { field: string; zh: string; en: string }[] } },
  ) {
    super(`${status} ${body.error?.zh ?? ''} (${body.error?.en ?? ''})`);
    this.name = 'ApiError';
  }
}

/** The client's types are the route table's response schemas (shared/routes.ts), never written twice. */
export type DraftView = ResponseOf<'getDraft'>;
export type CreatedDraft = ResponseOf<'createDraft'>;
export type TaskSummary = ResponseOf<'listTasks'>['tasks'][number];
export type Claim = ResponseOf<'claimTask'>;
export type DraftPreview = ResponseOf<'previewDraft'>;
export type PreviewSpanView = NonNullable<DraftPreview['parts']['document']>['spans'][number];
export type HistoricalView = ResponseOf<'listHistorical'>['documents'][number];
export type BodyView = ResponseOf<'getBody'>;
export type BodySummary = ResponseOf<'listBodies'>['bodies'][number];
export type ApplicationView = ResponseOf<'getApplication'>;
export type TrackingView = ResponseOf<'trackApplication'>;
export type AnnualReportView = ResponseOf<'getAnnualReport'>;
export type OversightReport = Extract<ResponseOf<'getOversight'>, { rows: unknown }>;

export const TERMINAL: readonly Status[] = ['PUBLISHED', 'FILED', 'REJECTED'];

export class GongkaiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Calls a route of the table by name: its method and path from shared/routes.ts, its answer typed by the route's response schema. */
  async request<N extends RouteName>(
    name: N,
    options: { id?: string; body?: RequestOf<N> | Record<string, never>; query?: QueryOf<N>; headers?: Record<string, string>; params?: Record<string, string> } = {},
  ): Promise<ResponseOf<N>> {
    const route = ROUTES[name];
    // {id}, and any other path parameter from `params` ({year} of the annual reports).
    const path = route.path.replace('{id}', encodeURIComponent(options.id ?? '')).replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(options.params?.[n] ?? ''));
    const query = Object.entries((options.query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined);
    const search = query.length ? `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
    const res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}${search}`, {
      method: route.method,
      headers: { authorization: `Bearer ${this.token}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : {};
    if (!res.ok) throw new ApiError(res.status, parsed);
    return parsed as ResponseOf<N>;
  }

  /** With an idempotency key, a repeated call answers with the draft of the first (`replayed: true`). */
  createDraft(req: RequestOf<'createDraft'>, options: { idempotencyKey?: string } = {}) {
    return this.request('createDraft', { body: req, ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}) });
  }
  renewUploads(id: string) {
    return this.request('renewUploads', { id, body: {} });
  }
  getDraft(id: string, options: { historyBefore?: number } = {}) {
    return this.request('getDraft', { id, query: { ...(options.historyBefore !== undefined ? { historyBefore: String(options.historyBefore) } : {}) } });
  }
  /** The text as it will be published, every masked span marked (originals for the drafter and approver only). */
  previewDraft(id: string) {
    return this.request('previewDraft', { id });
  }
  /** Confirms, unmasks (with a reason) or adds (mask-more, with a reason) a masked span before approval. */
  decideMask(id: string, req: RequestOf<'decideMask'>) {
    return this.request('decideMask', { id, body: req });
  }
  listRules() {
    return this.request('listRules');
  }
  listTasks(options: { overdue?: boolean } = {}) {
    return this.request('listTasks', { query: options.overdue ? { overdue: 'true' } : {} });
  }
  extendLease(draftId: string, req: RequestOf<'extendLease'>) {
    return this.request('extendLease', { id: draftId, body: req });
  }
  reviseDraft(id: string, req: RequestOf<'reviseDraft'>) {
    return this.request('reviseDraft', { id, body: req });
  }
  /** Withdraws a published document from the public site (approver, infocenter); answers the draft, now WITHDRAWING. */
  withdraw(draftId: string, reason: string) {
    return this.request('withdrawDocument', { id: draftId, body: { reason } });
  }
  /** 废止 (repeal, with a reason) or 修订 (amend, naming the revised document) of a published 行政规范性文件 (approver). */
  changeValidity(draftId: string, change: RequestOf<'changeValidity'>) {
    return this.request('changeValidity', { id: draftId, body: change });
  }
  claim(leaseSeconds?: number) {
    return this.request('claimTask', { body: leaseSeconds ? { leaseSeconds } : {} });
  }
  decide(draftId: string, decision: RequestOf<'decideTask'>) {
    return this.request('decideTask', { id: draftId, body: decision });
  }
  /** The API description (OpenAPI 3.1) the server generates from its schemas. */
  getOpenApi() {
    return this.request('getOpenApi') as Promise<
      ResponseOf<'getOpenApi'> & { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>> }
    >;
  }
  importHistorical(req: RequestOf<'importHistorical'>) {
    return this.request('importHistorical', { body: req });
  }
  listBodies() {
    return this.request('listBodies');
  }

  getBody(id: string) {
    return this.request('getBody', { id });
  }

  createBody(req: RequestOf<'createBody'>) {
    return this.request('createBody', { body: req });
  }

  updateBody(id: string, req: RequestOf<'updateBody'>) {
    return this.request('updateBody', { id, body: req });
  }

  listHistorical(status: 'UNDETERMINED' | 'DETERMINED' = 'UNDETERMINED') {
    return this.request('listHistorical', { query: { status } });
  }
  /** The drafting unit's 公函: sets the attribute of a historical document, which becomes a draft. */
  determineHistorical(id: string, req: RequestOf<'determineHistorical'>) {
    return this.request('determineHistorical', { id, body: req });
  }

  // --- 依申请公开 (issue 12) ---
  /** Anyone applies (no account needed: the token is not sent on a public route's behalf). */
  submitApplication(req: RequestOf<'submitApplication'>) {
    return this.request('submitApplication', { body: req });
  }
  /** The applicant's view, by tracking code. */
  trackApplication(code: string) {
    return this.request('trackApplication', { id: code });
  }
  /** The applicant completes (补正) or withdraws, by tracking code. */
  applicantStep(code: string, req: RequestOf<'applicantStep'>) {
    return this.request('applicantStep', { id: code, body: req });
  }
  /** The information centre registers an application handed in, posted or faxed. */
  /** The caller as the API sees them: role, groups, unit, bodies. */
  me() {
    return this.request('getMe');
  }
  /** The filed 依申请公开 documents of a body one may apply for (title and number only; no account). */
  listRequestable(body: string, q?: string) {
    return this.request('listRequestable', { query: q ? { body, q } : { body } });
  }
  registerApplication(req: RequestOf<'registerApplication'>) {
    return this.request('registerApplication', { body: req });
  }
  listApplications(body?: string) {
    return this.request('listApplications', { query: body ? { body } : {} });
  }
  getApplication(id: string) {
    return this.request('getApplication', { id });
  }
  /** One step of handling, at the version read. */
  stepApplication(id: string, version: number, action: RequestOf<'stepApplication'>['action']) {
    return this.request('stepApplication', { id, body: { version, action } });
  }
  async applicationDocument(id: string, kind: 'answer' | 'completion' = 'answer') {
    return (await this.request('applicationDocument', { id, query: { kind } })) as Extract<ResponseOf<'applicationDocument'>, { html: string }>;
  }
  /** The same document as a PDF (A4, the font subset embedded): its bytes, file name and page count. */
  async applicationDocumentPdf(id: string, kind: 'answer' | 'completion' = 'answer'): Promise<{ title: string; fileName: string; pages: number; bytes: Uint8Array }> {
    const doc = (await this.request('applicationDocument', { id, query: { kind, format: 'pdf' } })) as Extract<ResponseOf<'applicationDocument'>, { pdf: string }>;
    return { title: doc.title, fileName: doc.fileName, pages: doc.pages, bytes: new Uint8Array(Buffer.from(doc.pdf, 'base64')) };
  }

  /** 政府信息公开工作年度报告 (issue 13): a body's reports, one year's report, and the office's entries at the version read. */
  /** The reminder (Art. 49): the bodies without a published report on the past year, from 1 January. */
  listReportsDue() {
    return this.request('listReportsDue', {});
  }
  listAnnualReports(body: string) {
    return this.request('listAnnualReports', { id: body });
  }
  getAnnualReport(body: string, year: string) {
    return this.request('getAnnualReport', { id: body, params: { year } });
  }
  saveAnnualReport(body: string, year: string, entries: RequestOf<'saveAnnualReport'>) {
    return this.request('saveAnnualReport', { id: body, params: { year }, body: entries });
  }
  /** Submits a draft report for approval (issue 13): it goes through the rulebook and an approver as a draft of its body. */
  submitAnnualReport(body: string, year: string, version: number) {
    return this.request('submitAnnualReport', { id: body, params: { year }, body: { version } });
  }

  /** 监督考核 (issue 13.3): a body's figures for a year, and the same as CSV (UTF-8 with BOM). */
  async getOversight(body: string, year?: string): Promise<OversightReport> {
    return (await this.request('getOversight', { id: body, query: { year } })) as OversightReport;
  }
  async getOversightCsv(body: string, year?: string): Promise<{ fileName: string; csv: string }> {
    const r = (await this.request('getOversight', { id: body, query: { year, format: 'csv' } })) as Extract<ResponseOf<'getOversight'>, { csv: string }>;
    return { fileName: r.fileName, csv: r.csv };
  }

  /** Polls until the draft reaches one of the statuses. */
  async waitForStatus(id: string, statuses: readonly Status[] = TERMINAL, timeoutMs = 60_000): Promise<DraftView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = await this.getDraft(id);
      if (statuses.includes(d.status)) return d;
      if (Date.now() > deadline) throw new Error(`draft ${id} is still ${d.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}

/** POSTs a file to a presigned upload as a browser form would. */
export async function uploadFile(upload: Pick<PresignedUpload, 'url' | 'fields' | 'contentType'>, bytes: Uint8Array, fileName: string): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  form.append('file', new Blob([bytes], { type: upload.contentType }), fileName);
  const res = await fetch(upload.url, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`upload of ${fileName} failed: ${res.status} ${await res.text()}`);
}

export const CONTENT_TYPES: Record<string, CreateDraftRequest['files']['document']['contentType']> = {
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.txt': 'text/plain',
  // Scans and photographed pages: their text is recognised by the OCR stage.
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/** The upload spec of a file on disk, typed by its name as a browser would. */
export async function fileSpec(path: string): Promise<{ spec: CreateDraftRequest['files']['document']; bytes: Uint8Array }> {
  const bytes = new Uint8Array(await readFile(path));
  const ext = /\.[a-z]+$/i.exec(path)?.[0]?.toLowerCase() ?? '';
  return { spec: { fileName: basename(path), contentType: CONTENT_TYPES[ext] ?? 'application/pdf', size: bytes.length }, bytes };
}
