import { Replacement, ValidityChange } from '#shared/domain/validity';
import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).
import { DeclarationForm } from '#shared/domain/form';
import { Finding } from '#shared/domain/finding';
import { InvalidTransitionError, bi } from '#shared/errors';
import { publicationClock } from '#shared/rules/workflow';
import { chinaDate } from '#shared/calendar';
import { pageRanges } from '#shared/page-ranges';

/** The two files a draft can carry. */
export const PARTS = ['document', 'interpretation'] as const;
export const Part = /* @__PURE__ */ (() => z.enum(PARTS))();
export type Part = z.infer<typeof Part>;
export const PART_LABELS: Record<Part, string> = { document: '文件正文', interpretation: '解读材料' };

/** Types a drafting unit may upload. The extract stage sniffs the bytes again. */
export const UPLOAD_TYPES = {
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'text/plain': '.txt',
  // Scans and photographs of a page: read by the OCR stage (issue 14).
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/tiff': '.tif',
} as const;
export const UploadContentType = /* @__PURE__ */ (() =>
  z.enum(Object.keys(UPLOAD_TYPES) as [keyof typeof UPLOAD_TYPES, ...(keyof typeof UPLOAD_TYPES)[]], {
    error: bi('只接受 PDF、Word（.docx）、纯文本文件或扫描图片（PNG、JPEG、TIFF）', 'only PDF, Word (.docx), plain text files or scanned images (PNG, JPEG, TIFF) are accepted'),
  }))();

/** What the client says about a file it is about to upload. */
export const UploadSpec = /* @__PURE__ */ (() =>
  z.object({
    fileName: z.string().trim().min(1, bi('请提供文件名', 'file name required')).max(200),
    contentType: UploadContentType,
    size: z.number().int().positive(bi('文件不能为空', 'the file is empty')),
  }))();
export type UploadSpec = z.infer<typeof UploadSpec>;

export const STATUSES = [
  'AWAITING_UPLOAD', // created, presigned uploads handed out
  'EXTRACTING', // all files uploaded, text being extracted
  'CHECKING', // text extracted, rulebook running
  'PENDING_APPROVAL', // passed the rulebook, an approval task is queued
  'SCHEDULED', // approved 主动公开 with a publication time: published when it comes
  'PUBLISHING', // approved 主动公开, its pages being written
  'LISTING', // its pages written (publication.pagesWrittenAt): being entered in the indexes, the columns and the search
  'PUBLISHED', // on the public site
  'FILED', // approved 依申请公开 / 不予公开: recorded, never on the site, reviewed yearly
  'REVIEWING', // a filed document's re-review task is queued (REV-1 yearly, REV-2 on applications)
  'REJECTED', // blocked by a rule, an unreadable file, or an approver
  'RETURNED', // returned by an approver for revision: the drafting unit uploads a new revision
  'WITHDRAWING', // a published document being withdrawn: its pages become a notice, the indexes drop it
  'WITHDRAWN', // withdrawn from the public site, with a reason (the notice stays at its address)
] as const;
export const Status = /* @__PURE__ */ (() => z.enum(STATUSES))();
export type Status = z.infer<typeof Status>;

export const STATUS_LABELS: Record<Status, string> = {
  AWAITING_UPLOAD: '等待上传',
  EXTRACTING: '正在提取文字',
  CHECKING: '正在审查',
  PENDING_APPROVAL: '待审批',
  SCHEDULED: '已批准，定时发布',
  PUBLISHING: '正在发布',
  LISTING: '正在编入目录',
  PUBLISHED: '已公开发布',
  FILED: '已归档（不主动公开）',
  REVIEWING: '公开属性复核中',
  REJECTED: '已退回',
  RETURNED: '退回修改',
  WITHDRAWING: '正在撤回',
  WITHDRAWN: '已撤回',
};

/** The state machine: every status change in the system goes through `assertTransition`. */
const TRANSITIONS: Record<Status, readonly Status[]> = {
  AWAITING_UPLOAD: ['EXTRACTING'],
  EXTRACTING: ['CHECKING', 'REJECTED'],
  CHECKING: ['PENDING_APPROVAL', 'REJECTED'],
  PENDING_APPROVAL: ['PUBLISHING', 'SCHEDULED', 'FILED', 'REJECTED', 'RETURNED'],
  SCHEDULED: ['PUBLISHING'],
  // The document's own pages are written first, then the site consumer enters it in every index.
  PUBLISHING: ['LISTING'],
  LISTING: ['PUBLISHED'],
  // A published document may be withdrawn (with a reason); the site consumer completes it.
  PUBLISHED: ['WITHDRAWING'],
  WITHDRAWING: ['WITHDRAWN'],
  WITHDRAWN: [],
  // Re-review (REV-1/REV-2): kept (back to FILED, next review a year on) or converted to 主动公开 and published.
  FILED: ['REVIEWING'],
  REVIEWING: ['FILED', 'PUBLISHING'],
  REJECTED: [],
  // A new revision (r2, r3…) goes through the whole pipeline again; earlier files are kept.
  RETURNED: ['AWAITING_UPLOAD'],
};

export const canTransition = (from: Status, to: Status): boolean => TRANSITIONS[from].includes(to);
export function assertTransition(from: Status, to: Status): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
export const isTerminal = (s: Status): boolean => TRANSITIONS[s].length === 0;

/** Statuses in which a draft carries a live task (in the task inbox, shared/inbox.ts). */
export const TASK_STATUSES: readonly Status[] = ['PENDING_APPROVAL', 'REVIEWING'];

/** Stages a message drives; the reconciler re-enqueues drafts that sit in one too long. */
export const IN_FLIGHT: readonly Status[] = ['AWAITING_UPLOAD', 'EXTRACTING', 'CHECKING', 'PENDING_APPROVAL', 'PUBLISHING', 'LISTING', 'WITHDRAWING'];

export const Actor = /* @__PURE__ */ (() =>
  z.object({
    sub: z.string(),
    name: z.string(),
    role: z.string(),
    unit: z.string().optional(),
  }))();
export type Actor = z.infer<typeof Actor>;
export const SYSTEM: Actor = { sub: 'system', name: '系统', role: 'system' };

/** One line of the append-only history. */
export const HistoryEvent = /* @__PURE__ */ (() =>
  z.object({
    at: z.string(),
    actor: Actor,
    event: z.string(),
    from: Status.optional(),
    to: Status.optional(),
    note: z.string().optional(),
  }))();
export type HistoryEvent = z.infer<typeof HistoryEvent>;

/** A page whose text the OCR stage recognised: the engine's confidence (0..1) and the characters it gave. */
export const OcrPageRecord = /* @__PURE__ */ (() => z.object({ page: z.number().int().positive(), confidence: z.number(), chars: z.number().int() }))();

/**
 * Text recognised by OCR (issue 14). The extract stage names the pages to recognise
 * (`pending`, with the text-layer text of the others under `pagesKey`); the OCR stage reads
 * them, merges its text in page order into the file's text, and records which pages it read,
 * with the engine and its confidence.
 */
export const OcrRecord = /* @__PURE__ */ (() =>
  z.object({
    /** Pages (1-based) still to be recognised; absent once the OCR stage has read them. */
    pending: z.array(z.number().int().positive()).optional(),
    /** A PDF's text-layer text per page (JSON array of strings), kept for the merge. */
    pagesKey: z.string().optional(),
    engine: z.string().optional(),
    pages: z.array(OcrPageRecord).optional(),
    /** The confidence below which a page is listed for the drafter to check (FILE-2). */
    threshold: z.number().optional(),
  }))();
export type OcrRecord = z.infer<typeof OcrRecord>;

export const StoredFile = /* @__PURE__ */ (() =>
  z.object({
    key: z.string(),
    fileName: z.string(),
    contentType: UploadContentType,
    maxBytes: z.number(),
    /** Filled in by the extract stage. */
    size: z.number().optional(),
    /** When S3 stored the upload (not when extraction started). */
    uploadedAt: z.string().optional(),
    kind: z.enum(['pdf', 'docx', 'text', 'png', 'jpeg', 'tiff']).optional(),
    pages: z.number().optional(),
    chars: z.number().optional(),
    rawTextKey: z.string().optional(),
    textKey: z.string().optional(),
    /** Pages read (or to be read) by OCR. */
    ocr: OcrRecord.optional(),
    /** When the last upload form handed out for this file expires; an upload S3 stored later is refused. */
    uploadExpiresAt: z.string().optional(),
    /** An upload refused because S3 stored it after its form expired: the object so identified counts as not received. */
    refusedUpload: z.object({ etag: z.string().optional(), lastModified: z.string() }).optional(),
    /**
     * The bytes the extract stage read, pinned: copied to an immutable key the uploader cannot
     * write (no form is ever issued for it), with their sha256, and the upload's ETag and S3
     * VersionId (where the bucket is versioned). Every later stage reads the pinned copy and
     * checks its sha256; a later upload to the form's key changes nothing that is checked or published.
     */
    pinned: z
      .object({
        /** The immutable copy (absent when the upload was over the size limit and never read). */
        key: z.string().optional(),
        sha256: z.string(),
        size: z.number(),
        etag: z.string().optional(),
        versionId: z.string().optional(),
        /** The S3 VersionId of the copy, where the bucket is versioned. */
        copyVersionId: z.string().optional(),
        /** The media type sniffed from the bytes (never the declared one). */
        mediaType: z.string().optional(),
      })
      .optional(),
  }))();
export type StoredFile = z.infer<typeof StoredFile>;

/**
 * approve: a draft's approval; file: the filing (备案) of a non-public policy document with
 * the information centre before approval (ATTR-3); review: the re-review of a filed
 * non-public document (REV-1, REV-2).
 */
export const TaskKind = /* @__PURE__ */ (() => z.enum(['approve', 'file', 'review']))();
export type TaskKind = z.infer<typeof TaskKind>;

/** The role that claims and decides each kind of task. */
export const TASK_ROLE = { approve: 'approver', file: 'infocenter', review: 'approver' } as const satisfies Record<TaskKind, string>;

export const Task = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    kind: TaskKind,
    /** Bumped whenever the task is (re-)queued. */
    seq: z.number().int(),
    enqueuedAt: z.string(),
    claim: z
      .object({
        by: Actor,
        until: z.string(),
        tokenHash: z.string(),
        /** When the claim was taken: a lease lives at most MAX_LEASE_LIFE_MS from then. */
        since: z.string().optional(),
        /** Times of the extensions within the rate-limit window (at most a few, older ones dropped). */
        extensions: z.array(z.string()).optional(),
      })
      .optional(),
  }))();
export type Task = z.infer<typeof Task>;

/** Outcomes allowed for each task kind. */
export const OUTCOMES = { approve: ['approve', 'reject', 'return'], file: ['acknowledge'], review: ['keep', 'convert'] } as const satisfies Record<TaskKind, readonly string[]>;
export const Outcome = /* @__PURE__ */ (() => z.enum(['approve', 'reject', 'return', 'acknowledge', 'keep', 'convert']))();
export type Outcome = z.infer<typeof Outcome>;

export const Decision = /* @__PURE__ */ (() =>
  z.object({
    outcome: Outcome,
    reason: z.string().optional(),
    by: Actor,
    at: z.string(),
  }))();
export type Decision = z.infer<typeof Decision>;

export const Draft = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    /** Optimistic lock: every write is conditional on it and increments it. */
    version: z.number().int(),
    /** Upload revision; a draft returned for revision gets new files under r2, r3… */
    revision: z.number().int(),
    status: Status,
    form: DeclarationForm,
    submitter: Actor,
    /** The 公开主体 it is issued for (the body of its drafting unit); absent on drafts from before bodies: the top body's. */
    body: z.string().optional(),
    files: z.object({ document: StoredFile, interpretation: StoredFile.optional() }),
    findings: z.array(Finding),
    task: Task.optional(),
    decision: Decision.optional(),
    publication: z
      .object({
        path: z.string(),
        url: z.string(),
        publishedAt: z.string(),
        /** 索引号 (条例 Art. 12), assigned when the pages are first written. */
        indexNumber: z.string().optional(),
        /** The 公开主体 it was published for, as named then (its pages name it). */
        body: z.object({ id: z.string(), name: z.string() }).optional(),
        /** 内容概述 (条例 Art. 12): the start of the masked text. */
        summary: z.string().optional(),
        /** The original file offered for download (only when its text holds no personal data). */
        file: z.object({ key: z.string(), label: z.string(), size: z.number().optional() }).optional(),
        /** When the document's own pages and search entries were written: the site consumer may enter it. */
        pagesWrittenAt: z.string().optional(),
      })
      .optional(),
    /**
     * A 政府信息公开工作年度报告 going through approval (issue 13): the body and year of the report,
     * the version it was frozen at when submitted, and the sha256 of its text — the document this
     * draft's rulebook checked. Publication renders that report, after checking its text hashes the same.
     */
    annualReport: z.object({ body: z.string(), year: z.string(), version: z.number().int(), sha256: z.string() }).optional(),
    /** Withdrawal from the public site: who, when and why (the notice page shows the reason). */
    withdrawal: z.object({ reason: z.string(), at: z.string(), by: Actor }).optional(),
    /** 废止 or 修订 of a published 行政规范性文件 (an approver's action; its page and the column follow it). */
    validityChange: ValidityChange.optional(),
    /** The older documents this one replaces (废止 or 修订 naming it): its page links back to them. */
    replaces: z.array(Replacement).optional(),
    filing: z.object({ filedAt: z.string(), reviewDue: z.string() }).optional(),
    /** An approval's scheduled publication time (status SCHEDULED until it comes). */
    publishAt: z.string().optional(),
    /** The information centre's acknowledgement of the filing (ATTR-3), before approval. */
    infocenterFiling: z.object({ at: z.string(), by: Actor, note: z.string().optional() }).optional(),
    /** Applications for disclosure of a 依申请公开 document (REV-2): when each was recorded. */
    applications: z
      .array(z.object({ at: z.string(), by: Actor, note: z.string().optional(), /** The application (依申请公开) that named it. */ application: z.string().optional() }))
      .optional(),
    /** How many applications were ever recorded (`applications` keeps only the recent ones). */
    applicationsTotal: z.number().int().optional(),
    /** Reviewers' decisions on masked spans (PUB-4 preview): honoured at publication (shared/render/preview.ts). */
    maskDecisions: z
      .array(
        z.object({
          revision: z.number().int(),
          part: Part,
          spanId: z.string(),
          action: z.enum(['confirm', 'unmask', 'mask-more']),
          start: z.number().int().optional(),
          end: z.number().int().optional(),
          reason: z.string().optional(),
          by: Actor,
          at: z.string(),
        }),
      )
      .optional(),
    /**
     * The most recent history lines (at most HISTORY_INLINE_MAX); older lines are their own
     * items under the draft's key (shared/store.ts). The full history is read with readHistory.
     */
    history: z.array(HistoryEvent),
    /** How many history lines the draft has in all, inline and moved out (absent: all inline). */
    historyTotal: z.number().int().optional(),
    /**
     * Times the reconciler sent this revision back to extraction after it stalled there (a crash,
     * a killed worker): past EXTRACT_ATTEMPTS_MAX the draft is rejected with its reason, rather
     * than re-sent for ever.
     */
    extractAttempts: z.object({ revision: z.number().int(), count: z.number().int() }).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    stageEnteredAt: z.string(),
  }))();
export type Draft = z.infer<typeof Draft>;

/** Re-sends to extraction a stalled revision gets before it is rejected (issue 10.2). */
export const EXTRACT_ATTEMPTS_MAX = 3;

/** The view of a draft that the API returns; `history` defaults to the lines kept on the draft (the most recent). */
/** A file as the API shows it: what was received and pinned, never where it is stored. */
export const FileView = /* @__PURE__ */ (() =>
  z.object({
    fileName: z.string(),
    contentType: UploadContentType,
    size: z.number().optional(),
    uploadedAt: z.string().optional(),
    kind: StoredFile.shape.kind,
    pages: z.number().optional(),
    chars: z.number().optional(),
    /** sha256 of the bytes pinned at extraction: what is checked, approved and published. */
    sha256: z.string().optional(),
    /** Pages whose text was recognised by OCR (a scan, an image), each with the engine's confidence; `pending` while being read. */
    ocr: z
      .object({
        engine: z.string().optional(),
        pending: z.array(z.number().int()).optional(),
        pages: z.array(OcrPageRecord),
        threshold: z.number().optional(),
        /**
         * The same page lists as people read them (shared/page-ranges.ts: 1–3、5), for pages to
         * show as they are: `pages` (those recognised), `check` (no text found, or confidence
         * below `threshold`: to check against the original) and `pending` (still being read);
         * '' for none.
         */
        text: z.object({ pages: z.string(), check: z.string(), pending: z.string() }),
      })
      .optional(),
  }))();

/** A task as the API shows it: who holds the claim, never the claim's token. */
export const TaskView = /* @__PURE__ */ (() =>
  z.object({ id: z.string(), kind: TaskKind, enqueuedAt: z.string(), claimedBy: z.string().optional(), claimUntil: z.string().optional() }))();

/** A draft as the API answers it (GET /drafts/{id} and every route that returns a draft). */
export const DraftView = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    status: Status,
    statusLabel: z.string(),
    version: z.number().int(),
    revision: z.number().int(),
    form: Draft.shape.form,
    submitter: Actor,
    /** The 公开主体 it is issued for; absent: the platform's top body (drafts from before bodies). */
    body: Draft.shape.body,
    files: z.object({ document: FileView.optional(), interpretation: FileView.optional() }),
    findings: Draft.shape.findings,
    task: TaskView.optional(),
    decision: Draft.shape.decision,
    publication: Draft.shape.publication,
    withdrawal: Draft.shape.withdrawal,
    validityChange: Draft.shape.validityChange,
    replaces: Draft.shape.replaces,
    publishAt: Draft.shape.publishAt,
    filing: Draft.shape.filing,
    infocenterFiling: Draft.shape.infocenterFiling,
    /** Applications recorded for the document in all (REV-2). */
    applications: z.number().int(),
    /**
     * 主动公开: the Art. 26 clock (PUB-5) — published within 20 working days of its 成文日期; `due`
     * null when the calendar does not reach it (flagged, never guessed); taken once published.
     */
    art26: z
      .object({
        formedOn: z.string(),
        due: z.string().nullable(),
        uncoveredYear: z.number().optional(),
        publishedOn: z.string().optional(),
        workingDaysTaken: z.number().optional(),
        withinLimit: z.boolean().optional(),
      })
      .optional(),
    /** GET /drafts/{id}: the most recent lines, oldest first (other answers: the lines kept on the draft). */
    history: z.array(HistoryEvent),
    /** How many history lines there are in all. */
    historyTotal: z.number().int(),
    /** GET /drafts/{id}: the position of the first line in `history`; pass it as `historyBefore` for the page before. */
    historyFirst: z.number().int().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }))();
export type DraftView = z.infer<typeof DraftView>;

/**
 * Whether a page read by OCR is to be checked against the original: no text found, or a
 * confidence below the engine's threshold recorded with it. The one rule for the draft view's
 * `ocr.text.check` and the preview's per-page `check`.
 */
export const pageToCheck = (page: { readonly chars: number; readonly confidence: number }, threshold: number | undefined): boolean =>
  page.chars === 0 || page.confidence < (threshold ?? 0);

/** An OCR record's page lists, worded (FileView's `ocr.text`). */
const ocrText = (ocr: OcrRecord): { pages: string; check: string; pending: string } => {
  const pages = ocr.pages ?? [];
  return {
    pages: pageRanges(pages.map((p) => p.page)),
    check: pageRanges(pages.filter((p) => pageToCheck(p, ocr.threshold)).map((p) => p.page)),
    pending: pageRanges(ocr.pending ?? []),
  };
};

const fileView = (f: StoredFile): z.infer<typeof FileView> => ({
  fileName: f.fileName,
  contentType: f.contentType,
  size: f.size,
  uploadedAt: f.uploadedAt,
  kind: f.kind,
  pages: f.pages,
  chars: f.chars,
  sha256: f.pinned?.sha256 || undefined,
  ...(f.ocr
    ? {
        ocr: {
          ...(f.ocr.engine ? { engine: f.ocr.engine } : {}),
          ...(f.ocr.pending ? { pending: f.ocr.pending } : {}),
          pages: f.ocr.pages ?? [],
          ...(f.ocr.threshold !== undefined ? { threshold: f.ocr.threshold } : {}),
          text: ocrText(f.ocr),
        },
      }
    : {}),
});

export const draftView = (d: Draft, history: readonly HistoryEvent[] = d.history): DraftView => ({
  id: d.id,
  status: d.status,
  statusLabel: STATUS_LABELS[d.status],
  version: d.version,
  revision: d.revision,
  form: d.form,
  submitter: d.submitter,
  ...(d.body ? { body: d.body } : {}),
  files: { document: fileView(d.files.document), ...(d.files.interpretation ? { interpretation: fileView(d.files.interpretation) } : {}) },
  findings: d.findings,
  task: d.task && { id: d.task.id, kind: d.task.kind, enqueuedAt: d.task.enqueuedAt, claimedBy: d.task.claim?.by.name, claimUntil: d.task.claim?.until },
  decision: d.decision,
  publication: d.publication,
  withdrawal: d.withdrawal,
  validityChange: d.validityChange,
  replaces: d.replaces,
  publishAt: d.publishAt,
  filing: d.filing,
  infocenterFiling: d.infocenterFiling,
  applications: d.applicationsTotal ?? d.applications?.length ?? 0,
  ...(d.form.attribute === '主动公开' && d.form.documentDate
    ? { art26: publicationClock(d.form.documentDate, d.publication ? chinaDate(d.publication.publishedAt) : undefined) }
    : {}),
  history: [...history],
  historyTotal: d.historyTotal ?? d.history.length,
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

/** The immutable copy of the bytes the extract stage read (content-addressed: a concurrent delivery never overwrites it). */
export const pinnedKey = (id: string, revision: number, part: Part, sha256: string): string => `extracted/${id}/r${revision}/${part}.${sha256}.original`;

export const extractedKey = (id: string, revision: number, part: Part, variant: 'raw' | 'normalised'): string => `extracted/${id}/r${revision}/${part}.${variant}.txt`;
/** A PDF's text-layer text per page (JSON), kept while its other pages are read by OCR. */
export const pageTextsKey = (id: string, revision: number, part: Part): string => `extracted/${id}/r${revision}/${part}.pages.json`;
/** The text the OCR stage recognised on each page it read (JSON: [{ page, text }]), shown in the console beside the page's image. */
export const ocrPagesKey = (id: string, revision: number, part: Part): string => `extracted/${id}/r${revision}/${part}.ocr-pages.json`;
/** A page's image as the OCR stage read it (PNG), shown in the console beside its recognised text. */
export const pageImageKey = (id: string, revision: number, part: Part, page: number): string => `extracted/${id}/r${revision}/${part}.page-${page}.png`;
