import { describe, expect, it } from 'vitest';
import { DecisionRequest } from '#shared/api';
import { planDecision, reviewDueAfter, type Decider } from '#shared/domain/decision';
import { canTransition, Draft, type Status, type TaskKind } from '#shared/domain/draft';
import type { Finding } from '#shared/domain/finding';
import { tokenHash } from '#shared/domain/task';
import { ConflictError, ForbiddenError, ValidationError } from '#shared/errors';
import { validForm } from '../support/forms.ts';

/**
 * The decision on a task is a pure function of the draft, the decision, who decides and
 * when: tested here without any emulator. The handler only persists and sends what it plans.
 */
const AT = new Date('2026-03-10T02:00:00Z');
const TOKEN = 'claim-token-1';
const approver: Decider = { sub: 'u-li', name: '李审批', roles: ['approver'] };
const infocenter: Decider = { sub: 'u-info', name: '信息中心', roles: ['infocenter'] };

function draftOf(kind: TaskKind, over: { status?: Status; attribute?: '主动公开' | '依申请公开' | '不予公开'; claimBy?: Decider; until?: string } = {}): Draft {
  const status = over.status ?? (kind === 'review' ? 'REVIEWING' : 'PENDING_APPROVAL');
  const by = over.claimBy ?? (kind === 'file' ? infocenter : approver);
  const attribute = over.attribute ?? (kind === 'approve' ? '主动公开' : '依申请公开');
  return Draft.parse({
    id: '01M806JW014YVQSZSQB6PP6K3F',
    version: 7,
    revision: 1,
    status,
    form: validForm(attribute === '主动公开' ? {} : { attribute, nonPublicReason: '涉及内部管理事项', legalBasis: '《中华人民共和国政府信息公开条例》第十六条' }),
    submitter: { sub: 'u-drafter', name: '起草人', role: 'drafter' },
    files: { document: { key: 'uploads/x/r1/document', fileName: 'a.pdf', contentType: 'application/pdf', maxBytes: 100 } },
    findings: [],
    task: {
      id: `t-${kind}`,
      kind,
      seq: 1,
      enqueuedAt: '2026-03-09T00:00:00.000Z',
      claim: { by: { sub: by.sub, name: by.name, role: by.roles[0] }, until: over.until ?? '2026-03-10T03:00:00.000Z', tokenHash: tokenHash(TOKEN) },
    },
    ...(kind === 'review' ? { filing: { filedAt: '2025-03-01T00:00:00.000Z', reviewDue: '2026-03-01' } } : {}),
    history: [],
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-09T00:00:00.000Z',
    stageEnteredAt: '2026-03-09T00:00:00.000Z',
  });
}

const req = (outcome: DecisionRequest['outcome'], extra: Partial<DecisionRequest> = {}): DecisionRequest => ({
  claimToken: TOKEN,
  version: 7,
  outcome,
  reason: '理由充分',
  ...extra,
});

describe('planDecision: which outcome leads to which status, history line, messages and report facts', () => {
  const cases: [string, Draft, DecisionRequest, Decider, Status | 'unchanged', string, string[], string[]][] = [
    ['approve 主动公开', draftOf('approve'), req('approve'), approver, 'PUBLISHING', 'APPROVED', ['publish'], []],
    ['approve 主动公开 later', draftOf('approve'), req('approve', { publishAt: '2026-04-01T09:00:00+08:00' }), approver, 'SCHEDULED', 'APPROVED_SCHEDULED', [], []],
    ['approve 依申请公开', draftOf('approve', { attribute: '依申请公开' }), req('approve'), approver, 'FILED', 'APPROVED_FILED', [], ['filed']],
    ['reject', draftOf('approve'), req('reject'), approver, 'REJECTED', 'REJECTED_BY_APPROVER', [], []],
    ['return', draftOf('approve'), req('return'), approver, 'RETURNED', 'RETURNED_FOR_REVISION', [], []],
    ['acknowledge the filing', draftOf('file', { attribute: '不予公开' }), req('acknowledge'), infocenter, 'unchanged', 'INFOCENTER_FILED', [], []],
    ['keep on review', draftOf('review'), req('keep'), approver, 'FILED', 'REVIEW_KEPT', [], ['reviewed']],
    ['convert on review', draftOf('review'), req('convert'), approver, 'PUBLISHING', 'REVIEW_CONVERTED', ['publish'], ['reviewed', 'converted']],
  ];
  for (const [name, draft, decision, who, status, event, messages, facts] of cases) {
    it(name, () => {
      const plan = planDecision(draft, decision, who, AT);
      if (status === 'unchanged') expect(plan.write.kind).toBe('amend');
      else {
        expect(plan.write).toMatchObject({ kind: 'transition', to: status });
        expect(canTransition(draft.status, status)).toBe(true);
      }
      expect(plan.write.line).toMatchObject({ event, actor: { sub: who.sub, role: who.roles[0] } });
      expect(plan.messages.map((m) => m.queue)).toEqual(messages);
      expect(plan.messages.every((m) => m.body.draftId === draft.id)).toBe(true);
      expect(plan.facts).toEqual(facts);
      expect(plan.refusal).toBeUndefined();
      // The decision is recorded and the claim released (the acknowledgement queues the approval instead).
      if (plan.write.kind === 'transition') expect(plan.write.change).toMatchObject({ decision: { outcome: decision.outcome, at: AT.toISOString() }, task: { claim: undefined } });
    });
  }

  it('a kept or filed document is next reviewed a year on, the day counted in China time', () => {
    expect(reviewDueAfter(new Date('2026-03-10T17:00:00Z'))).toBe('2027-03-11'); // 01:00 on the 11th in Beijing
    expect(reviewDueAfter(new Date('2028-02-29T04:00:00Z'))).toBe('2029-02-28');
    const plan = planDecision(draftOf('review'), req('keep'), approver, AT);
    expect(plan.write.change.filing).toEqual({ filedAt: '2025-03-01T00:00:00.000Z', reviewDue: '2027-03-10' });
  });

  it('the acknowledgement of an ATTR-3 filing queues the approval task, now', () => {
    const plan = planDecision(draftOf('file', { attribute: '不予公开' }), req('acknowledge'), infocenter, AT);
    expect(plan.write.change.task).toMatchObject({ kind: 'approve', seq: 2, enqueuedAt: AT.toISOString() });
    expect(plan.write.change.infocenterFiling).toMatchObject({ at: AT.toISOString(), by: { sub: infocenter.sub } });
  });

  it('a conversion whose text contradicts 主动公开 keeps the finding, changes no status and is refused', () => {
    const finding: Finding = { ruleId: 'ATTR-1', severity: 'block', zh: '正文注明（此件不予公开）', en: 'the text says not public', source: '000' };
    const plan = planDecision(draftOf('review'), req('convert'), approver, AT, [finding]);
    expect(plan.write).toMatchObject({ kind: 'amend', change: { findings: [finding] }, line: { event: 'REVIEW_CONVERSION_BLOCKED' } });
    expect(plan.messages).toEqual([]);
    expect(plan.facts).toEqual([]);
    expect(plan.refusal).toBeInstanceOf(ConflictError);
  });

  it('refuses what may not be decided, before anything is written', () => {
    const d = draftOf('approve');
    expect(() => planDecision(d, req('approve'), { ...approver, sub: 'u-drafter' }, AT)).toThrow(ForbiddenError);
    expect(() => planDecision(d, req('approve'), { ...approver, roles: ['infocenter'] }, AT)).toThrow(ForbiddenError);
    expect(() => planDecision(d, req('keep'), approver, AT)).toThrow(ValidationError);
    expect(() => planDecision(d, req('approve', { claimToken: 'other' }), approver, AT)).toThrow(ConflictError);
    expect(() => planDecision(d, req('approve', { version: 6 }), approver, AT)).toThrow(ConflictError);
    expect(() => planDecision(draftOf('approve', { until: '2026-03-10T01:59:59.000Z' }), req('approve'), approver, AT)).toThrow(ConflictError);
    expect(() => planDecision(draftOf('approve', { claimBy: { ...approver, sub: 'u-wang' } }), req('approve'), approver, AT)).toThrow(ConflictError);
    expect(() => planDecision(draftOf('approve', { status: 'FILED' }), req('approve'), approver, AT)).toThrow(ConflictError);
    expect(() => planDecision(draftOf('approve', { attribute: '依申请公开' }), req('approve', { publishAt: '2026-04-01T09:00:00+08:00' }), approver, AT)).toThrow(ValidationError);
  });
});
