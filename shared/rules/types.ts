import type { DeclarationForm } from '#shared/domain/form';
import type { Evidence, Finding, Severity } from '#shared/domain/finding';
import type { Bilingual } from '#shared/errors';

export interface RuleContext {
  readonly form: DeclarationForm;
  /** Normalised text of the document, when extracted. */
  readonly document?: { readonly text: string };
  /** Normalised text of the interpretation, when one was uploaded. */
  readonly interpretation?: { readonly text: string };
}

/** What a rule's check returns: a finding without the rule's own data (id, source); severity defaults to the rule's. */
export type RuleFinding = Omit<Finding, 'ruleId' | 'severity' | 'source'> & { readonly severity?: Severity };

export interface Rule {
  readonly id: string;
  readonly title: Bilingual;
  /** Notice file and clause the rule comes from. */
  readonly source: string;
  /**
   * The most severe finding the rule raises (what the rule table shows). A rule that also
   * records or warns (ATTR-4's document number, ATTR-5's report, INT-3's share) sets a
   * lower severity on those findings.
   */
  readonly severity: Severity;
  /**
   * 'form' rules can run on the declaration alone (they also run at submission as a
   * preflight; some look at the texts too when the check stage has them). 'text' rules
   * need an extracted text and find nothing without one.
   */
  readonly needs: 'form' | 'text';
  readonly check: (ctx: RuleContext) => readonly RuleFinding[];
}

/** A position in a text: offsets into the string that was searched. */
export interface Located {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Evidence for a located match in a text ('document', 'interpretation' or 'form.<field>'). */
export const at = (where: string, s: Located): Evidence => ({ in: where, text: s.text, start: s.start, end: s.end });

/** Severity order, for picking the worse of two. */
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warn: 1, block: 2 };
