import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  answerDue,
  ApplicationInput,
  register,
  StepRefused,
  takeStep,
  trackingView,
  urgency,
  viewOf,
  type Application,
  ApplicationStep,
  type StepActor,
} from '#shared/domain/application';
import { addWorkingDays, calendarCoverage } from '#shared/calendar';

const office = { sub: 'u-office', name: '信息中心王五', role: 'infocenter' };
const approver = { sub: 'u-approver', name: '审批人李四', role: 'approver' };
const applicantActor = { sub: 'public', name: '张三', role: 'public' };

const input = ApplicationInput.parse({
  body: 'yanhu',
  applicant: { type: '公民', name: '张三', idType: '居民身份证', idNumber: '110101199003071234', phone: '0359-1234567', email: 'zhang@example.cn' },
  request: { description: '2025年本区老旧小区改造项目的资金安排情况' },
  delivery: '电子邮件',
  format: '电子文档',
});

const fresh = (receivedOn = '2026-09-21'): Application =>
  register({ id: 'A01', trackingCode: 'ABCD-EFGH-JKMN-PQRS', input, channel: '互联网', receivedOn, by: applicantActor, at: `${receivedOn}T02:00:00.000Z` });

function step(
  app: Application,
  s: z.input<typeof ApplicationStep>,
  as: StepActor,
  today: string,
  who = as === 'approver' ? approver : as === 'applicant' ? applicantActor : office,
) {
  return takeStep(app, s, { who, as }, today, `${today}T03:00:00.000Z`).application;
}
const dueOn = (a: Application) => {
  const d = answerDue(a);
  if (d.kind !== 'due') throw new Error(`not due: ${d.kind}`);
  return d.dueOn;
};

describe('an application (依申请公开) on the statutory clock', () => {
  it('is due 20 working days after the day it counts as received, across 中秋 and 国庆 with their 调休 days', () => {
    const a = fresh('2026-09-21');
    expect(a.status).toBe('RECEIVED');
    expect(dueOn(a)).toBe('2026-10-26');
    expect(trackingView(a, '盐湖区人民政府').steps.map((s) => s.label)).toEqual(['登记']);
  });

  it('补正: one notice listing everything stops the clock; the completed application starts it again, whole (Art. 30)', () => {
    let a = step(fresh('2026-09-21'), { step: 'request-completion', items: ['所需信息的具体名称或文号', '申请人身份证明'] }, 'infocenter', '2026-09-22');
    expect(a.status).toBe('AWAITING_COMPLETION');
    expect(answerDue(a)).toEqual({ kind: 'stopped', since: '2026-09-22', reason: 'completion' });
    expect(trackingView(a, 'x').completion?.items).toEqual(['所需信息的具体名称或文号', '申请人身份证明']);
    a = step(a, { step: 'complete', supplement: '文件名称为《关于老旧小区改造资金安排的通知》' }, 'applicant', '2026-10-12');
    expect(a.status).toBe('RECEIVED');
    expect(a.clock.startOn).toBe('2026-10-12');
    expect(dueOn(a)).toBe(addWorkingDays('2026-10-12', 20));
    // A second notice is refused: Art. 30 asks for one, listing all.
    expect(() => step(a, { step: 'request-completion', items: ['再补一项'] }, 'infocenter', '2026-10-13')).toThrow(StepRefused);
  });

  it('补正 gives a reasonable period with its last day, and marks a notice later than 7 working days after receipt (Art. 30)', () => {
    const onTime = step(fresh('2026-09-21'), { step: 'request-completion', items: ['申请人身份证明'] }, 'infocenter', '2026-09-22');
    expect(onTime.completion).toMatchObject({ workingDays: 15, dueOn: addWorkingDays('2026-09-22', 15) });
    expect(onTime.completion?.late).toBeUndefined();
    expect(trackingView(onTime, 'x').steps.at(-1)?.text).toContain(`${addWorkingDays('2026-09-22', 15)} 前`);
    const late = step(fresh('2026-09-21'), { step: 'request-completion', items: ['申请人身份证明'], workingDays: 10 }, 'infocenter', addWorkingDays('2026-09-21', 8));
    expect(late.completion).toMatchObject({ workingDays: 10, late: true });
    expect(late.history.at(-1)?.note).toContain('第三十条');
  });

  it('in the last days the calendar covers, a deadline past its end is flagged for the office, never guessed', () => {
    const last = calendarCoverage.last;
    const a = fresh(`${last}-12-14`);
    expect(answerDue(a)).toMatchObject({ kind: 'uncovered', year: last + 1 });
    expect(urgency(a, `${last}-12-15`)).toBe('uncovered');
  });

  it('征求意见: a third party’s time (at most 15 working days) is not counted; the clock runs on after the reply (Art. 32)', () => {
    let a = fresh('2026-11-02');
    const before = dueOn(a);
    a = step(a, { step: 'consult', thirdParty: '某某建设有限公司' }, 'infocenter', '2026-11-05');
    expect(a.status).toBe('CONSULTING');
    const paused = answerDue(a);
    expect(paused).toEqual({ kind: 'paused', since: '2026-11-05', until: addWorkingDays('2026-11-05', 15), reason: 'consultation' });
    a = step(a, { step: 'consultation-reply', opinion: '不同意公开', note: '涉及商业秘密' }, 'infocenter', '2026-11-12');
    expect(a.status).toBe('RECEIVED');
    // 11-06..11-12 is five working days of pause.
    expect(dueOn(a)).toBe(addWorkingDays(before, 5));
  });

  it('a reply after the 15 working days pauses the clock for 15 only', () => {
    let a = step(fresh('2026-11-02'), { step: 'consult', thirdParty: '第三方' }, 'infocenter', '2026-11-03');
    const latest = addWorkingDays('2026-11-03', 15);
    a = step(a, { step: 'consultation-reply', opinion: '逾期未提出意见' }, 'infocenter', addWorkingDays(latest, 4));
    expect(dueOn(a)).toBe(addWorkingDays(addWorkingDays('2026-11-02', 20), 15));
  });

  it('an extension: at most 20 working days, once, by an approver, told to the applicant (Art. 33)', () => {
    let a = fresh('2026-09-21');
    expect(() => step(a, { step: 'extend', workingDays: 10, reason: '需要调取档案' }, 'infocenter', '2026-10-20')).toThrow(/cannot be taken by/);
    a = step(a, { step: 'extend', workingDays: 20, reason: '申请内容复杂，需要调取多年档案' }, 'approver', '2026-10-20');
    expect(dueOn(a)).toBe(addWorkingDays('2026-09-21', 40));
    expect(trackingView(a, 'x').steps.at(-1)?.text).toContain('延长 20 个工作日');
    expect(() => step(a, { step: 'extend', workingDays: 5, reason: '再延' }, 'approver', '2026-10-21')).toThrow(/once/);
  });

  it('an extension is refused once the deadline has passed', () => {
    expect(() => step(fresh('2026-09-21'), { step: 'extend', workingDays: 5, reason: '晚了' }, 'approver', '2026-10-27')).toThrow(/passed/);
  });

  it('办理意见 → 报批: nobody approves their own proposal; a returned proposal goes back to the office', () => {
    let a = step(fresh(), { step: 'propose', answer: { type: '予以公开', given: '资金安排表一份', documents: [] } }, 'infocenter', '2026-09-25');
    expect(a.status).toBe('PROPOSED');
    expect(() => step(a, { step: 'approve' }, 'approver', '2026-09-25', { ...approver, sub: office.sub })).toThrow(/own proposal/);
    const returned = step(a, { step: 'return', note: '请写明获取途径' }, 'approver', '2026-09-26');
    expect(returned.status).toBe('RECEIVED');
    expect(returned.proposal).toBeUndefined();
    a = step(a, { step: 'approve' }, 'approver', '2026-09-26');
    expect(a.status).toBe('DECIDED');
    expect(a.decision).toMatchObject({ answer: { type: '予以公开' }, proposedBy: office, approvedBy: approver, on: '2026-09-26' });
    a = step(a, { step: 'deliver', method: '电子邮件' }, 'infocenter', '2026-09-28');
    expect(answerDue(a)).toEqual({ kind: 'closed' });
    a = step(a, { step: 'archive' }, 'infocenter', '2026-09-29');
    expect(a.status).toBe('ARCHIVED');
    expect(a.history.map((e) => e.step)).toEqual(['register', 'propose', 'approve', 'deliver', 'archive']);
    expect(a.history.every((e) => e.by.sub && e.at)).toBe(true);
  });

  it('refuses a step its status does not allow, and a step of the wrong role', () => {
    const a = fresh();
    expect(() => step(a, { step: 'deliver', method: '邮寄' }, 'infocenter', '2026-09-22')).toThrow(StepRefused);
    expect(() => step(a, { step: 'propose', answer: { type: '不予处理', reason: 'petition', explanation: '属于信访事项' } }, 'applicant', '2026-09-22')).toThrow(
      /cannot be taken by/,
    );
  });

  it('lists what is due soon or overdue by working days, with the deadline visible to the office', () => {
    const a = fresh('2026-09-21');
    expect(urgency(a, '2026-09-22')).toBe('on-time');
    expect(urgency(a, '2026-10-20')).toBe('due-soon');
    expect(urgency(a, '2026-10-27')).toBe('overdue');
    const view = viewOf(a, '盐湖区人民政府', '2026-10-20');
    expect(view.nextSteps.map((s) => s.step)).toEqual(expect.arrayContaining(['request-completion', 'consult', 'propose', 'extend', 'withdraw', 'transfer']));
  });

  it('flags a deadline in a year the calendar does not cover, never guessing it', () => {
    const a = fresh('2026-09-21');
    const far = { ...a, clock: { ...a.clock, startOn: '2099-06-01' } };
    expect(answerDue(far)).toMatchObject({ kind: 'uncovered', year: 2099 });
  });

  it('validates an application field by field, in Chinese with an English gloss', () => {
    const bad = ApplicationInput.safeParse({ ...input, applicant: { ...input.applicant, idNumber: '12345' }, delivery: '邮寄' });
    expect(bad.success).toBe(false);
    const fields = bad.error!.issues.map((i) => i.path.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['applicant.idNumber', 'applicant.address']));
    const org = ApplicationInput.safeParse({ ...input, applicant: { ...input.applicant, type: '法人或其他组织', idType: '统一社会信用代码', idNumber: '91140800MA0K123456' } });
    expect(org.error?.issues.map((i) => i.path.join('.'))).toEqual(['applicant.organisationKind']);
  });

  it('shows the applicant no identity number and no internal note', () => {
    const a = step(fresh(), { step: 'consult', thirdParty: '某某公司', note: '内部：联系人赵六 13800000000' }, 'infocenter', '2026-09-22');
    const page = JSON.stringify(trackingView(a, '盐湖区人民政府'));
    expect(page).not.toContain(input.applicant.idNumber);
    expect(page).not.toContain('13800000000');
    expect(page).not.toContain('某某公司');
  });
});
