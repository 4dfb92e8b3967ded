import { describe, expect, it } from 'vitest';
import { evaluate, ruleTable, RULES, WORKFLOW_RULES } from '#shared/rules/index';
import { validForm } from '../support/forms.ts';

const ids = (form: ReturnType<typeof validForm>) => evaluate({ form }).map((f) => f.ruleId);

describe('ATTR-1: exactly one attribute (000 §二(三)1: 无明确公开属性建议…不予发文)', () => {
  it('passes a declared attribute', () => {
    for (const attribute of ['主动公开', '依申请公开', '不予公开'] as const) {
      const f = evaluate({ form: validForm({ attribute, nonPublicReason: '涉及第三方商业秘密，公开会损害其合法权益', legalBasis: '《中华人民共和国政府信息公开条例》第十五条' }) });
      expect(f.filter((x) => x.ruleId === 'ATTR-1')).toEqual([]);
    }
  });
  it('blocks a draft without one, saying 不予发文', () => {
    const { attribute: _omit, ...form } = validForm();
    const [f] = evaluate({ form });
    expect(f).toMatchObject({ ruleId: 'ATTR-1', severity: 'block' });
    expect(f!.zh).toContain('未明确公开属性，不予发文');
    expect(f!.source).toContain('000');
  });
});

describe('ATTR-2: a non-public attribute needs a reason and a legal basis (002: 没有明确依据和理由的，不得…)', () => {
  const good = { nonPublicReason: '涉及第三方商业秘密，公开会损害其合法权益', legalBasis: '《中华人民共和国政府信息公开条例》第十五条' };
  it('passes a concrete reason with a cited article', () => {
    expect(ids(validForm({ attribute: '依申请公开', ...good }))).toEqual([]);
    expect(ids(validForm({ attribute: '不予公开', nonPublicReason: '属于国家秘密，已定密为秘密级', legalBasis: '《中华人民共和国保守国家秘密法》第九条' }))).toEqual([]);
    expect(ids(validForm({ attribute: '不予公开', ...good, legalBasis: '条例第16条' }))).toEqual([]);
  });
  it('blocks a missing reason and a missing basis, each its own finding', () => {
    const f = evaluate({ form: validForm({ attribute: '不予公开' }) });
    expect(f.map((x) => x.ruleId)).toEqual(['ATTR-2', 'ATTR-2']);
    expect(f.map((x) => x.evidence![0]!.in)).toEqual(['form.nonPublicReason', 'form.legalBasis']);
  });
  it.each(['不宜公开', '内部文件', '涉及敏感', '内部文件，不宜公开。', '敏感 不便公开'])('blocks the vague reason "%s"', (reason) => {
    const f = evaluate({ form: validForm({ attribute: '依申请公开', nonPublicReason: reason, legalBasis: good.legalBasis }) });
    expect(f).toHaveLength(1);
    expect(f[0]!.zh).toContain('过于笼统');
  });
  it('blocks a basis that cites nothing, listing the grounds of Art. 14–16', () => {
    const f = evaluate({ form: validForm({ attribute: '依申请公开', nonPublicReason: good.nonPublicReason, legalBasis: '有关规定' }) });
    expect(f).toHaveLength(1);
    for (const art of ['第十四条', '第十五条', '第十六条']) expect(f[0]!.zh).toContain(art);
  });
  it('does not let state secrets (Art. 14) be disclosed on application', () => {
    const f = evaluate({ form: validForm({ attribute: '依申请公开', nonPublicReason: '属于国家秘密，已定密', legalBasis: '《中华人民共和国政府信息公开条例》第十四条' }) });
    expect(f.map((x) => x.ruleId)).toEqual(['ATTR-2']);
    expect(f[0]!.zh).toContain('不予公开');
  });
  it('does not apply to 主动公开', () => {
    expect(ids(validForm({ attribute: '主动公开' }))).toEqual([]);
  });
});

describe('INT-1: a policy document carries its interpretation (谁起草、谁解读)', () => {
  it('passes a policy document with an attached interpretation', () => {
    expect(ids(validForm({ isPolicy: true, interpretation: { mode: 'attached', format: '图解' } }))).toEqual([]);
  });
  it('blocks a policy document that says none is needed', () => {
    const f = evaluate({ form: validForm({ isPolicy: true, interpretation: { mode: 'not-needed', reason: '内容简单无需解读' } }) });
    expect(f.map((x) => x.ruleId)).toEqual(['INT-1']);
    expect(f[0]!.zh).toContain('同步');
  });
  it('blocks a document that says nothing about an interpretation', () => {
    const { interpretation: _omit, ...form } = validForm();
    expect(evaluate({ form }).map((x) => x.ruleId)).toEqual(['INT-1']);
    expect(evaluate({ form: { ...form, isPolicy: true } }).map((x) => x.ruleId)).toEqual(['INT-1']);
  });
  it('passes a non-policy document that states why none is needed', () => {
    expect(ids(validForm())).toEqual([]);
  });
});

describe('the rule table', () => {
  it('lists every rule with an id, a bilingual title, a source and a severity', () => {
    const table = ruleTable();
    // The check stage's rules, then the data of those the approval and site stages enforce.
    expect(table.map((r) => r.id)).toEqual([...RULES.map((r) => r.id), ...WORKFLOW_RULES.map((r) => r.id), 'FILE-1', 'FILE-2']);
    for (const r of table) {
      expect(r.title.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.title.en.length).toBeGreaterThan(5);
      expect(r.source.length).toBeGreaterThan(2);
      // 'info' rules (ATTR-3's filing, INT-4's format) record; they never block.
      expect(['block', 'warn', 'info']).toContain(r.severity);
    }
  });
  it('runs only the form rules for the preflight', () => {
    const { attribute: _omit, ...form } = validForm();
    expect(evaluate({ form }, 'form').map((f) => f.ruleId)).toEqual(['ATTR-1']);
  });
});

describe('the whole rulebook of DESIGN.md', () => {
  it('lists every rule once: the check stage runs ATTR-1..6, INT-1..4, CAT-1 and PUB-4; the workflow owns REV-* and PUB-1..3, 5', () => {
    const table = ruleTable().map((r) => r.id);
    expect(new Set(table).size).toBe(table.length);
    expect(RULES.map((r) => r.id)).toEqual(['ATTR-1', 'ATTR-2', 'ATTR-3', 'ATTR-4', 'ATTR-5', 'ATTR-6', 'INT-1', 'INT-2', 'INT-3', 'INT-4', 'CAT-1', 'PUB-4']);
    expect(WORKFLOW_RULES.map((r) => r.id).sort()).toEqual(['PUB-1', 'PUB-2', 'PUB-3', 'PUB-5', 'REV-1', 'REV-2']);
  });
  it("gives a finding its rule's severity, or the lower one the rule set (ATTR-4's document number is a warning)", () => {
    const f = evaluate({ form: validForm({ documentNumber: '运盐政办发〔2019〕60号' }), document: { text: '运盐政办发〔2020〕60号\n关于印发工作方案的通知\n（此件公开发布）' } });
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([
      ['ATTR-4', 'warn'],
      ['ATTR-4', 'warn'],
    ]);
    expect(RULES.find((r) => r.id === 'ATTR-4')!.severity).toBe('block');
  });
  it('keeps info rules from blocking', () => {
    for (const r of RULES.filter((x) => x.severity === 'info')) expect(['ATTR-3', 'INT-4']).toContain(r.id);
  });
});
