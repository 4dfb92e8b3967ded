import type { DeclarationForm } from '#shared/domain/form';
import { isNonPublic } from '#shared/domain/form';
import type { Finding, Severity } from '#shared/domain/finding';
import type { Bilingual } from '#shared/errors';

/**
 * The rulebook. Each rule is data (id, source, severity, what it asks of the drafter)
 * plus a small pure function over the declaration and the extracted texts. The check
 * stage runs them all; the API and the site list them.
 */

export interface RuleContext {
  readonly form: DeclarationForm;
  /** Normalised text of the document, when extracted. */
  readonly document?: { readonly text: string };
  /** Normalised text of the interpretation, when one was uploaded. */
  readonly interpretation?: { readonly text: string };
}

export interface Rule {
  readonly id: string;
  readonly title: Bilingual;
  /** Notice file and clause the rule comes from. */
  readonly source: string;
  readonly severity: Severity;
  /** 'form' rules need only the declaration (they also run at submission as a preflight). */
  readonly needs: 'form' | 'text';
  readonly check: (ctx: RuleContext) => readonly Omit<Finding, 'ruleId' | 'severity' | 'source'>[];
}

/** Reasons that say nothing: on their own they never justify withholding a document. */
export const VAGUE_REASONS = ['不宜公开', '内部文件', '涉及敏感', '敏感', '不便公开', '暂不公开', '内部使用', '不公开', '保密', '无'] as const;

/** Legal grounds a non-public attribute may rest on (条例 Art. 14–16, or a named law). */
export const LEGAL_GROUNDS = [
  { id: 'OGI-14', pattern: /条例.{0,12}第(十四|14)条|第(十四|14)条/, zh: '《政府信息公开条例》第十四条（国家秘密、法律禁止公开、危及国家安全公共安全经济安全社会稳定）' },
  { id: 'OGI-15', pattern: /第(十五|15)条/, zh: '《政府信息公开条例》第十五条（商业秘密、个人隐私）' },
  { id: 'OGI-16', pattern: /第(十六|16)条/, zh: '《政府信息公开条例》第十六条（内部事务信息、过程性信息、行政执法案卷信息）' },
  { id: 'LAW', pattern: /《[^》]{2,40}(法|条例|规定|办法)》/, zh: '其他法律、行政法规（如《中华人民共和国保守国家秘密法》《中华人民共和国个人信息保护法》），须写明名称和条款' },
] as const;

const groundsList = LEGAL_GROUNDS.map((g) => g.zh).join('；');

const ATTR_1: Rule = {
  id: 'ATTR-1',
  title: { zh: '必须明确唯一的公开属性', en: 'Exactly one disclosure attribute is declared' },
  source: '000 §二(三)1；002 §一(一)；003 §三(3)1',
  severity: 'block',
  needs: 'form',
  check: ({ form }) =>
    form.attribute
      ? []
      : [
          {
            zh: '未明确公开属性，不予发文。请在申报表中选择“主动公开”“依申请公开”或“不予公开”之一。',
            en: 'No disclosure attribute declared; a draft without one is not issued. Choose 主动公开, 依申请公开 or 不予公开.',
            evidence: [{ in: 'form.attribute' }],
          },
        ],
};

const ATTR_2: Rule = {
  id: 'ATTR-2',
  title: { zh: '不主动公开须说明理由和依据', en: 'A non-public attribute needs a reason and a legal basis' },
  source: '000 §二(三)1；002 §一(一)（没有明确依据和理由的，不得…）；003 §三(3)1；条例第十四至十六条',
  severity: 'block',
  needs: 'form',
  check: ({ form }) => {
    if (!isNonPublic(form.attribute)) return [];
    const out: ReturnType<Rule['check']>[number][] = [];
    const reason = (form.nonPublicReason ?? '').trim();
    const basis = (form.legalBasis ?? '').trim();
    const stripped = VAGUE_REASONS.reduce((s, v) => s.replaceAll(v, ''), reason).replace(/[\s，。、；,.;：:！!]/g, '');
    if (reason === '') {
      out.push({
        zh: `公开属性为“${form.attribute}”，但未说明理由。请写明不主动公开的具体理由。`,
        en: `Declared ${form.attribute} without a reason; state the concrete reason for not disclosing proactively.`,
        evidence: [{ in: 'form.nonPublicReason' }],
      });
    } else if (stripped.length < 6) {
      out.push({
        zh: `理由“${reason}”过于笼统，不能作为不主动公开的理由。请具体说明涉及哪类信息、为何不能主动公开，并在“法律依据”中写明对应条款。`,
        en: `The reason "${reason}" is too vague to justify non-disclosure; say what information is involved and which legal ground applies.`,
        evidence: [{ in: 'form.nonPublicReason', text: reason }],
      });
    }
    const ground = LEGAL_GROUNDS.find((g) => g.pattern.test(basis));
    if (basis === '' || !ground) {
      out.push({
        zh: `未写明法律依据或依据不明确。请引用以下依据之一并写明条款：${groundsList}。`,
        en: 'No recognisable legal basis; cite Art. 14, 15 or 16 of the Regulations on Open Government Information, or a named law and article.',
        evidence: [{ in: 'form.legalBasis', ...(basis ? { text: basis } : {}) }],
      });
    } else if (ground.id === 'OGI-14' && form.attribute === '依申请公开') {
      out.push({
        zh: '依据第十四条（国家秘密等）不予公开的信息不能定为“依申请公开”。请改为“不予公开”并按保密规定处理。',
        en: 'Information withheld under Art. 14 (state secrets etc.) cannot be disclosed on application; declare it 不予公开.',
        evidence: [{ in: 'form.legalBasis', text: basis }],
      });
    }
    return out;
  },
};

const INT_1: Rule = {
  id: 'INT-1',
  title: { zh: '政策性文件须随文提交解读', en: 'A policy document carries its interpretation' },
  source: '000 §二(五)1（谁起草、谁解读）；003；004 §八',
  severity: 'block',
  needs: 'form',
  check: ({ form }) => {
    const decl = form.interpretation;
    if (form.isPolicy) {
      if (decl?.mode === 'attached') return [];
      return [
        {
          zh:
            decl?.mode === 'not-needed'
              ? '政策性文件必须由起草单位同步起草解读材料，随文件一并报批、同步发布，不能声明“无需解读”。请上传解读材料。'
              : '政策性文件未附解读材料。按照“谁起草、谁解读”的原则，请上传解读材料后再提交。',
          en: 'A policy document must be submitted with its interpretation (drafted by the same unit, approved and published together); upload one.',
          evidence: [{ in: 'form.interpretation' }],
        },
      ];
    }
    if (decl) return [];
    return [
      {
        zh: '未说明是否需要政策解读。非政策性文件请在申报表中声明“无需解读”并写明理由。',
        en: 'The form neither attaches an interpretation nor states that none is needed; for a non-policy document, declare "not needed" with a reason.',
        evidence: [{ in: 'form.interpretation' }],
      },
    ];
  },
};

/** Findings the extract stage raises about files rather than their contents. */
export const FILE_RULE = {
  id: 'FILE-1',
  title: { zh: '上传的文件必须可读取文字', en: 'Uploaded files must be readable text documents' },
  source: '条例第二十六条（及时准确公开）；Gongkai 上传规范',
  severity: 'block',
} as const;

export const RULES: readonly Rule[] = [ATTR_1, ATTR_2, INT_1];

/** Runs the rules (all, or those that need only the form) and returns their findings. */
export function evaluate(ctx: RuleContext, only: 'form' | 'all' = 'all'): Finding[] {
  return RULES.filter((r) => only === 'all' || r.needs === 'form').flatMap((rule) =>
    rule.check(ctx).map((f) => ({ ruleId: rule.id, severity: rule.severity, source: rule.source, ...f })),
  );
}

/** The table of rules as people read it (GET /rules, the site's rules page). */
export const ruleTable = () => [
  ...RULES.map(({ id, title, source, severity }) => ({ id, title, source, severity })),
  { id: FILE_RULE.id, title: FILE_RULE.title, source: FILE_RULE.source, severity: FILE_RULE.severity },
];
