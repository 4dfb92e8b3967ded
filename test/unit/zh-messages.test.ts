import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ClaimRequest, CreateDraftRequest, DecisionRequest, ExtendLeaseRequest, MaskRequest, WithdrawalRequest } from '#shared/api';
import { DeterminationRequest, HistoricalImportRequest } from '#shared/historical';
import { issuesOf } from '#shared/http';

/**
 * Issue 10, item 8: every message a user sees has a Chinese text. A check written without a
 * message of its own gets zod's English; the edge gives it a Chinese text naming the field.
 */
const HAN = /[\u4e00-\u9fff]/;
const ZOD_ENGLISH = /\b(Invalid|Expected|Required|received|Too (small|big)|Unrecognized|must (be|have|contain))\b/;

const cases: [string, z.ZodType, unknown][] = [
  ['create: nothing', CreateDraftRequest, {}],
  ['create: wrong types everywhere', CreateDraftRequest, { form: { title: 5, attribute: 3, documentDate: true }, files: { document: { fileName: 1, size: 'big' } } }],
  ['create: unknown keys', CreateDraftRequest, { form: { title: '关于x的通知', zzz: 1 }, files: {}, extra: true }],
  ['decision: nothing', DecisionRequest, {}],
  ['decision: wrong types', DecisionRequest, { claimToken: 1, version: 'v', outcome: 'approve', reason: 3, publishAt: 5 }],
  ['decision: reason too long', DecisionRequest, { claimToken: 'x', version: 1, outcome: 'reject', reason: '长'.repeat(5000) }],
  ['claim: lease not a number', ClaimRequest, { leaseSeconds: 'long' }],
  ['claim: lease negative', ClaimRequest, { leaseSeconds: -5 }],
  ['lease: nothing', ExtendLeaseRequest, {}],
  ['withdrawal: nothing', WithdrawalRequest, {}],
  ['mask: wrong types', MaskRequest, { spanId: 5, start: 'a', end: null, action: 'zzz' }],
  ['historical import: wrong', HistoricalImportRequest, { documents: [{ title: 1 }] }],
  ['determination: wrong', DeterminationRequest, { attribute: 'x', reviewDue: 7 }],
];

describe('validation messages', () => {
  for (const [name, schema, value] of cases) {
    it(`${name}: every zh message is Chinese, none holds zod's English`, () => {
      const res = schema.safeParse(value);
      expect(res.success).toBe(false);
      const issues = issuesOf(res.error!);
      expect(issues.length).toBeGreaterThan(0);
      for (const i of issues) {
        expect(i.zh, `${i.field}: ${i.zh}`).toMatch(HAN);
        expect(i.zh, `${i.field}: ${i.zh}`).not.toMatch(ZOD_ENGLISH);
        expect(i.en.length).toBeGreaterThan(0);
      }
    });
  }

  it('a field message names the field', () => {
    const res = ClaimRequest.safeParse({ leaseSeconds: 'long' });
    const [issue] = issuesOf(res.error!);
    expect(issue!.field).toBe('leaseSeconds');
    expect(issue!.zh).toMatch(/leaseSeconds/);
  });
});
