import { z } from 'zod';
import { DeclarationForm } from '#shared/domain/form';
import { Finding } from '#shared/domain/finding';
import { InvalidTransitionError } from '#shared/errors';

/** The two files a draft can carry. */
export const PARTS = ['document', 'interpretation'] as const;
export const Part = z.enum(PARTS);
export type Part = z.infer<typeof Part>;
export const PART_LABELS: Record<Part, string> = { document: '文件正文', interpretation: '解读材料' };

/** Types a drafting unit may upload. The extract stage sniffs the bytes again. */
export const UPLOAD_TYPES = {
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'text/plain': '.txt',
} as const;
export const UploadContentType = z.enum(Object.keys(UPLOAD_TYPES) as [keyof typeof UPLOAD_TYPES, ...(keyof typeof UPLOAD_TYPES)[]], {
  error: '只接受 PDF、Word（.docx）或纯文本文件 / only PDF, Word (.docx) or plain text files are accepted',
});

/** What the client says about a file it is about to upload. */
export const UploadSpec = z.object({
  fileName: z.string().trim().min(1, '请提供文件名 / file name required').max(200),
  contentType: UploadContentType,
  size: z.number().int().positive('文件不能为空 / the file is empty'),
});
export type UploadSpec = z.infer<typeof UploadSpec>;

export const STATUSES = [
  'AWAITING_UPLOAD', // created, presigned uploads handed out
  'EXTRACTING', // all files uploaded, text being extracted
  'CHECKING', // text extracted, rulebook running
  'PENDING_APPROVAL', // passed the rulebook, an approval task is queued
  'PUBLISHING', // approved 主动公开, page being written
  'PUBLISHED', // on the public site
  'FILED', // approved 依申请公开 / 不予公开: recorded, never on the site, reviewed yearly
  'REJECTED', // blocked by a rule, an unreadable file, or an approver
] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

export const STATUS_LABELS: Record<Status, string> = {
  AWAITING_UPLOAD: '等待上传',
  EXTRACTING: '正在提取文字',
  CHECKING: '正在审查',
  PENDING_APPROVAL: '待审批',
  PUBLISHING: '正在发布',
  PUBLISHED: '已公开发布',
  FILED: '已归档（不主动公开）',
  REJECTED: '已退回',
};

/** The state machine: every status change in the system goes through `assertTransition`. */
const TRANSITIONS: Record<Status, readonly Status[]> = {
  AWAITING_UPLOAD: ['EXTRACTING'],
  EXTRACTING: ['CHECKING', 'REJECTED'],
  CHECKING: ['PENDING_APPROVAL', 'REJECTED'],
  PENDING_APPROVAL: ['PUBLISHING', 'FILED', 'REJECTED'],
  PUBLISHING: ['PUBLISHED'],
  PUBLISHED: [],
  FILED: [],
  REJECTED: [],
};

export const canTransition = (from: Status, to: Status): boolean => TRANSITIONS[from].includes(to);
export function assertTransition(from: Status, to: Status): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
export const isTerminal = (s: Status): boolean => TRANSITIONS[s].length === 0;

/** Stages a message drives; the reconciler re-enqueues drafts that sit in one too long. */
export const IN_FLIGHT: readonly Status[] = ['AWAITING_UPLOAD', 'EXTRACTING', 'CHECKING', 'PENDING_APPROVAL', 'PUBLISHING'];

export const Actor = z.object({
  sub: z.string(),
  name: z.string(),
  role: z.string(),
  unit: z.string().optional(),
});
export type Actor = z.infer<typeof Actor>;
export const SYSTEM: Actor = { sub: 'system', name: '系统', role: 'system' };

/** One line of the append-only history. */
export const HistoryEvent = z.object({
  at: z.string(),
  actor: Actor,
  event: z.string(),
  from: Status.optional(),
  to: Status.optional(),
  note: z.string().optional(),
});
export type HistoryEvent = z.infer<typeof HistoryEvent>;

export const StoredFile = z.object({
  key: z.string(),
  fileName: z.string(),
  contentType: UploadContentType,
  maxBytes: z.number(),
  /** Filled in by the extract stage. */
  size: z.number().optional(),
  /** When S3 stored the upload (not when extraction started). */
  uploadedAt: z.string().optional(),
  kind: z.enum(['pdf', 'docx', 'text']).optional(),
  pages: z.number().optional(),
  chars: z.number().optional(),
  rawTextKey: z.string().optional(),
  textKey: z.string().optional(),
});
export type StoredFile = z.infer<typeof StoredFile>;

export const Task = z.object({
  id: z.string(),
  kind: z.literal('approve'),
  /** Bumped whenever the task is (re-)enqueued; older messages for it are stale. */
  seq: z.number().int(),
  enqueuedAt: z.string(),
  claim: z.object({ by: Actor, until: z.string(), tokenHash: z.string() }).optional(),
});
export type Task = z.infer<typeof Task>;

export const Decision = z.object({
  outcome: z.enum(['approve', 'reject']),
  reason: z.string().optional(),
  by: Actor,
  at: z.string(),
});
export type Decision = z.infer<typeof Decision>;

export const Draft = z.object({
  id: z.string(),
  /** Optimistic lock: every write is conditional on it and increments it. */
  version: z.number().int(),
  /** Upload revision; a draft returned for revision gets new files under r2, r3… */
  revision: z.number().int(),
  status: Status,
  form: DeclarationForm,
  submitter: Actor,
  files: z.object({ document: StoredFile, interpretation: StoredFile.optional() }),
  findings: z.array(Finding),
  task: Task.optional(),
  decision: Decision.optional(),
  publication: z.object({ path: z.string(), url: z.string(), publishedAt: z.string() }).optional(),
  filing: z.object({ filedAt: z.string(), reviewDue: z.string() }).optional(),
  history: z.array(HistoryEvent),
  createdAt: z.string(),
  updatedAt: z.string(),
  stageEnteredAt: z.string(),
});
export type Draft = z.infer<typeof Draft>;

/** The view of a draft that the API returns. */
export const draftView = (d: Draft) => ({
  id: d.id,
  status: d.status,
  statusLabel: STATUS_LABELS[d.status],
  version: d.version,
  revision: d.revision,
  form: d.form,
  submitter: d.submitter,
  files: Object.fromEntries(
    Object.entries(d.files).map(([part, f]) => [part, f && { fileName: f.fileName, contentType: f.contentType, size: f.size, uploadedAt: f.uploadedAt, kind: f.kind, pages: f.pages, chars: f.chars }]),
  ),
  findings: d.findings,
  task: d.task && { id: d.task.id, claimedBy: d.task.claim?.by.name, claimUntil: d.task.claim?.until },
  decision: d.decision,
  publication: d.publication,
  filing: d.filing,
  history: d.history,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export const uploadKey = (id: string, revision: number, part: Part): string => `uploads/${id}/r${revision}/${part}`;

/** Parses an upload key back into its parts; undefined for keys Gongkai did not hand out. */
export function parseUploadKey(key: string): { id: string; revision: number; part: Part } | undefined {
  const m = /^uploads\/([0-9A-Z]{26})\/r(\d+)\/(document|interpretation)$/.exec(key);
  if (!m) return undefined;
  return { id: m[1]!, revision: Number(m[2]), part: m[3] as Part };
}

export const extractedKey = (id: string, revision: number, part: Part, variant: 'raw' | 'normalised'): string =>
  `extracted/${id}/r${revision}/${part}.${variant}.txt`;
