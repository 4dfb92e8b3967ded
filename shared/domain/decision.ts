import type { DecisionRequest } from '#shared/api';
import { addYears, chinaDay } from '#shared/clock';
import { OUTCOMES, TASK_ROLE, TASK_STATUSES, type Actor, type Draft, type Status } from '#shared/domain/draft';
import type { Finding } from '#shared/domain/finding';
import { nextTask, tokenHash } from '#shared/domain/task';
import { ConflictError, ForbiddenError, ValidationError } from '#shared/errors';

/**
 * What a decision on a task does, as a pure function of the draft, the decision, who decides
 * and when: the status it leads to (or none), the change to the draft and its history line,
 * the messages to send after the write, and the facts of the annual report it makes. The
 * handler (functions/decide-task.ts) loads, calls this, persists the write, then sends and
 * records; this module touches no store, queue or clock of its own.
 */

/** Who decides: the caller's identity and every role they hold. */
export interface Decider {
  readonly sub: string;
  readonly name: string;
  readonly unit?: string;
  readonly roles: readonly string[];
}

/** The annual report's facts a decision makes (shared/site/report.ts METRICS). */
export type DecisionFact = 'filed' | 'reviewed' | 'converted';

type Change = Partial<Omit<Draft, 'id' | 'version' | 'history' | 'createdAt' | 'updatedAt' | 'status' | 'stageEnteredAt'>>;
type Line = { readonly actor: Actor; readonly event: string; readonly note?: string };

export type DecisionWrite =
  /** A status change (conditional on the version read), with its history line. */
  | { readonly kind: 'transition'; readonly to: Status; readonly change: Change; readonly line: Line }
  /** The draft changes without a status change. */
  | { readonly kind: 'amend'; readonly change: Change; readonly line: Line };

export interface DecisionPlan {
  readonly write: DecisionWrite;
  /** Sent after the write commits. */
  readonly messages: readonly { readonly queue: 'publish'; readonly body: { readonly draftId: string } }[];
  /** Recorded after the write, at the decision's time. */
  readonly facts: readonly DecisionFact[];
  /** Persist the write (the finding is kept on the draft with its history line), then refuse with this error. */
  readonly refusal?: ConflictError;
}

const KIND_LABELS = { approve: '审批', file: '备案', review: '复核' } as const;

/** The review date a year after a decision (REV-1: re-reviewed every year). */
export const reviewDueAfter = (at: Date): string => addYears(chinaDay(at), 1);

/**
 * Plans one decision. Throws the caller's error (403, 409, 400) when the decision may not be
 * made; `conversionBlocking` are the findings a conversion to 主动公开 must not have (the
 * rulebook on the stored text, computed by the caller for a `convert`).
 */
export function planDecision(draft: Draft, req: DecisionRequest, who: Decider, at: Date, conversionBlocking: readonly Finding[] = []): DecisionPlan {
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

  const atIso = at.toISOString();
  const by: Actor = { sub: who.sub, name: who.name, role, ...(who.unit ? { unit: who.unit } : {}) };
  const decision = { outcome: req.outcome, by, at: atIso, ...(req.reason ? { reason: req.reason } : {}) };
  const change = { decision, task: { ...draft.task, claim: undefined } };
  const publish = [{ queue: 'publish' as const, body: { draftId: draft.id } }];
  const to = (status: Status, c: Change, line: Omit<Line, 'actor'>): DecisionWrite => ({ kind: 'transition', to: status, change: c, line: { actor: by, ...line } });

  switch (req.outcome) {
    case 'acknowledge': {
      // ATTR-3: the filing is recorded; the draft stays waiting, now in the approvers' inbox.
      const infocenterFiling = { at: atIso, by, ...(req.reason ? { note: req.reason } : {}) };
      const task = nextTask({ ...draft, infocenterFiling }, atIso);
      return {
        write: {
          kind: 'amend',
          change: { infocenterFiling, task },
          line: { actor: by, event: 'INFOCENTER_FILED', note: req.reason ?? '信息中心已备案 / filed with the information centre' },
        },
        messages: [],
        facts: [],
      };
    }
    case 'return':
      return { write: to('RETURNED', change, { event: 'RETURNED_FOR_REVISION', ...(req.reason ? { note: req.reason } : {}) }), messages: [], facts: [] };
    case 'reject':
      return { write: to('REJECTED', change, { event: 'REJECTED_BY_APPROVER', ...(req.reason ? { note: req.reason } : {}) }), messages: [], facts: [] };
    case 'keep': {
      const reviewDue = reviewDueAfter(at);
      return {
        write: to(
          'FILED',
          { ...change, filing: { filedAt: draft.filing?.filedAt ?? atIso, reviewDue } },
          { event: 'REVIEW_KEPT', note: `维持${draft.form.attribute ?? ''}：${req.reason ?? ''}；下次复核 ${reviewDue}` },
        ),
        messages: [],
        facts: ['reviewed'],
      };
    }
    case 'convert': {
      // The text was checked against the attribute it was filed under: before it is published,
      // its markers and secrecy marks are checked again against 主动公开 (issue 15.5). Blocking
      // findings stop it: they are kept on the draft with a history line (the task and its claim
      // stay, so the approver can keep the document instead) and the answer is 409.
      if (conversionBlocking.length) {
        const zh = conversionBlocking.map((f) => `${f.ruleId}：${f.zh}`).join('；');
        const en = conversionBlocking.map((f) => `${f.ruleId}: ${f.en}`).join('; ');
        return {
          write: {
            kind: 'amend',
            change: { findings: [...draft.findings.filter((f) => !conversionBlocking.some((b) => b.ruleId === f.ruleId && b.zh === f.zh)), ...conversionBlocking] },
            line: { actor: by, event: 'REVIEW_CONVERSION_BLOCKED', note: `转为主动公开未执行：${zh} / Conversion to proactive disclosure not made: ${en}` },
          },
          messages: [],
          facts: [],
          refusal: new ConflictError({
            zh: `不能转为主动公开：正文与“主动公开”相矛盾（${zh}）。请维持现有公开属性，或由起草单位修改文件后重新提交。`,
            en: `The document cannot be converted to proactive disclosure: its text contradicts it (${en}). Keep its attribute, or have the drafting unit correct the document and submit it again.`,
          }),
        };
      }
      // The attribute becomes 主动公开; the document is then published as any approved one.
      const form = { ...draft.form, attribute: '主动公开' as const };
      return {
        write: to('PUBLISHING', { ...change, form }, { event: 'REVIEW_CONVERTED', note: `公开属性由 ${draft.form.attribute ?? '未定'} 改为 主动公开：${req.reason ?? ''}` }),
        messages: publish,
        facts: ['reviewed', 'converted'],
      };
    }
    case 'approve': {
      if (draft.form.attribute === '主动公开' && req.publishAt && Date.parse(req.publishAt) > at.getTime()) {
        const publishAt = new Date(req.publishAt).toISOString();
        return {
          write: to('SCHEDULED', { ...change, publishAt }, { event: 'APPROVED_SCHEDULED', note: `定时发布 ${publishAt}${req.reason ? `；${req.reason}` : ''}` }),
          messages: [],
          facts: [],
        };
      }
      if (draft.form.attribute === '主动公开') {
        return { write: to('PUBLISHING', change, { event: 'APPROVED', ...(req.reason ? { note: req.reason } : {}) }), messages: publish, facts: [] };
      }
      if (req.publishAt) {
        throw new ValidationError([{ field: 'publishAt', zh: '不主动公开的文件不能定时发布。', en: 'A non-public document is not published, so it takes no publication time.' }]);
      }
      const reviewDue = reviewDueAfter(at);
      return {
        write: to('FILED', { ...change, filing: { filedAt: atIso, reviewDue } }, { event: 'APPROVED_FILED', note: `${draft.form.attribute}；下次复核 ${reviewDue}` }),
        messages: [],
        facts: ['filed'],
      };
    }
  }
}
