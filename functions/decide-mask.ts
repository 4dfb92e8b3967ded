import { visibleDraft } from '#shared/access';
import { nowIso } from '#shared/clock';
import { STATUS_LABELS } from '#shared/domain/draft';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import { apiHandler, actorOf } from '#shared/http';
import { ROUTES } from '#shared/routes/drafts';
import { NEVER_UNMASK, spanIdOf } from '#shared/render/preview';
import { previewOf } from '#shared/published-text';
import { amend } from '#shared/store';

/** Decisions kept on one draft at most. */
const MAX_DECISIONS = 200;

const KIND_ZH: Record<string, string> = {
  'resident-id': '居民身份证号码',
  'bank-card': '银行卡号',
  mobile: '手机号码',
  landline: '固定电话号码',
  email: '电子邮箱地址',
  plate: '机动车号牌',
  name: '姓名',
  address: '住址',
  manual: '人工增加的遮盖',
};

/**
 * POST /drafts/{id}/masks: the drafter (own unit) or the approver confirms a masked span,
 * publishes it in clear (unmask, with a reason; never a resident ID or bank card: PUB-4), or
 * masks more (a span selected in the preview, with a reason). Only before approval
 * (PENDING_APPROVAL). The decision is stored on the draft with its history line in one
 * conditional write, and the publishing stage honours it (shared/render/preview.ts).
 */
export const handler = apiHandler(ROUTES.decideMask, async ({ id, who, body: req }) => {
  const draft = await visibleDraft(id, who);
  if (draft.status !== 'PENDING_APPROVAL') {
    throw new ConflictError({
      zh: `只能在审批前（待审批）确认或更正遮盖（该文件当前状态为“${STATUS_LABELS[draft.status]}”，${draft.status}）。`,
      en: `Masks can be confirmed or corrected only before approval (PENDING_APPROVAL); this draft is ${draft.status}.`,
    });
  }
  const preview = (await previewOf(draft))[req.part];
  if (!preview) throw new NotFoundError({ zh: `该文件没有${req.part === 'document' ? '文件正文' : '解读材料'}的文字。`, en: `The draft has no ${req.part} text.` });
  let spanId: string;
  let note: string;
  let source: { start: number; end: number } | undefined;
  if (req.action === 'mask-more') {
    // Offsets in the previewed (published) text, as the reviewer selects them; stored as
    // offsets in the extracted text. The span must lie in the text and overlap no mask.
    const spans = preview.spans;
    if (req.end! > preview.text.length || spans.some((s) => s.start < req.end! && req.start! < s.end)) {
      throw new ValidationError([
        {
          field: 'start',
          zh: '要增加遮盖的片段超出文字范围或与已遮盖的片段重叠，请在预览中重新选择。',
          en: 'The span to mask is outside the text or overlaps a masked span; choose it again in the preview.',
        },
      ]);
    }
    const toSource = (p: number) => p + spans.filter((s) => s.end <= p).reduce((n, s) => n + (s.sourceEnd - s.sourceStart) - (s.end - s.start), 0);
    const start = toSource(req.start!);
    const end = toSource(req.end!);
    spanId = spanIdOf(req.part, 'manual', start, end, String(draft.revision));
    source = { start, end };
    note = `增加遮盖 mask-more ${req.part} [${start}, ${end})：${req.reason}`;
  } else {
    const span = preview.spans.find((s) => s.id === req.spanId);
    if (!span) throw new NotFoundError({ zh: `预览中没有片段 ${req.spanId}，请刷新预览后重试。`, en: `No span ${req.spanId} in the preview; reload the preview and try again.` });
    if (req.action === 'unmask' && (NEVER_UNMASK as readonly string[]).includes(span.kind)) {
      throw new ValidationError([
        {
          field: 'action',
          zh: `${KIND_ZH[span.kind]}属于敏感个人信息，一律不得公开，不能取消遮盖（002 §二(五)，PUB-4）。如确属文件必需，请删除后重新报送。`,
          en: `A ${span.kind} is sensitive personal information and is never published; it cannot be unmasked (PUB-4). Remove it and submit a new revision if needed.`,
        },
      ]);
    }
    spanId = span.id;
    note = `${req.action === 'confirm' ? '确认遮盖 confirm' : '取消遮盖 unmask'} ${req.part} ${KIND_ZH[span.kind]}（${span.masked}）${req.reason ? `：${req.reason}` : ''}`;
  }
  // Bounded, like every list on the draft item (one item holds the draft).
  if ((draft.maskDecisions ?? []).length >= MAX_DECISIONS) {
    throw new ConflictError({
      zh: `该文件的遮盖决定已达 ${MAX_DECISIONS} 条上限，请删除文中不应公开的个人信息后重新报送。`,
      en: `This draft already holds ${MAX_DECISIONS} mask decisions; remove the personal data from the text and submit a new revision.`,
    });
  }
  const by = actorOf(who);
  const decision = {
    revision: draft.revision,
    part: req.part,
    spanId,
    action: req.action,
    ...(source ?? {}),
    ...(req.reason ? { reason: req.reason } : {}),
    by,
    at: nowIso(),
  };
  const next = await amend(draft, { maskDecisions: [...(draft.maskDecisions ?? []), decision] }, { actor: by, event: 'MASK_DECIDED', note });
  const after = (await previewOf(next))[req.part]!;
  return { spanId, action: req.action, span: after.spans.find((s) => s.id === spanId) };
});
