import type { Attribute } from '#shared/domain/form';
import type { Finding } from '#shared/domain/finding';
import { ATTR_4, ATTR_5 } from './attribute.ts';
import type { RuleContext } from './types.ts';

/**
 * Issue 15 (5): a conversion on re-review (依申请公开 / 不予公开 → 主动公开) publishes a text that
 * was checked against ANOTHER attribute. Before publishing, the markers and secrecy marks of
 * its text are checked again against the new attribute: ATTR-4 (a 内部资料 / 不予公开 / 依申请公开
 * marker contradicts 主动公开) and ATTR-5 (a secrecy mark: never published here). The blocking
 * findings returned stop the conversion; each quotes its evidence as usual. Pure: the
 * re-review workflow calls it with the stored form and extracted text.
 */
export function conversionFindings(ctx: RuleContext, to: Attribute = '主动公开'): Finding[] {
  const converted: RuleContext = { ...ctx, form: { ...ctx.form, attribute: to } };
  return [ATTR_4, ATTR_5].flatMap((rule) =>
    rule
      .check(converted)
      .map(({ severity, ...f }) => ({ ruleId: rule.id, severity: severity ?? rule.severity, source: rule.source, ...f }))
      .filter((f) => f.severity === 'block'),
  );
}
