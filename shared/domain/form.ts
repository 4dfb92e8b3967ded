import { z } from 'zod';

/**
 * The declaration form (拟发文件公开属性和政策解读申报表) a drafting unit submits with
 * every draft. The schema checks shape and vocabulary; whether the declaration is
 * *sufficient* (a reason for a non-public attribute, an interpretation for a policy
 * document…) is the rulebook's job (shared/rules), so that the drafter is told which rule
 * of which notice applies, not just that a field is missing.
 */

/** The three disclosure attributes (公开属性). */
export const ATTRIBUTES = ['主动公开', '依申请公开', '不予公开'] as const;
export const Attribute = z.enum(ATTRIBUTES);
export type Attribute = z.infer<typeof Attribute>;
export const isNonPublic = (a: Attribute | undefined): boolean => a === '依申请公开' || a === '不予公开';

/** The 26 pilot domains of 基层政务公开标准化规范化 (seed 000, 附件). */
export const PILOT_DOMAINS = [
  '重大建设项目', '义务教育', '户籍管理', '社会救助', '养老服务', '公共法律服务', '财政预决算',
  '就业', '社会保险', '城乡规划', '征地补偿', '环境保护', '国有土地上房屋征收', '保障性住房',
  '农村危房改造', '市政服务', '城市综合执法', '涉农补贴', '公共文化服务', '医疗卫生', '安全生产',
  '救灾', '食品药品监管', '公共资源交易', '扶贫', '税收管理',
] as const;
export const PilotDomain = z.enum(PILOT_DOMAINS);
export type PilotDomain = z.infer<typeof PilotDomain>;

/** Document types (文种) of 《党政机关公文处理工作条例》 and the common normative forms. */
export const DOCUMENT_TYPES = [
  '行政规范性文件', '决定', '命令', '公报', '公告', '通告', '意见', '通知', '通报', '报告', '请示',
  '批复', '议案', '函', '纪要', '办法', '规定', '方案', '要点', '规划', '其他',
] as const;
export const DocumentType = z.enum(DOCUMENT_TYPES);
export type DocumentType = z.infer<typeof DocumentType>;

/** Formats an interpretation may take (INT-4 counts the non-text ones). */
export const INTERPRETATION_FORMATS = ['文字', '图解', '图表', '音频', '视频', '动漫', '问答', '其他'] as const;

/** What the drafting unit says about the interpretation (政策解读). */
export const InterpretationDeclaration = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('attached'),
    format: z.enum(INTERPRETATION_FORMATS).default('文字'),
  }),
  z.object({
    mode: z.literal('not-needed'),
    reason: z
      .string({ error: '请说明无需解读的理由 / state why no interpretation is needed' })
      .trim()
      .min(4, '无需解读的理由至少 4 个字 / the reason must be at least 4 characters'),
  }),
]);
export type InterpretationDeclaration = z.infer<typeof InterpretationDeclaration>;

const isoDate = z
  .string({ error: '请填写日期，格式 YYYY-MM-DD / give a date as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD / the date must look like 2024-03-01')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: '不是有效的日期 / not a real calendar date',
  });

const text = (zhName: string, enName: string, min: number, max: number) =>
  z
    .string({ error: `请填写${zhName} / ${enName} is required` })
    .trim()
    .min(min, `${zhName}至少 ${min} 个字 / ${enName} needs at least ${min} characters`)
    .max(max, `${zhName}不能超过 ${max} 个字 / ${enName} is limited to ${max} characters`);

export const Contact = z.object({
  name: text('联系人', 'contact name', 2, 40),
  phone: z
    .string({ error: '请填写联系电话 / a contact phone number is required' })
    .trim()
    .regex(/^[0-9+\-()（） ]{7,20}$/, '联系电话格式不正确 / the phone number should be 7 to 20 digits, and may include - + ( )'),
});

export const DeclarationForm = z.object({
  /** 文件标题 */
  title: text('文件标题', 'the title', 4, 200),
  /** 起草单位 */
  draftingUnit: text('起草单位', 'the drafting unit', 2, 100),
  /** 发文字号, e.g. 运盐政办发〔2020〕60号; not yet assigned for many drafts. */
  documentNumber: z.string().trim().max(60, '文号不能超过 60 个字 / at most 60 characters').optional(),
  /** 文种 */
  documentType: z.enum(DOCUMENT_TYPES, {
    error: `文种应为以下之一：${DOCUMENT_TYPES.join('、')} / document type must be one of the listed types`,
  }),
  /** 成文日期 */
  documentDate: isoDate,
  /** 是否政策性文件 */
  isPolicy: z.boolean({ error: '请说明是否为政策性文件（true/false） / say whether this is a policy document' }),
  /** 公开属性: absent means the unit has not decided, which ATTR-1 blocks. */
  attribute: z
    .enum(ATTRIBUTES, { error: '公开属性应为 主动公开、依申请公开 或 不予公开 / attribute must be one of the three' })
    .optional(),
  /** 不主动公开的理由 */
  nonPublicReason: z.string().trim().max(1000, '理由不能超过 1000 字 / at most 1000 characters').optional(),
  /** 法律依据, e.g. 《中华人民共和国政府信息公开条例》第十五条 */
  legalBasis: z.string().trim().max(500, '依据不能超过 500 字 / at most 500 characters').optional(),
  /** 政策解读: attached, or why none is needed; absent is blocked by INT-1. */
  interpretation: InterpretationDeclaration.optional(),
  /** 试点领域 */
  domain: z
    .enum(PILOT_DOMAINS, { error: '领域应为 26 个试点领域之一 / domain must be one of the 26 pilot domains' })
    .optional(),
  /** 联系人 */
  contact: Contact,
});
export type DeclarationForm = z.infer<typeof DeclarationForm>;

/** Chinese labels of the form's fields, for messages and pages. */
export const FIELD_LABELS: Record<string, string> = {
  title: '文件标题',
  draftingUnit: '起草单位',
  documentNumber: '发文字号',
  documentType: '文种',
  documentDate: '成文日期',
  isPolicy: '是否政策性文件',
  attribute: '公开属性',
  nonPublicReason: '不公开理由',
  legalBasis: '法律依据',
  interpretation: '政策解读',
  domain: '试点领域',
  contact: '联系人',
};
