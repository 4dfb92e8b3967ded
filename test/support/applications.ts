import { Answer, ApplicationInput, register, takeStep, type Application } from '#shared/domain/application';
import type { Actor } from '#shared/domain/draft';

/**
 * Applications as the office handles them, built through the domain's own steps (register →
 * propose → approve), for the tests of the answer (答复书) and its PDF: one definition for
 * test/unit/answer-document.test.ts and test/unit/answer-pdf.test.ts.
 */

export const ID_NUMBER = '110101199003071234';
export const clerk: Actor = { sub: 'u-clerk', name: '李四', role: 'infocenter' };
export const approver: Actor = { sub: 'u-approver', name: '王五', role: 'approver' };

export interface Over {
  readonly name?: string;
  readonly description?: string;
}

/** A citizen's application as the form sends it. */
export const input = (over: Over = {}) =>
  ApplicationInput.parse({
    body: 'yanhu',
    applicant: { type: '公民', name: over.name ?? '张三', idType: '居民身份证', idNumber: ID_NUMBER, phone: '0359-1234567', email: 'zhang@example.cn' },
    request: { description: over.description ?? '2025年本区老旧小区改造项目的资金安排情况' },
    delivery: '电子邮件',
    format: '电子文档',
  });

/** The application registered on 2026-10-09 by the information centre. */
export const registered = (over: Over = {}): Application =>
  register({ id: 'app-1', trackingCode: 'YSQ-2026-0042', input: input(over), channel: '互联网', receivedOn: '2026-10-09', by: clerk, at: '2026-10-09T02:00:00Z' });

/** register → propose (the information centre) → approve (another person). */
export function decided(answer: unknown, over: Over = {}): Application {
  const proposed = takeStep(registered(over), { step: 'propose', answer: Answer.parse(answer) }, { who: clerk, as: 'infocenter' }, '2026-10-20', '2026-10-20T03:00:00Z');
  return takeStep(proposed.application, { step: 'approve' }, { who: approver, as: 'approver' }, '2026-10-26', '2026-10-26T03:00:00Z').application;
}
