import { describe, expect, it } from 'vitest';
import { CreateDraftRequest } from '#shared/api';
import { DeclarationForm } from '#shared/domain/form';
import { issuesOf } from '#shared/http';
import { validForm } from '../support/forms.ts';

/** The optional fields the rulebook added to the declaration form (secrecyLevel, catalogue, validity). */
const doc = { fileName: 'a.pdf', contentType: 'application/pdf' as const, size: 1000 };
const issues = (form: unknown) => {
  const res = CreateDraftRequest.safeParse({ form, files: { document: doc } });
  return res.success ? [] : issuesOf(res.error);
};

describe("the rulebook's optional form fields", () => {
  it('are optional, and accepted when well-formed', () => {
    expect(issues(validForm())).toEqual([]);
    const full = { ...validForm(), secrecyLevel: 'none', catalogue: { name: '义务教育招生', audience: '全社会' }, validity: { from: '2022-07-01', until: '2027-06-30', years: 5 } };
    expect(issues(full)).toEqual([]);
    expect(DeclarationForm.parse(full).secrecyLevel).toBe('none');
  });

  it('reject a bad value with a Chinese message and an ASCII English gloss', () => {
    const found = issues({
      ...validForm(),
      secrecyLevel: '内部',
      catalogue: { name: 'x'.repeat(501) },
      validity: { from: '2027-01-01', until: '2022-01-01' },
    });
    expect(found.map((i) => i.field).sort()).toEqual(['form.catalogue.name', 'form.secrecyLevel', 'form.validity.until']);
    for (const i of found) {
      expect(i.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(i.en).toMatch(/^[\x20-\x7e]+$/);
    }
    expect(issues({ ...validForm(), validity: { from: '2022-01-01' } })[0]!.zh).toContain('有效期');
  });
});
