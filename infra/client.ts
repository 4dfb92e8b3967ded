import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { CreateDraftRequest } from '#shared/api';
import type { Status } from '#shared/domain/draft';
import type { Finding } from '#shared/domain/finding';
import type { PresignedUpload } from '#shared/uploads';

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
  files: Record<string, { fileName: string; size?: number; uploadedAt?: string; kind?: string; pages?: number; chars?: number } | undefined>;
  findings: Finding[];
  decision?: { outcome: string; reason?: string; by: { name: string } };
  publication?: { path: string; url: string; publishedAt: string };
  filing?: { filedAt: string; reviewDue: string };
  history: { at: string; event: string; actor: { name: string }; from?: string; to?: string; note?: string }[];
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

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : {};
    if (!res.ok) throw new ApiError(res.status, parsed);
    return parsed as T;
  }

  createDraft(req: CreateDraftRequest): Promise<CreatedDraft> {
    return this.call('POST', '/drafts', req);
  }
  renewUploads(id: string): Promise<{ id: string; status: Status; uploads: PresignedUpload[] }> {
    return this.call('POST', `/drafts/${encodeURIComponent(id)}/uploads`, {});
  }
  getDraft(id: string): Promise<DraftView> {
    return this.call('GET', `/drafts/${encodeURIComponent(id)}`);
  }
  listRules(): Promise<{ rules: { id: string; title: { zh: string; en: string }; source: string; severity: string }[] }> {
    return this.call('GET', '/rules');
  }
  listTasks(): Promise<{ tasks: TaskSummary[] }> {
    return this.call('GET', '/tasks');
  }
  claim(leaseSeconds?: number): Promise<Claim> {
    return this.call('POST', '/tasks/claim', leaseSeconds ? { leaseSeconds } : {});
  }
  decide(draftId: string, decision: { claimToken: string; version: number; outcome: 'approve' | 'reject'; reason?: string }): Promise<DraftView> {
    return this.call('POST', `/tasks/${encodeURIComponent(draftId)}/decision`, decision);
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
