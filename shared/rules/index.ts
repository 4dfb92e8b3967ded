import type { Finding } from '#shared/domain/finding';
import { ATTR_1, ATTR_2, ATTR_3, ATTR_4, ATTR_5, ATTR_6 } from './attribute.ts';
import { CAT_1 } from './catalogue.ts';
import { INT_1, INT_2, INT_3, INT_4 } from './interpretation.ts';
import { PUB_4 } from './personal-data.ts';
import type { Rule, RuleContext } from './types.ts';
import { WORKFLOW_RULES } from './workflow.ts';

/**
 * The rulebook. Each rule is data (id, source, severity, what it asks of the drafter)
 * plus a small pure function over the declaration and the extracted texts. The check
 * stage runs them all; the API and the site list them.
 *
 * Files: attribute.ts (ATTR-1..6), interpretation.ts (INT-1..4), catalogue.ts (CAT-1),
 * personal-data.ts (PUB-4, detection), grounds.ts (the legal grounds of ATTR-2),
 * workflow.ts (data of the rules the approval and site stages enforce).
 */

export type { Rule, RuleContext, RuleFinding } from './types.ts';
export { ATTRIBUTE_EN, needsInfocenterFiling, normativeEvidence, ownDocumentNumber } from './attribute.ts';
export { conversionFindings } from './conversion.ts';
export { domainsOfTitle } from './catalogue.ts';
export { citeGrounds, GROUNDS_LIST_ZH, LEGAL_GROUNDS, STATE_SECRET_WORDS, VAGUE_REASONS, type Citation, type LegalGround } from './grounds.ts';
export {
  COPY_BLOCK_SHARE,
  COPY_NGRAM,
  COPY_WARN_SHARE,
  copiedShare,
  DIVERSIFIED_FORMATS,
  DIVERSIFIED_TARGET,
  diversifiedShare,
  diversifiedTarget,
  INTERPRETATION_ELEMENTS,
  interpretationElements,
  isDiversified,
  type CopyMeasure,
} from './interpretation.ts';
export { PERSONAL_DATA_POLICY, spansToMask, type MaskKind, type MaskSpan } from './personal-data.ts';
export { PUBLISH_WITHIN_WORKING_DAYS, REVIEW_INTERVAL_MONTHS, STATUTORY_COLUMNS, WORKFLOW_RULES, type WorkflowRule } from './workflow.ts';

/** Findings the extract stage raises about files rather than their contents. */
export const FILE_RULE = {
  id: 'FILE-1',
  title: { zh: '上传的文件必须可读取文字', en: 'Uploaded files must be readable text documents' },
  source: '条例第二十六条（及时准确公开）；Gongkai 上传规范',
  severity: 'block',
} as const;

/**
 * Findings the OCR stage raises (issue 14): which pages of a file were read by OCR, with the
 * engine and its confidence, and the pages the drafter must check against the original —
 * recognised with a confidence below the engine's threshold, or with no text found at all
 * (a blank page, a picture). A file on which OCR found no text is refused under FILE-1.
 */
export const OCR_RULE = {
  id: 'FILE-2',
  title: { zh: '扫描页的文字由 OCR 识别并如实标注，识别可疑的页须核对', en: 'Text recognised by OCR is marked as such, and doubtful pages are listed to check' },
  source: '条例第六条（行政机关应当及时、准确地公开政府信息）；Gongkai 上传规范',
  severity: 'warn',
} as const;

/** The rules the check stage runs, in the order their findings are reported. */
export const RULES: readonly Rule[] = [ATTR_1, ATTR_2, ATTR_3, ATTR_4, ATTR_5, ATTR_6, INT_1, INT_2, INT_3, INT_4, CAT_1, PUB_4];

/**
 * Runs the rules (all, or those that can run on the form alone) and returns their findings.
 * A finding carries its rule's severity unless the rule set a lower one on it (a warning or
 * a record from a rule that can also block).
 */
export function evaluate(ctx: RuleContext, only: 'form' | 'all' = 'all'): Finding[] {
  return RULES.filter((r) => only === 'all' || r.needs === 'form').flatMap((rule) =>
    rule.check(ctx).map(({ severity, ...f }) => ({ ruleId: rule.id, severity: severity ?? rule.severity, source: rule.source, ...f })),
  );
}

/** The table of rules as people read it (GET /rules, the site's rules page). */
export const ruleTable = () => [
  ...RULES.map(({ id, title, source, severity }) => ({ id, title, source, severity })),
  ...WORKFLOW_RULES.map(({ id, title, source, severity }) => ({ id, title, source, severity })),
  { id: FILE_RULE.id, title: FILE_RULE.title, source: FILE_RULE.source, severity: FILE_RULE.severity },
  { id: OCR_RULE.id, title: OCR_RULE.title, source: OCR_RULE.source, severity: OCR_RULE.severity },
];
