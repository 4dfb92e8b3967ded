import { now } from '#shared/clock';
import { draftView, OUTCOMES, TASK_ROLE, TASK_STATUSES, type Draft } from '#shared/domain/draft';
import { ConflictError, ForbiddenError, ValidationError } from '#shared/errors';
import { apiHandler, actorOf } from '#shared/http';
import { ROUTES } from '#shared/routes';
import { ruleContextOf } from '#shared/rule-context';
import { sendMessage } from '#shared/messages';
import { conversionFindings } from '#shared/rules/index';
import { recordFact } from '#shared/site/report';
import { amend, getDraft, transition } from '#shared/store';
import { nextTask, tokenHash } from '#shared/tasks';

const KIND_LABELS = { approve: '审批', file: '备案', review: '复核' } as const;

const addYears = (d: Date, years: number) => {
  const out = new Date(d);
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
};

/**
 * POST /tasks/{id}/decision (id = draft id): decide a claimed task — approve (now or at
 * `publishAt`), reject or return a draft; acknowledge its ATTR-3 filing (information
 * centre); keep or convert (to 主动公开) a re-reviewed document. The outcomes allowed
 * depend on the task's kind. Needs the live claim (token and lease) and the version the
 * approver reviewed; of two approvers deciding at once exactly one write lands and the
 * other gets 409.
 */
export const handler = apiHandler(ROUTES.decideTask, async ({ id, who, body: req }) => {
  const draft = await getDraft(id);
  const at = now();

  if (draft.submitter.sub === who.sub) {
    throw new ForbiddenError({ zh: '审批人不能审批本人提交的文件。', en: 'An approver cannot decide on their own submission.' });
  }
  if (!draft.task || !TASK_STATUSES.includes(draft.status)) {
    throw new ConflictError({ zh: `该文件当前状态为 ${draft.status}，没有待决定的任务。`, en: `The draft is ${draft.status}, with no task waiting for a decision.` });
  }
  const role = TASK_ROLE[draft.task.kind];
  if (!who.roles.includes(role)) {
    throw new ForbiddenError({ zh: `该任务只能由 ${role} 角色决定。`, en: `Only the ${role} role decides this task.` });
  }
  const allowed: readonly string[] = OUTCOMES[draft.task.kind];
  if (!allowed.includes(req.outcome)) {
    throw new ValidationError([
      {
        field: 'outcome',
        zh: `该任务（${KIND_LABELS[draft.task.kind]}）的决定只能是：${allowed.join('、')}。`,
        en: `A ${draft.task.kind} task's outcome must be one of: ${allowed.join(', ')}.`,
      },
    ]);
  }
  const claim = draft.task.claim;
  if (!claim || claim.by.sub !== who.sub || claim.tokenHash !== tokenHash(req.claimToken) || Date.parse(claim.until) <= at.getTime()) {
    throw new ConflictError({
      zh: '您没有该任务的有效领取（可能已超时或被他人领取），请重新领取后再审批。',
      en: 'You do not hold a live claim on this task (it may have expired or been claimed by someone else); claim it again.',
    });
  }
  if (req.version !== draft.version) {
    throw new ConflictError({ zh: '文件在您审阅后已有变化，请刷新后重新审阅。', en: 'The draft changed since you reviewed it; reload and review again.' });
  }

  const by = actorOf(who, role);
  const decision = { outcome: req.outcome, by, at: at.toISOString(), ...(req.reason ? { reason: req.reason } : {}) };
  const change = { decision, task: { ...draft.task, claim: undefined } };
  let next: Draft;
  if (req.outcome === 'acknowledge') {
    // ATTR-3: the filing is recorded; the draft stays waiting, now in the approvers' inbox.
    const infocenterFiling = { at: at.toISOString(), by, ...(req.reason ? { note: req.reason } : {}) };
    const task = nextTask({ ...draft, infocenterFiling });
    next = await amend(draft, { infocenterFiling, task }, { actor: by, event: 'INFOCENTER_FILED', note: req.reason ?? '信息中心已备案 / filed with the information centre' });
  } else if (req.outcome === 'return') {
    next = await transition(draft, 'RETURNED', change, { actor: by, event: 'RETURNED_FOR_REVISION', note: req.reason });
  } else if (req.outcome === 'reject') {
    next = await transition(draft, 'REJECTED', change, { actor: by, event: 'REJECTED_BY_APPROVER', note: req.reason });
  } else if (req.outcome === 'keep') {
    const reviewDue = addYears(at, 1).toISOString().slice(0, 10);
    next = await transition(
      draft,
      'FILED',
      { ...change, filing: { filedAt: draft.filing?.filedAt ?? at.toISOString(), reviewDue } },
      { actor: by, event: 'REVIEW_KEPT', note: `维持${draft.form.attribute ?? ''}：${req.reason ?? ''}；下次复核 ${reviewDue}` },
    );
  } else if (req.outcome === 'convert') {
    // The text was checked against the attribute it was filed under: before it is published,
    // its markers and secrecy marks are checked again against 主动公开 (issue 15.5).
    await refuseBlockedConversion(draft, by);
    // The attribute becomes 主动公开; the document is then published as any approved one.
    const form = { ...draft.form, attribute: '主动公开' as const };
    next = await transition(
      draft,
      'PUBLISHING',
      { ...change, form },
      { actor: by, event: 'REVIEW_CONVERTED', note: `公开属性由 ${draft.form.attribute ?? '未定'} 改为 主动公开：${req.reason ?? ''}` },
    );
    await sendMessage('publish', { draftId: next.id });
  } else if (draft.form.attribute === '主动公开' && req.publishAt && Date.parse(req.publishAt) > at.getTime()) {
    const publishAt = new Date(req.publishAt).toISOString();
    next = await transition(draft, 'SCHEDULED', { ...change, publishAt }, { actor: by, event: 'APPROVED_SCHEDULED', note: `定时发布 ${publishAt}${req.reason ? `；${req.reason}` : ''}` });
  } else if (draft.form.attribute === '主动公开') {
    next = await transition(draft, 'PUBLISHING', change, { actor: by, event: 'APPROVED', note: req.reason });
    await sendMessage('publish', { draftId: next.id });
  } else {
    if (req.publishAt) {
      throw new ValidationError([{ field: 'publishAt', zh: '不主动公开的文件不能定时发布。', en: 'A non-public document is not published, so it takes no publication time.' }]);
    }
    const reviewDue = addYears(at, 1).toISOString().slice(0, 10);
    next = await transition(
      draft,
      'FILED',
      { ...change, filing: { filedAt: at.toISOString(), reviewDue } },
      { actor: by, event: 'APPROVED_FILED', note: `${draft.form.attribute}；下次复核 ${reviewDue}` },
    );
  }
  // The annual report's counts (one fact per document and event, so a retry counts once).
  const when = at.toISOString();
  if (req.outcome === 'keep' || req.outcome === 'convert') await recordFact('reviewed', draft.id, when);
  if (req.outcome === 'convert') await recordFact('converted', draft.id, when);
  if (next.status === 'FILED' && req.outcome === 'approve') await recordFact('filed', draft.id, when);
  // The task left the inbox in the same write (a decided draft has no inbox entry).
  return draftView(next);
});

/**
 * Runs the rules a conversion to 主动公开 must pass on the stored text. Blocking findings stop
 * it: they are added to the draft with a history line (the task and its claim stay, so the
 * approver can keep the document instead), and the answer is 409 naming each finding.
 */
async function refuseBlockedConversion(draft: Draft, by: Draft['history'][number]['actor']): Promise<void> {
  const blocking = conversionFindings(await ruleContextOf(draft));
  if (blocking.length === 0) return;
  const zh = blocking.map((f) => `${f.ruleId}：${f.zh}`).join('；');
  const en = blocking.map((f) => `${f.ruleId}: ${f.en}`).join('; ');
  await amend(draft, { findings: [...draft.findings.filter((f) => !blocking.some((b) => b.ruleId === f.ruleId && b.zh === f.zh)), ...blocking] }, {
    actor: by,
    event: 'REVIEW_CONVERSION_BLOCKED',
    note: `转为主动公开未执行：${zh} / Conversion to proactive disclosure not made: ${en}`,
  });
  throw new ConflictError({
    zh: `不能转为主动公开：正文与“主动公开”相矛盾（${zh}）。请维持现有公开属性，或由起草单位修改文件后重新提交。`,
    en: `The document cannot be converted to proactive disclosure: its text contradicts it (${en}). Keep its attribute, or have the drafting unit correct the document and submit it again.`,
  });
}
