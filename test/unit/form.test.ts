import { describe, expect, it } from 'vitest';
import { CreateDraftRequest, DecisionRequest } from '#shared/api';
import { DeclarationForm, PILOT_DOMAINS } from '#shared/domain/form';
import { issuesOf } from '#shared/http';
import { validForm } from '../support/forms.ts';

const doc = { fileName: 'a.pdf', contentType: 'application/pdf' as const, size: 1000 };
const issues = (value: unknown) => {
  const res = CreateDraftRequest.safeParse(value);
  return res.success ? [] : issuesOf(res.error);
};

describe('the declaration form (申报表)', () => {
  it('accepts a complete declaration', () => {
    expect(issues({ form: validForm(), files: { document: doc } })).toEqual([]);
  });

  it('lists the 26 pilot domains of the notices', () => {
    expect(PILOT_DOMAINS).toHaveLength(26);
    expect(new Set(PILOT_DOMAINS).size).toBe(26);
    expect(PILOT_DOMAINS).toContain('国有土地上房屋征收');
    expect(DeclarationForm.safeParse(validForm({ domain: '城乡规划' })).success).toBe(true);
    expect(DeclarationForm.safeParse({ ...validForm(), domain: '旅游' }).success).toBe(false);
  });

  it('names each bad field with a Chinese message and an English gloss', () => {
    const found = issues({
      form: { ...validForm(), title: '', documentDate: '2021-02-30', isPolicy: 'yes', attribute: '公开', contact: { name: '赵', phone: 'abc' } },
      files: { document: doc },
    });
    const byField = Object.fromEntries(found.map((i) => [i.field, i]));
    expect(Object.keys(byField).sort()).toEqual(['form.attribute', 'form.contact.name', 'form.contact.phone', 'form.documentDate', 'form.isPolicy', 'form.title']);
    expect(byField['form.documentDate']!.zh).toContain('日期');
    expect(byField['form.attribute']!.zh).toContain('主动公开');
    for (const i of found) {
      expect(i.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(i.en).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('leaves the attribute and the interpretation to the rulebook when absent', () => {
    const { attribute: _a, interpretation: _i, ...rest } = validForm();
    expect(DeclarationForm.safeParse(rest).success).toBe(true);
  });

  it('requires an interpretation file exactly when the form attaches one', () => {
    const attached = validForm({ isPolicy: true, interpretation: { mode: 'attached', format: '文字' } });
    expect(issues({ form: attached, files: { document: doc } }).map((i) => i.field)).toEqual(['files.interpretation']);
    expect(issues({ form: attached, files: { document: doc, interpretation: { ...doc, fileName: 'b.pdf' } } })).toEqual([]);
    expect(issues({ form: validForm(), files: { document: doc, interpretation: doc } }).map((i) => i.field)).toEqual(['form.interpretation']);
  });

  it('accepts only PDF, Word and plain-text uploads', () => {
    const found = issues({ form: validForm(), files: { document: { ...doc, contentType: 'application/zip' } } });
    expect(found.map((i) => i.field)).toEqual(['files.document.contentType']);
    expect(found[0]!.zh).toContain('PDF');
  });
});

describe('a decision', () => {
  it('needs a reason to reject', () => {
    const res = DecisionRequest.safeParse({ claimToken: 't', version: 3, outcome: 'reject' });
    expect(res.success).toBe(false);
    expect(issuesOf(res.error!)[0]!.field).toBe('reason');
    expect(DecisionRequest.safeParse({ claimToken: 't', version: 3, outcome: 'approve' }).success).toBe(true);
  });
});
