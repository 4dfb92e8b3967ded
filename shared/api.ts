import { bi } from '#shared/errors';
import * as z from 'zod';
import { now } from '#shared/clock';
import { DeclarationForm } from '#shared/domain/form';
import { DraftView, Outcome, Part, Status, TaskKind, UploadSpec } from '#shared/domain/draft';
import { Finding, Severity } from '#shared/domain/finding';

/**
 * Request bodies of the API, derived from the domain schemas (never written twice).
 */
export const CreateDraftRequest = z
  .object({
    form: DeclarationForm,
    files: z.object({ document: UploadSpec, interpretation: UploadSpec.optional() }, { error: bi('请说明要上传的文件', 'describe the files to upload') }),
  })
  .superRefine((req, ctx) => {
    const attached = req.form.interpretation?.mode === 'attached';
    if (attached && !req.files.interpretation) {
      ctx.addIssue({
        code: 'custom',
        path: ['files', 'interpretation'],
        message: bi('申报表声明随附解读材料，但未提供解读文件', 'the form attaches an interpretation but no interpretation file is described'),
      });
    }
    if (!attached && req.files.interpretation) {
      ctx.addIssue({
        code: 'custom',
        path: ['form', 'interpretation'],
        message: bi('提供了解读文件，请在申报表中选择“随附解读”', 'an interpretation file is given; set interpretation.mode to "attached"'),
      });
    }
  });
export type CreateDraftRequest = z.infer<typeof CreateDraftRequest>;

export const DecisionRequest = z
  .object({
    claimToken: z.string({ error: bi('缺少领取凭证，请先领取任务', 'claimToken missing: claim the task first') }).min(1),
    version: z.number({ error: bi('缺少文件版本号', 'version (the draft version you reviewed) is required') }).int(),
    outcome: z.enum(Outcome.options, {
      error: bi(
        '决定应为 approve、reject、return（审批），acknowledge（备案）或 keep、convert（复核）',
        'outcome must be approve, reject or return (approval), acknowledge (filing), keep or convert (review)',
      ),
    }),
    reason: z.string().trim().max(1000).optional(),
    /** Approve now, publish at this time (ISO 8601); 主动公开 drafts only. */
    publishAt: z.iso.datetime({ offset: true, error: bi('发布时间应为 ISO 8601 时间，如 2026-01-01T09:00:00+08:00', 'publishAt must be an ISO 8601 date-time') }).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.publishAt && Date.parse(d.publishAt) > now().getTime() + 366 * 24 * 3600_000) {
      ctx.addIssue({ code: 'custom', path: ['publishAt'], message: bi('定时发布时间不能晚于一年以后', 'publishAt is at most a year from now') });
    }
    if (d.publishAt && d.outcome !== 'approve') {
      ctx.addIssue({ code: 'custom', path: ['publishAt'], message: bi('只有批准可以定时发布', 'only an approval takes a publication time') });
    }
    if (d.outcome === 'reject' && !d.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: bi('退回必须写明理由', 'a rejection needs a reason') });
    }
    if (d.outcome === 'return' && !d.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: bi('退回修改必须写明修改意见', 'returning for revision needs a reason') });
    }
    if ((d.outcome === 'keep' || d.outcome === 'convert') && !d.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: bi('复核决定必须写明理由', 'a review outcome needs a reason') });
    }
  });
export type DecisionRequest = z.infer<typeof DecisionRequest>;

export const ClaimRequest = z.object({
  /** Lease length; defaults to TASKS.defaultLeaseSeconds (900). */
  leaseSeconds: z.number().int().min(60).max(43_200).optional(),
});

/** POST /tasks/{id}/lease: extend a live claim. */
export const ExtendLeaseRequest = z.object({
  claimToken: z.string({ error: bi('缺少领取凭证', 'claimToken missing') }).min(1),
  leaseSeconds: z.number().int().min(60).max(43_200).optional(),
});
export type ExtendLeaseRequest = z.infer<typeof ExtendLeaseRequest>;

/** POST /documents/{id}/withdrawal: withdraw a published document from the public site. */
export const WithdrawalRequest = z.object({
  reason: z
    .string({ error: bi('请写明撤回理由', 'a reason for the withdrawal is required') })
    .trim()
    .min(5, bi('撤回理由至少 5 个字，将显示在公开网站的撤回公告中', 'the reason needs at least 5 characters; it is shown on the public withdrawal notice'))
    .max(500, bi('撤回理由不能超过 500 字', 'at most 500 characters')),
});
export type WithdrawalRequest = z.infer<typeof WithdrawalRequest>;

/** POST /drafts/{id}/masks: confirm, unmask or add a masked span in the preview (PUB-4). */
export const MaskRequest = z
  .object({
    part: z.enum(['document', 'interpretation']).default('document'),
    spanId: z.string().trim().max(64).optional(),
    action: z.enum(['confirm', 'unmask', 'mask-more'], { error: bi('action 应为 confirm、unmask 或 mask-more', 'action must be confirm, unmask or mask-more') }),
    start: z.number().int().nonnegative().optional(),
    end: z.number().int().positive().optional(),
    reason: z.string().trim().max(500, bi('理由不能超过 500 字', 'at most 500 characters')).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.action !== 'mask-more' && !r.spanId) ctx.addIssue({ code: 'custom', path: ['spanId'], message: '请指明要确认或取消遮盖的片段（spanId）/ spanId is required' });
    if (r.action === 'mask-more' && (r.start === undefined || r.end === undefined || r.end <= r.start))
      ctx.addIssue({
        code: 'custom',
        path: ['start'],
        message: '请给出要增加遮盖的片段起止位置（start < end，按预览文字中的位置）/ give start < end of the span to mask (offsets in the preview text)',
      });
    if (r.action !== 'confirm' && (r.reason ?? '').length < 4)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: bi('取消遮盖或增加遮盖须写明理由（至少 4 个字），将记入流转记录', 'unmask and mask-more need a reason (at least 4 characters); it is recorded in the history'),
      });
  });
export type MaskRequest = z.infer<typeof MaskRequest>;

// --- Responses ----------------------------------------------------------------------------

/** A presigned upload form (POST multipart to `url` with `fields` first and the file last, as field "file"). */
export const PresignedUpload = z.object({
  part: Part,
  url: z.string(),
  fields: z.record(z.string(), z.string()),
  maxBytes: z.number().int(),
  contentType: z.string(),
  expiresAt: z.string(),
});
export type PresignedUpload = z.infer<typeof PresignedUpload>;

/** POST /drafts, POST /drafts/{id}/revisions. */
export const CreatedDraft = z.object({
  id: z.string(),
  status: Status,
  uploads: z.array(PresignedUpload),
  /** What the rulebook finds on the form alone, before any file is read. */
  preflight: z.array(Finding),
  /** A repeated POST /drafts with the same Idempotency-Key: the draft of the first. */
  replayed: z.literal(true).optional(),
  /** A revision: its number. */
  revision: z.number().int().optional(),
});

/** POST /drafts/{id}/uploads. */
export const RenewedUploads = z.object({ id: z.string(), status: Status, uploads: z.array(PresignedUpload) });

/** A masked span of the preview (PUB-4); the original and its source offsets only for those who may read the draft's text. */
export const PreviewSpanView = z.object({
  id: z.string(),
  part: Part,
  kind: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  masked: z.string(),
  state: z.enum(['masked', 'unmasked']),
  decision: z.enum(['confirm', 'unmask', 'mask-more']).optional(),
  original: z.string().optional(),
  sourceStart: z.number().int().optional(),
  sourceEnd: z.number().int().optional(),
});
export type PreviewSpanView = z.infer<typeof PreviewSpanView>;

/**
 * The pages of a part read by OCR (issue 14), for checking them against the scan: each page's
 * recognised text, the engine's confidence, and a short-lived link (5 minutes) to the page's
 * image as it was read (PNG), for those who may see the draft.
 */
export const PreviewOcrView = z.object({
  engine: z.string().optional(),
  threshold: z.number().optional(),
  pages: z.array(
    z.object({
      page: z.number().int(),
      confidence: z.number(),
      chars: z.number().int(),
      /** Below the threshold, or no text found: to check. */
      check: z.boolean(),
      text: z.string(),
      image: z.string().optional(),
    }),
  ),
});

const PreviewPart = z.object({ text: z.string(), spans: z.array(PreviewSpanView), ocr: PreviewOcrView.optional() });

/** GET /drafts/{id}/preview: the text as it will be published, every masked span marked. */
export const DraftPreview = z.object({
  id: z.string(),
  status: Status,
  revision: z.number().int(),
  parts: z.object({
    document: PreviewPart.optional(),
    interpretation: PreviewPart.optional(),
  }),
});
export type DraftPreview = z.infer<typeof DraftPreview>;

/** POST /drafts/{id}/masks. */
export const MaskResult = z.object({ spanId: z.string(), action: MaskRequest.shape.action, span: PreviewSpanView.optional() });

/** GET /rules: the rulebook. */
export const RuleList = z.object({
  rules: z.array(z.object({ id: z.string(), title: z.object({ zh: z.string(), en: z.string() }), source: z.string(), severity: Severity })),
});

/** One task of GET /tasks. */
export const TaskSummary = z.object({
  taskId: z.string(),
  kind: TaskKind,
  draftId: z.string(),
  version: z.number().int(),
  status: Status,
  title: z.string(),
  draftingUnit: z.string(),
  /** The id of the 公开主体 it is issued for (issue 16.2). */
  body: z.string(),
  attribute: DeclarationForm.shape.attribute,
  isPolicy: z.boolean(),
  waitingSince: z.string(),
  /** Waiting longer than TASK_OVERDUE_DAYS working days. */
  overdue: z.boolean(),
  /** Working days waited so far (absent when the calendar cannot count them). */
  waitingWorkingDays: z.number().int().optional(),
  /** The wait reaches a year the holiday calendar does not cover: overdue cannot be told. */
  overdueUnknown: z.literal(true).optional(),
  reviewDue: z.string().optional(),
  /** 主动公开: the day the Art. 26 clock runs out (20 working days from its 成文日期). */
  publishBy: z.string().optional(),
  /** Warnings the rulebook left on the draft. */
  warnings: z.number().int(),
  claimedBy: z.string().optional(),
  claimUntil: z.string().optional(),
  /** The caller submitted it (an approver never decides their own submission). */
  ownSubmission: z.boolean(),
});
export type TaskSummary = z.infer<typeof TaskSummary>;

/** GET /tasks. */
export const TaskList = z.object({ overdueDays: z.number(), tasks: z.array(TaskSummary) });

/** POST /tasks/claim: a task under a lease, or `claimToken: null` with a message when none is waiting. */
export const Claim = z.object({
  claimToken: z.string().nullable(),
  leaseUntil: z.string().optional(),
  taskId: z.string().optional(),
  draft: DraftView.optional(),
  /** The extracted texts, as far as TEXT_LIMIT. */
  texts: z.object({ document: z.string().optional(), interpretation: z.string().optional() }).optional(),
  message: z.object({ zh: z.string(), en: z.string() }).optional(),
});
export type Claim = z.infer<typeof Claim>;

/** POST /tasks/{id}/lease. */
export const LeaseExtended = z.object({ taskId: z.string(), leaseUntil: z.string(), version: z.number().int() });
