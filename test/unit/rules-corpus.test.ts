import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blocks, type Finding } from '#shared/domain/finding';
import { ATTRIBUTES, DOCUMENT_TYPES, INTERPRETATION_FORMATS, PILOT_DOMAINS, SECRECY_LEVELS, type DeclarationForm } from '#shared/domain/form';
import { evaluate, RULES, type RuleContext } from '#shared/rules/index';
import { SEVERITY_RANK } from '#shared/rules/types';
import { expectWellFormed, formOf, NOTICE_IDS, noticeDraft, noticeText, sampleInterpretation } from '../support/rule-drafts.ts';

/**
 * The five real notices as drafts, declared as they really are. 001 and 002 carry
 * （此件公开发布）, 003 and 004 （此件主动公开）; 000 carries no marker. They are public documents:
 * declared 主动公开 they must pass, declared otherwise they must not.
 */
const run = (ctx: RuleContext): Finding[] => {
  const f = evaluate(ctx);
  expectWellFormed(f, ctx);
  return f;
};
const summary = (f: readonly Finding[]) => f.map((x) => `${x.ruleId}:${x.severity}`);

describe('the five notices as drafts', () => {
  it.each(NOTICE_IDS)('%s declared 主动公开 passes without a blocking finding or a warning', (id) => {
    const f = run(noticeDraft(id));
    expect(blocks(f)).toBe(false);
    // Only records: 004's interpretation share (INT-3) and format (INT-4).
    expect(summary(f)).toEqual(id.startsWith('004') ? ['INT-3:info', 'INT-4:info'] : []);
  });

  it.each(NOTICE_IDS)('%s declared 不予公开 or 依申请公开 as it stands (no reason, no basis) is blocked', (id) => {
    for (const attribute of ['不予公开', '依申请公开'] as const) {
      const f = run(noticeDraft(id, { attribute }));
      expect(blocks(f)).toBe(true);
      expect(f.filter((x) => x.severity === 'block').map((x) => x.ruleId)).toEqual(id.startsWith('000') ? ['ATTR-2', 'ATTR-2'] : ['ATTR-2', 'ATTR-2', 'ATTR-4']);
    }
  });

  it.each(NOTICE_IDS.filter((id) => !id.startsWith('000')))('%s declared 不予公开 with a well-founded reason is still blocked by its own marker', (id) => {
    const f = run(
      noticeDraft(id, { attribute: '不予公开', nonPublicReason: '附件含各成员单位负责人内部分工，属于内部事务信息', legalBasis: '《中华人民共和国政府信息公开条例》第十六条' }),
    );
    expect(f.filter((x) => x.severity === 'block').map((x) => x.ruleId)).toEqual(['ATTR-4']);
  });

  it('000 (no marker) declared 不予公开 with a well-founded reason is not blocked: only the declaration can tell', () => {
    // 000 §二(三)1 puts the decision on the drafting unit's declaration and the approver;
    // the text carries nothing that contradicts it, so the approver sees it (ATTR-2 satisfied).
    const f = run(
      noticeDraft('000_70017f665202e428', {
        attribute: '不予公开',
        nonPublicReason: '附件含各责任单位内部分工，属于内部事务信息',
        legalBasis: '《中华人民共和国政府信息公开条例》第十六条',
      }),
    );
    expect(blocks(f)).toBe(false);
  });

  it('004 as a policy document: its interpretation passes INT-1..3, the format is recorded', () => {
    const f = run(noticeDraft('004_a31f9dc5403041b8'));
    expect(f.filter((x) => x.ruleId.startsWith('INT')).map((x) => `${x.ruleId}:${x.severity}`)).toEqual(['INT-3:info', 'INT-4:info']);
    // Without its interpretation the declaration blocks.
    expect(summary(run(noticeDraft('004_a31f9dc5403041b8', { interpretation: { mode: 'not-needed', reason: '内容简单无需解读' } })))).toContain('INT-1:block');
  });
});

describe('every rule, on any declaration and text', () => {
  const form = fc.record(
    {
      attribute: fc.constantFrom(...ATTRIBUTES),
      documentType: fc.constantFrom(...DOCUMENT_TYPES),
      isPolicy: fc.boolean(),
      secrecyLevel: fc.constantFrom(...SECRECY_LEVELS),
      domain: fc.constantFrom(...PILOT_DOMAINS),
      nonPublicReason: fc.constantFrom('不宜公开', '涉及第三方商业秘密，公开会损害其合法权益', '属于国家秘密，已定密为秘密级', ''),
      legalBasis: fc.constantFrom('条例第十六条', '《中华人民共和国保守国家秘密法》第九条', '《中华人民共和国政府信息公开条例》第二十条', '有关规定', ''),
      documentNumber: fc.constantFrom('运盐政办发〔2020〕60号', '古政办规〔2022〕1号', '第60号', ''),
      interpretation: fc.oneof(
        fc.constantFrom(...INTERPRETATION_FORMATS).map((format) => ({ mode: 'attached' as const, format })),
        fc.constant({ mode: 'not-needed' as const, reason: '印发工作方案，无需解读' }),
      ),
    },
    { requiredKeys: ['documentType', 'isPolicy'] },
  );
  const text = fc.oneof(
    fc.constantFrom(...NOTICE_IDS).map(noticeText),
    fc.string({ maxLength: 200 }),
    fc.constantFrom(...NOTICE_IDS).chain((id) => fc.nat(noticeText(id).length).map((n) => noticeText(id).slice(n, n + 300))),
  );

  it('never throws, gives well-formed findings, and no finding is worse than its rule (info rules never block)', () => {
    fc.assert(
      fc.property(form, fc.option(text, { nil: undefined }), fc.option(fc.oneof(text, fc.constant(sampleInterpretation())), { nil: undefined }), (over, doc, interp) => {
        const ctx: RuleContext = {
          form: formOf(over as Partial<DeclarationForm>),
          ...(doc !== undefined ? { document: { text: doc } } : {}),
          ...(interp !== undefined ? { interpretation: { text: interp } } : {}),
        };
        const f = run(ctx);
        for (const x of f) {
          const rule = RULES.find((r) => r.id === x.ruleId)!;
          expect(SEVERITY_RANK[x.severity]).toBeLessThanOrEqual(SEVERITY_RANK[rule.severity]);
          expect(x.source).toBe(rule.source);
        }
        // The preflight is the form rules' findings that need no text.
        const pre = evaluate({ form: ctx.form }, 'form');
        for (const x of pre) expect(RULES.find((r) => r.id === x.ruleId)!.needs).toBe('form');
      }),
      { numRuns: 150 },
    );
  });
});
