import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '#shared/render/html';
import { unsafeTextIssues } from '#shared/domain/text-safety';
import { yearsFromToday } from '#shared/domain/form';
import { validForm } from '../support/forms.ts';
import { apiError } from '../support/api.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 10, item 7: bad text in fields never reaches pages. BEL, ESC, DEL, a bidi override
 * or an invisible character in any field is refused with a message naming the field; dates
 * outside 1949-10-01 … a year from today (0000-01-01, 9999-12-31) are refused, so no 索引号
 * carries year 0000; a publication time is at most a year ahead. Text stored before is
 * stripped of such characters when rendered.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.cleanup());

const files = { document: { fileName: 'notice.txt', contentType: 'text/plain' as const, size: 100 } };
const create = (form: Record<string, unknown>) => apiError(stack.drafter.createDraft({ form: validForm(form as never), files }));

describe('control, bidi and invisible characters', () => {
  for (const [name, c] of [
    ['BEL (U+0007)', '\u0007'],
    ['ESC (U+001B)', '\u001b'],
    ['DEL (U+007F)', '\u007f'],
    ['a C1 control (U+0085)', '\u0085'],
    ['RIGHT-TO-LEFT OVERRIDE (U+202E)', '\u202e'],
    ['a bidi isolate (U+2066)', '\u2066'],
    ['ZERO WIDTH SPACE (U+200B)', '\u200b'],
    ['a BOM (U+FEFF)', '\ufeff'],
  ] as const) {
    it(`${name} in the title is refused at POST /drafts with a field message`, async () => {
      const err = await create({ title: `关于印发${c}某某工作方案的通知` });
      expect(err.status).toBe(400);
      const issue = err.body.error?.issues?.find((i) => i.field === 'form.title');
      expect(issue?.zh).toMatch(/字段“form\.title”含有.*不予接受/);
      expect(issue?.en).toMatch(/form\.title holds .* not accepted/);
    });
  }

  it('a line break is refused in a one-line field (title) and allowed in a reason', () => {
    expect(unsafeTextIssues({ form: { title: '关于\n通知' } }).map((i) => i.field)).toEqual(['form.title']);
    expect(unsafeTextIssues({ form: { nonPublicReason: '第一行\n第二行\t附表' } })).toEqual([]);
    expect(unsafeTextIssues({ reason: '理由\u202e反向' }).map((i) => i.field)).toEqual(['reason']);
    expect(unsafeTextIssues({ documents: [{ title: 'ok' }, { title: 'x\u0007' }] }).map((i) => i.field)).toEqual(['documents.1.title']);
  });

  it('the same characters in every other field of every request are refused too (a decision reason)', async () => {
    const err = await apiError(stack.approver.decide('01HZZZZZZZZZZZZZZZZZZZZZZZ', { claimToken: 'x', version: 1, outcome: 'reject', reason: '不符合\u0007要求' }));
    expect(err.status).toBe(400);
    expect(err.body.error?.issues?.[0]?.field).toBe('reason');
  });

  it('text stored earlier never reaches a page with them: rendering strips them', () => {
    expect(escapeHtml('标题\u0007\u001b\u007f\u202e<b>')).toBe('标题&lt;b&gt;');
  });
});

describe('dates', () => {
  for (const date of ['0000-01-01', '9999-12-31', '1949-09-30', yearsFromToday(2)]) {
    it(`documentDate ${date} is refused`, async () => {
      const err = await create({ documentDate: date });
      expect(err.status).toBe(400);
      expect(err.body.error?.issues?.find((i) => i.field === 'form.documentDate')?.zh).toMatch(/日期(早于|晚于)/);
    });
  }

  it('1949-10-01 and today are accepted', async () => {
    for (const date of ['1949-10-01', yearsFromToday(0)]) {
      const created = await stack.drafter.createDraft({ form: validForm({ documentDate: date } as never), files });
      expect(created.id).toBeTruthy();
    }
  });

  it('a publication time more than a year ahead is refused', async () => {
    const at = new Date(Date.now() + 2 * 366 * 24 * 3600_000).toISOString();
    const err = await apiError(stack.approver.decide('01HZZZZZZZZZZZZZZZZZZZZZZZ', { claimToken: 'x', version: 1, outcome: 'approve', publishAt: at }));
    expect(err.status).toBe(400);
    expect(err.body.error?.issues?.find((i) => i.field === 'publishAt')?.zh).toMatch(/不能晚于一年以后/);
  });
});
