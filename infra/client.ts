import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { CreateDraftRequest } from '#shared/api';
import type { Status } from '#shared/domain/draft';
import type { Finding } from '#shared/domain/finding';
import type { PresignedUpload } from '#shared/uploads';
import type { DeterminationInput, HistoricalImportRequest, historicalView } from '#shared/historical';

export type HistoricalView = ReturnType<typeof historicalView>;

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

export interface DraftView {
  id: string;
  status: Status;
  statusLabel: string;
  version: number;
  revision: number;
  form: CreateDraftRequest['form'];
  submitter: { sub: string; name: string };
  files: Record<string, { fileName: string; size?: number; uploadedAt?: string; kind?: string; pages?: number; chars?: number; /** sha256 of the bytes pinned at extraction: what is checked, approved and published. */ sha256?: string } | undefined>;
  findings: Finding[];
  decision?: { outcome: string; reason?: string; by: { name: string } };
  publication?: { path: string; url: string; publishedAt: string };
  filing?: { filedAt: string; reviewDue: string };
  task?: { id: string; kind: 'approve' | 'file' | 'review'; enqueuedAt: string; claimedBy?: string; claimUntil?: string };
  infocenterFiling?: { at: string; by: { name: string; role: string }; note?: string };
  applications?: number;
  /** A withdrawal from the public site (WITHDRAWING, WITHDRAWN). */
  withdrawal?: { reason: string; at: string; by: { name: string; role: string } };
  /** 废止 / 修订 of a published 行政规范性文件. */
  validityChange?: { kind: 'repealed' | 'amended'; date: string; reason?: string; replacedBy?: { id: string; title: string; documentNumber?: string }; by: { name: string; role: string }; at: string };
  /** The older documents this one replaces. */
  replaces?: { id: string; title: string; documentNumber?: string; kind: 'repealed' | 'amended'; date: string }[];
  /** GET /drafts/{id}: the most recent lines, oldest first (other answers: the lines kept on the draft). */
  history: { at: string; event: string; actor: { name: string }; from?: string; to?: string; note?: string }[];
  /** How many history lines there are in all. */
  historyTotal?: number;
  /** GET /drafts/{id}: the position of the first line in `history`; pass it as `historyBefore` for the page before. */
  historyFirst?: number;
}

export interface CreatedDraft {
  id: string;
  status: Status;
  uploads: PresignedUpload[];
  preflight: Finding[];
}

export interface TaskSummary {
  taskId: string;
  draftId: string;
  version: number;
  title: string;
  draftingUnit: string;
  attribute?: string;
  waitingSince: string;
  kind?: 'approve' | 'file' | 'review';
  overdue?: boolean;
  reviewDue?: string;
  claimedBy?: string;
  claimUntil?: string;
  ownSubmission: boolean;
}

export interface Claim {
  claimToken: string | null;
  leaseUntil?: string;
  taskId?: string;
  draft?: DraftView;
  texts?: Record<string, string | undefined>;
}

export const TERMINAL: readonly Status[] = ['PUBLISHED', 'FILED', 'REJECTED'];

export class GongkaiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : {};
    if (!res.ok) throw new ApiError(res.status, parsed);
    return parsed as T;
  }

  /** With an idempotency key, a repeated call answers with the draft of the first (`replayed: true`). */
  createDraft(req: CreateDraftRequest, options: { idempotencyKey?: string } = {}): Promise<CreatedDraft & { replayed?: boolean }> {
    return this.call('POST', '/drafts', req, options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {});
  }
  renewUploads(id: string): Promise<{ id: string; status: Status; uploads: PresignedUpload[] }> {
    return this.call('POST', `/drafts/${encodeURIComponent(id)}/uploads`, {});
  }
  getDraft(id: string, options: { historyBefore?: number } = {}): Promise<DraftView> {
    const query = options.historyBefore !== undefined ? `?historyBefore=${options.historyBefore}` : '';
    return this.call('GET', `/drafts/${encodeURIComponent(id)}${query}`);
  }
  /** The text as it will be published, every masked span marked (originals for the drafter and approver only). */
  previewDraft(id: string): Promise<DraftPreview> {
    return this.call('GET', `/drafts/${encodeURIComponent(id)}/preview`);
  }
  /** Confirms, unmasks (with a reason) or adds (mask-more, with a reason) a masked span before approval. */
  decideMask(id: string, req: { part?: 'document' | 'interpretation'; spanId?: string; action: 'confirm' | 'unmask' | 'mask-more'; start?: number; end?: number; reason?: string }): Promise<{ spanId: string; action: string; span?: PreviewSpanView }> {
    return this.call('POST', `/drafts/${encodeURIComponent(id)}/masks`, req);
  }
  listRules(): Promise<{ rules: { id: string; title: { zh: string; en: string }; source: string; severity: string }[] }> {
    return this.call('GET', '/rules');
  }
  listTasks(options: { overdue?: boolean } = {}): Promise<{ tasks: TaskSummary[]; overdueDays?: number }> {
    return this.call('GET', options.overdue ? '/tasks?overdue=true' : '/tasks');
  }
  extendLease(draftId: string, req: { claimToken: string; leaseSeconds?: number }): Promise<{ taskId: string; leaseUntil: string; version: number }> {
    return this.call('POST', `/tasks/${encodeURIComponent(draftId)}/lease`, req);
  }
  reviseDraft(id: string, req: CreateDraftRequest): Promise<CreatedDraft & { revision: number }> {
    return this.call('POST', `/drafts/${encodeURIComponent(id)}/revisions`, req);
  }
  recordApplication(draftId: string, note?: string): Promise<{ recentApplications: number; threshold: number; reviewQueued: boolean; draft: DraftView }> {
    return this.call('POST', `/documents/${encodeURIComponent(draftId)}/applications`, note ? { note } : {});
  }
  /** Withdraws a published document from the public site (approver, infocenter); answers the draft, now WITHDRAWING. */
  withdraw(draftId: string, reason: string): Promise<DraftView> {
    return this.call('POST', `/documents/${encodeURIComponent(draftId)}/withdrawal`, { reason });
  }
  /** 废止 (repeal, with a reason) or 修订 (amend, naming the revised document) of a published 行政规范性文件 (approver). */
  changeValidity(draftId: string, change: { action: 'repeal' | 'amend'; date: string; reason?: string; replacedBy?: string }): Promise<DraftView> {
    return this.call('POST', `/documents/${encodeURIComponent(draftId)}/validity`, change);
  }
  claim(leaseSeconds?: number): Promise<Claim> {
    return this.call('POST', '/tasks/claim', leaseSeconds ? { leaseSeconds } : {});
  }
  decide(draftId: string, decision: { claimToken: string; version: number; outcome: 'approve' | 'reject' | 'return' | 'acknowledge' | 'keep' | 'convert'; reason?: string; publishAt?: string }): Promise<DraftView> {
    return this.call('POST', `/tasks/${encodeURIComponent(draftId)}/decision`, decision);
  }
  /** The API description (OpenAPI 3.1) the server generates from its schemas. */
  getOpenApi(): Promise<{ openapi: string; info: { version: string }; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>> }> {
    return this.call('GET', '/openapi.json');
  }
  importHistorical(req: HistoricalImportRequest): Promise<{ documents: (HistoricalView & { imported: boolean; upload?: PresignedUpload })[] }> {
    return this.call('POST', '/historical', req);
  }
  listHistorical(status: 'UNDETERMINED' | 'DETERMINED' = 'UNDETERMINED'): Promise<{ status: string; documents: (HistoricalView & { draft?: { id: string; status: Status; statusLabel: string } })[] }> {
    return this.call('GET', `/historical?status=${status}`);
  }
  /** The drafting unit's 公函: sets the attribute of a historical document, which becomes a draft. */
  determineHistorical(id: string, req: DeterminationInput): Promise<{ historical: HistoricalView; draftId: string; status: Status; uploads: PresignedUpload[]; preflight: Finding[] }> {
    return this.call('POST', `/historical/${encodeURIComponent(id)}/determination`, req);
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

export interface PreviewSpanView {
  id: string;
  part: 'document' | 'interpretation';
  kind: string;
  start: number;
  end: number;
  masked: string;
  state: 'masked' | 'unmasked';
  decision?: string;
  original?: string;
  sourceStart?: number;
  sourceEnd?: number;
}
export interface DraftPreview {
  id: string;
  status: Status;
  revision: number;
  parts: Partial<Record<'document' | 'interpretation', { text: string; spans: PreviewSpanView[] }>>;
}

/** POSTs a file to a presigned upload as a browser form would. */
export async function uploadFile(upload: PresignedUpload, bytes: Uint8Array, fileName: string): Promise<void> {
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
};

/** The upload spec of a file on disk, typed by its name as a browser would. */
export async function fileSpec(path: string): Promise<{ spec: CreateDraftRequest['files']['document']; bytes: Uint8Array }> {
  const bytes = new Uint8Array(await readFile(path));
  const ext = /\.[a-z]+$/i.exec(path)?.[0]?.toLowerCase() ?? '';
  return { spec: { fileName: basename(path), contentType: CONTENT_TYPES[ext] ?? 'application/pdf', size: bytes.length }, bytes };
}
