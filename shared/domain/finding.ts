import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).

/**
 * block: the draft is rejected until it is changed; warn: the approver and drafter are told;
 * info: recorded for the workflow and the reports (a filing to make, a format, a share), never blocks.
 */
export const Severity = /* @__PURE__ */ (() => z.enum(['block', 'warn', 'info']))();
export type Severity = z.infer<typeof Severity>;

/** Where in a text (or which form field) a finding comes from. */
export const Evidence = /* @__PURE__ */ (() =>
  z.object({
    /** 'form.<field>', 'document' or 'interpretation' */
    in: z.string(),
    text: z.string().optional(),
    start: z.number().int().optional(),
    end: z.number().int().optional(),
  }))();
export type Evidence = z.infer<typeof Evidence>;

/** One rule's verdict on one draft. Every finding names its rule and that rule's source. */
export const Finding = /* @__PURE__ */ (() =>
  z.object({
    ruleId: z.string(),
    severity: Severity,
    zh: z.string(),
    en: z.string(),
    source: z.string(),
    evidence: z.array(Evidence).optional(),
    /** How many places the rule found when `evidence` lists only the first of them. */
    evidenceTotal: z.number().int().optional(),
  }))();
export type Finding = z.infer<typeof Finding>;

export const blocks = (findings: readonly Finding[]): boolean => findings.some((f) => f.severity === 'block');
