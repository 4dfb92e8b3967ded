import { bi } from '#shared/errors';
import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).
import { addYears, today } from '#shared/clock';

/**
 * The declaration form (拟发文件公开属性和政策解读申报表) a drafting unit submits with
 * every draft. The schema checks shape and vocabulary; whether the declaration is
 * *sufficient* (a reason for a non-public attribute, an interpretation for a policy
 * document…) is the rulebook's job (shared/rules), so that the drafter is told which rule
 * of which notice applies, not just that a field is missing.
 */

/** The three disclosure attributes (公开属性). */
export const ATTRIBUTES = ['主动公开', '依申请公开', '不予公开'] as const;
export const Attribute = /* @__PURE__ */ (() => z.enum(ATTRIBUTES))();
export type Attribute = z.infer<typeof Attribute>;
export const isNonPublic = (a: Attribute | undefined): boolean => a === '依申请公开' || a === '不予公开';

/**
 * What must be disclosed proactively, as the law organises it: the fifteen categories of 条例
 * Art. 20, and the local items Art. 21 adds for county governments, their departments and
 * townships. The column 法定主动公开内容 is organised by them (issue 16.3), the pilot domains beside.
 */
export const DISCLOSURE_CATEGORIES = [
  '（一）行政法规、规章和规范性文件',
  '（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名',
  '（三）国民经济和社会发展规划、专项规划、区域规划及相关政策',
  '（四）国民经济和社会发展统计信息',
  '（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果',
  '（六）实施行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定',
  '（七）财政预算、决算信息',
  '（八）行政事业性收费项目及其依据、标准',
  '（九）政府集中采购项目的目录、标准及实施情况',
  '（十）重大建设项目的批准和实施情况',
  '（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况',
  '（十二）突发公共事件的应急预案、预警信息及应对情况',
  '（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况',
  '（十四）公务员招考的职位、名额、报考条件等事项以及录用结果',
  '（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息',
  '（第二十一条）城乡建设和管理、社会公益事业建设、征收征用、抚恤救灾和社会救助款物管理等地方事项',
] as const;
export type DisclosureCategory = (typeof DISCLOSURE_CATEGORIES)[number];

/** The 26 pilot domains of 基层政务公开标准化规范化 (seed 000, 附件). */
export const PILOT_DOMAINS = [
  '重大建设项目',
  '义务教育',
  '户籍管理',
  '社会救助',
  '养老服务',
  '公共法律服务',
  '财政预决算',
  '就业',
  '社会保险',
  '城乡规划',
  '征地补偿',
  '环境保护',
  '国有土地上房屋征收',
  '保障性住房',
  '农村危房改造',
  '市政服务',
  '城市综合执法',
  '涉农补贴',
  '公共文化服务',
  '医疗卫生',
  '安全生产',
  '救灾',
  '食品药品监管',
  '公共资源交易',
  '扶贫',
  '税收管理',
] as const;
export const PilotDomain = /* @__PURE__ */ (() => z.enum(PILOT_DOMAINS))();
export type PilotDomain = z.infer<typeof PilotDomain>;

/** Document types (文种) of 《党政机关公文处理工作条例》 and the common normative forms. */
export const DOCUMENT_TYPES = [
  '行政规范性文件',
  '决定',
  '命令',
  '公报',
  '公告',
  '通告',
  '意见',
  '通知',
  '通报',
  '报告',
  '请示',
  '批复',
  '议案',
  '函',
  '纪要',
  '办法',
  '规定',
  '方案',
  '要点',
  '规划',
  '其他',
] as const;
export const DocumentType = /* @__PURE__ */ (() => z.enum(DOCUMENT_TYPES))();
export type DocumentType = z.infer<typeof DocumentType>;

/** Formats an interpretation may take (INT-4 counts the non-text ones). */
export const INTERPRETATION_FORMATS = ['文字', '图解', '图表', '音频', '视频', '动漫', '问答', '其他'] as const;

/** Secrecy levels (密级) a drafting unit may declare; 'none' says the draft is not classified. */
export const SECRECY_LEVELS = ['none', '秘密', '机密', '绝密'] as const;
export type SecrecyLevel = (typeof SECRECY_LEVELS)[number];

/**
 * The elements of a standard-catalogue entry (政务公开事项标准目录): "目录至少应包括公开事项的
 * 名称、内容、依据、时限、主体、方式、渠道、公开对象等要素" (seed 000 §二(二)2; 001; 004 三).
 * Keys in the order of the notices, with their Chinese names.
 */
export const CATALOGUE_ELEMENTS = [
  ['name', '名称'],
  ['content', '内容'],
  ['basis', '依据'],
  ['timeLimit', '时限'],
  ['subject', '主体'],
  ['method', '方式'],
  ['channel', '渠道'],
  ['audience', '公开对象'],
] as const;

const catalogueText = (zhName: string, enName: string) =>
  z
    .string()
    .trim()
    .max(500, bi(`目录要素“${zhName}”不能超过 500 字`, `the catalogue ${enName} is limited to 500 characters`))
    .optional();

/** The catalogue entry the document falls under (CAT-1 names the missing elements). */
export const CatalogueEntry = /* @__PURE__ */ (() =>
  z.object({
    name: catalogueText('名称', 'name'),
    content: catalogueText('内容', 'content'),
    basis: catalogueText('依据', 'basis'),
    timeLimit: catalogueText('时限', 'time limit'),
    subject: catalogueText('主体', 'responsible body'),
    method: catalogueText('方式', 'method'),
    channel: catalogueText('渠道', 'channel'),
    audience: catalogueText('公开对象', 'audience'),
  }))();
export type CatalogueEntry = z.infer<typeof CatalogueEntry>;

/** What the drafting unit says about the interpretation (政策解读). */
export const InterpretationDeclaration = /* @__PURE__ */ (() =>
  z.discriminatedUnion('mode', [
    z.object({
      mode: z.literal('attached'),
      format: z.enum(INTERPRETATION_FORMATS).default('文字'),
    }),
    z.object({
      mode: z.literal('not-needed'),
      reason: z
        .string({ error: bi('请说明无需解读的理由', 'state why no interpretation is needed') })
        .trim()
        .min(4, bi('无需解读的理由至少 4 个字', 'the reason must be at least 4 characters')),
    }),
  ]))();
export type InterpretationDeclaration = z.infer<typeof InterpretationDeclaration>;

/** The earliest date a document of this system can carry: the founding of the People's Republic. */
export const EARLIEST_DATE = '1949-10-01';
/** `today` (China time) moved by `years`, as YYYY-MM-DD. */
export const yearsFromToday = (years: number): string => addYears(today(), years);

/** A real calendar date between EARLIEST_DATE and `maxYearsAhead` years from today. */
const isoDateWithin = (maxYearsAhead: number) =>
  z
    .string({ error: bi('请填写日期，格式 YYYY-MM-DD', 'give a date as YYYY-MM-DD') })
    .regex(/^\d{4}-\d{2}-\d{2}$/, bi('日期格式应为 YYYY-MM-DD', 'the date must look like 2024-03-01'))
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
      message: bi('不是有效的日期', 'not a real calendar date'),
    })
    .refine((s) => s >= EARLIEST_DATE, { message: bi(`日期早于 ${EARLIEST_DATE}，请检查年份`, `the date is before ${EARLIEST_DATE}: check the year`) })
    .refine((s) => s <= yearsFromToday(maxYearsAhead), {
      message: bi(`日期晚于今天起 ${maxYearsAhead} 年，请检查年份`, `the date is more than ${maxYearsAhead} year(s) from today: check the year`),
    });

/** A document's own dates (成文日期, 施行日期): at most a year ahead. */
const isoDate = /* @__PURE__ */ (() => isoDateWithin(1))();
/** The end of a validity period: up to 50 years ahead (Validity.years allows 50). */
const isoDateUntil = /* @__PURE__ */ (() => isoDateWithin(51))();

const text = (zhName: string, enName: string, min: number, max: number) =>
  z
    .string({ error: bi(`请填写${zhName}`, `${enName} is required`) })
    .trim()
    .min(min, bi(`${zhName}至少 ${min} 个字`, `${enName} needs at least ${min} characters`))
    .max(max, bi(`${zhName}不能超过 ${max} 个字`, `${enName} is limited to ${max} characters`));

export const Contact = /* @__PURE__ */ (() =>
  z.object({
    name: text('联系人', 'contact name', 2, 40),
    phone: z
      .string({ error: bi('请填写联系电话', 'a contact phone number is required') })
      .trim()
      .regex(/^[0-9+\-()（） ]{7,20}$/, bi('联系电话格式不正确', 'the phone number should be 7 to 20 digits, and may include - + ( )')),
  }))();

/** 有效期 of a 行政规范性文件 as declared (002 §一(二): 在文件正文末尾注明本文有效期限). */
export const Validity = /* @__PURE__ */ (() =>
  z
    .object({
      from: isoDate.optional(),
      until: isoDateUntil.optional(),
      years: z
        .number({ error: bi('有效期年数应为数字', 'years must be a number') })
        .int()
        .min(1, bi('有效期至少 1 年', 'at least 1 year'))
        .max(50, bi('有效期不超过 50 年', 'at most 50 years'))
        .optional(),
    })
    .refine((v) => v.until !== undefined || v.years !== undefined, { message: bi('请写明有效期至哪一天或有效几年', 'give the end date or the number of years') })
    .refine((v) => !(v.from && v.until) || v.from <= v.until, { message: bi('有效期的结束日期早于开始日期', 'the validity ends before it starts'), path: ['until'] }))();
export type Validity = z.infer<typeof Validity>;

export const DeclarationForm = /* @__PURE__ */ (() =>
  z.object({
    /** 文件标题 */
    title: text('文件标题', 'the title', 4, 200),
    /** 起草单位 */
    draftingUnit: text('起草单位', 'the drafting unit', 2, 100),
    /** 发文字号, e.g. 运盐政办发〔2020〕60号; not yet assigned for many drafts. */
    documentNumber: z.string().trim().max(60, bi('文号不能超过 60 个字', 'at most 60 characters')).optional(),
    /** 文种 */
    documentType: z.enum(DOCUMENT_TYPES, {
      error: bi(`文种应为以下之一：${DOCUMENT_TYPES.join('、')}`, `document type must be one of the listed types`),
    }),
    /** 成文日期 */
    documentDate: isoDate,
    /** 是否政策性文件 */
    isPolicy: z.boolean({ error: bi('请说明是否为政策性文件（true/false）', 'say whether this is a policy document') }),
    /** 公开属性: absent means the unit has not decided, which ATTR-1 blocks. */
    attribute: z.enum(ATTRIBUTES, { error: bi('公开属性应为 主动公开、依申请公开 或 不予公开', 'attribute must be one of the three') }).optional(),
    /** 不主动公开的理由 */
    nonPublicReason: z.string().trim().max(1000, bi('理由不能超过 1000 字', 'at most 1000 characters')).optional(),
    /** 法律依据, e.g. 《中华人民共和国政府信息公开条例》第十五条 */
    legalBasis: z.string().trim().max(500, bi('依据不能超过 500 字', 'at most 500 characters')).optional(),
    /** 政策解读: attached, or why none is needed; absent is blocked by INT-1. */
    interpretation: InterpretationDeclaration.optional(),
    /** 主动公开的法定类别 (条例 Art. 20, 21): the column 法定主动公开内容 lists it there. */
    category: z
      .enum(DISCLOSURE_CATEGORIES, {
        error: bi('法定公开类别应为《条例》第二十条所列十五类或第二十一条地方事项之一', 'category must be one of the categories of Art. 20 or the local items of Art. 21'),
      })
      .optional(),
    /** 试点领域 */
    domain: z.enum(PILOT_DOMAINS, { error: bi('领域应为 26 个试点领域之一', 'domain must be one of the 26 pilot domains') }).optional(),
    /** 联系人 */
    contact: Contact,
    /** 密级: 'none', or the level of a classified draft (ATTR-5 keeps classified drafts out of this pipeline). */
    secrecyLevel: z
      .enum(SECRECY_LEVELS, {
        error: bi('密级应为 none（非涉密）、秘密、机密 或 绝密', 'secrecy level must be none or one of the three levels: secret (mimi), confidential (jimi), top secret (juemi)'),
      })
      .optional(),
    /** 公开事项标准目录要素 (CAT-1). */
    catalogue: CatalogueEntry.optional(),
    /** 有效期 of a 行政规范性文件 (ATTR-6 compares it with the text; the site's column of documents in force uses it). */
    validity: Validity.optional(),
  }))();
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
  category: '法定公开类别',
  domain: '试点领域',
  contact: '联系人',
  secrecyLevel: '密级',
  catalogue: '公开事项目录要素',
  validity: '有效期',
};
