import { z } from 'zod';
import { bi } from '#shared/errors';
import { NOT_PROCESSED_REASONS, ORGANISATION_KINDS, OTHER_REASONS, UNAVAILABLE_REASONS, WITHHOLD_GROUNDS } from '#shared/domain/application';

/**
 * 政府信息公开工作年度报告 (条例 Art. 49–50) in the format of 国办公开办函〔2021〕30号: six
 * sections, three of them tables. This module is the format itself — which cells exist, which
 * the pipeline computes and which the office enters — and the report's record. Pure: no AWS,
 * no rendering. Every cell has an id `<table>.<row>.<column>` that the store, the API, the
 * console and the renderers share.
 *
 * Sections:
 *   一 总体情况                                  text, written in the console
 *   二 主动公开政府信息情况                       table (规范性文件 computed, the rest entered)
 *   三 收到和处理政府信息公开申请情况             table (computed from the applications)
 *   四 政府信息公开行政复议、行政诉讼情况         table (entered; 总计 computed)
 *   五 存在的主要问题及改进情况                   text
 *   六 其他需要报告的事项                         text (收费 included; 要点落实情况 per 002)
 */

// --- Table 二: 主动公开政府信息情况 -----------------------------------------------------------

/** The rows of table 二, grouped by the article of 条例 Art. 20 they report, with their columns. */
export const TABLE2 = [
  {
    item: '第二十条第（一）项',
    columns: [
      { key: 'issued', label: '本年制发件数' },
      { key: 'repealed', label: '本年废止件数' },
      { key: 'inForce', label: '现行有效件数' },
    ],
    rows: [
      /** A county issues no 规章 (立法法 Art. 93): entered, by a body that does. */
      { key: 'rules', label: '规章', computed: false },
      /** From Gongkai's normative records (documentType 行政规范性文件, their 有效期 and 废止). */
      { key: 'normative', label: '行政规范性文件', computed: true },
    ],
  },
  {
    item: '第二十条第（五）项',
    columns: [{ key: 'decisions', label: '本年处理决定数量' }],
    rows: [{ key: 'licensing', label: '行政许可', computed: false }],
  },
  {
    item: '第二十条第（六）项',
    columns: [{ key: 'decisions', label: '本年处理决定数量' }],
    rows: [
      { key: 'penalty', label: '行政处罚', computed: false },
      { key: 'coercion', label: '行政强制', computed: false },
    ],
  },
  {
    item: '第二十条第（八）项',
    columns: [{ key: 'amount', label: '本年收费金额（单位：万元）' }],
    rows: [{ key: 'fees', label: '行政事业性收费', computed: false }],
  },
] as const;

// --- Table 三: 收到和处理政府信息公开申请情况 --------------------------------------------------

/**
 * The applicant columns: 自然人, then 法人或其他组织 split into the five kinds the format names,
 * then 总计. An application's column is its applicant's type (公民 → person) and organisation kind.
 */
export const APPLICANT_COLUMNS = [
  { key: 'person', label: '自然人' },
  { key: 'business', label: '商业企业', kind: ORGANISATION_KINDS[0] },
  { key: 'research', label: '科研机构', kind: ORGANISATION_KINDS[1] },
  { key: 'welfare', label: '社会公益组织', kind: ORGANISATION_KINDS[2] },
  { key: 'legal', label: '法律服务机构', kind: ORGANISATION_KINDS[3] },
  { key: 'other', label: '其他', kind: ORGANISATION_KINDS[4] },
  { key: 'total', label: '总计' },
] as const;
export type ApplicantColumn = (typeof APPLICANT_COLUMNS)[number]['key'];

/**
 * The rows of table 三, in the format's order. `group` is the heading a row sits under (the
 * format's merged first column); a row with `sum` is the sum of the rows it names.
 */
export const TABLE3_ROWS: readonly { readonly key: string; readonly label: string; readonly group?: string; readonly subgroup?: string; readonly sum?: readonly string[] }[] = [
  { key: 'new', label: '一、本年新收政府信息公开申请数量' },
  { key: 'carriedIn', label: '二、上年结转政府信息公开申请数量' },
  { key: 'disclosed', label: '（一）予以公开', group: '三、本年度办理结果' },
  { key: 'partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', group: '三、本年度办理结果' },
  ...Object.entries(WITHHOLD_GROUNDS).map(([k, g], i) => ({ key: `withheld.${k}`, label: `${i + 1}.${g.zh}`, group: '三、本年度办理结果', subgroup: '（三）不予公开' })),
  ...Object.entries(UNAVAILABLE_REASONS).map(([k, g], i) => ({ key: `unavailable.${k}`, label: `${i + 1}.${g.zh}`, group: '三、本年度办理结果', subgroup: '（四）无法提供' })),
  ...Object.entries(NOT_PROCESSED_REASONS).map(([k, g], i) => ({ key: `notProcessed.${k}`, label: `${i + 1}.${g.zh}`, group: '三、本年度办理结果', subgroup: '（五）不予处理' })),
  ...Object.entries(OTHER_REASONS).map(([k, g], i) => ({ key: `otherHandling.${k}`, label: `${i + 1}.${g.zh}`, group: '三、本年度办理结果', subgroup: '（六）其他处理' })),
  { key: 'answered', label: '（七）总计', group: '三、本年度办理结果' },
  { key: 'carriedOut', label: '四、结转下年度继续办理' },
];

// --- Table 四: 政府信息公开行政复议、行政诉讼情况 ----------------------------------------------

export const REVIEW_RESULTS = [
  { key: 'upheld', label: '结果维持' },
  { key: 'corrected', label: '结果纠正' },
  { key: 'other', label: '其他结果' },
  { key: 'pending', label: '尚未审结' },
  /** Computed: the sum of the four. */
  { key: 'total', label: '总计' },
] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number]['key'];
/** The three column groups of table 四. */
export const REVIEW_GROUPS = [
  { key: 'reconsideration', label: '行政复议' },
  { key: 'litigationDirect', label: '行政诉讼 · 未经复议直接起诉' },
  { key: 'litigationAfter', label: '行政诉讼 · 复议后起诉' },
] as const;
export type ReviewGroup = (typeof REVIEW_GROUPS)[number]['key'];

// --- The text sections -------------------------------------------------------------------------

export const TEXT_SECTIONS = [
  { key: 'overview', label: '一、总体情况', hint: '主动公开、依申请公开、政府信息管理、平台建设、监督保障等情况；本年度政务公开工作要点落实情况。' },
  { key: 'problems', label: '五、存在的主要问题及改进情况', hint: '存在的主要问题、上年度问题的改进情况和下一步措施。' },
  { key: 'other', label: '六、其他需要报告的事项', hint: '依据《政府信息公开信息处理费管理办法》收取信息处理费的情况（未收取的写明“未收取”），以及其他需要报告的事项。' },
] as const;
export type TextSection = (typeof TEXT_SECTIONS)[number]['key'];
export const TEXT_SECTION_MAX = 20_000;

// --- Cells and the report's record -----------------------------------------------------------

/** Who entered or approved something. */
export const Actor = z.object({ sub: z.string(), name: z.string(), role: z.string() });
export type Actor = z.infer<typeof Actor>;

/**
 * A cell's value and where it comes from: computed by the pipeline (at `at`), or entered by the
 * office (by whom, when). A computed cell cannot be entered; an entered cell is never computed.
 */
export const Cell = z.discriminatedUnion('source', [
  z.object({ source: z.literal('computed'), value: z.number(), at: z.string() }),
  z.object({ source: z.literal('entered'), value: z.number(), by: Actor, at: z.string() }),
]);
export type Cell = z.infer<typeof Cell>;

/** An entered value: a non-negative number (fees in 万元 with up to 4 decimals, all others whole). */
export const EnteredValue = z
  .number({ error: bi('请填写数字。', 'Enter a number.') })
  .min(0, bi('数值不能为负。', 'A value cannot be negative.'))
  .max(1e9, bi('数值过大。', 'The value is too large.'));

export const TextEntry = z.object({ text: z.string().max(TEXT_SECTION_MAX), by: Actor, at: z.string() });
export type TextEntry = z.infer<typeof TextEntry>;

/**
 * The report's life: DRAFT (the office edits it; computed cells are refreshed on each read),
 * SUBMITTED (frozen, in approval), PUBLISHED (in the body's 年度报告 column; never changed again —
 * a correction is a new report of the same year, which supersedes it on the site).
 */
export const REPORT_STATUSES = ['DRAFT', 'SUBMITTED', 'PUBLISHED'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const AnnualReport = z.object({
  body: z.string(),
  /** The calendar year reported (YYYY). */
  year: z.string().regex(/^\d{4}$/),
  status: z.enum(REPORT_STATUSES),
  version: z.number().int(),
  /** Every cell of tables 二, 三 and 四 by id `<table>.<row>.<column>`. */
  cells: z.record(z.string(), Cell),
  sections: z.partialRecord(z.enum(TEXT_SECTIONS.map((s) => s.key) as [TextSection, ...TextSection[]]), TextEntry),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedBy: Actor.optional(),
  submittedAt: z.string().optional(),
  publishedAt: z.string().optional(),
});
export type AnnualReport = z.infer<typeof AnnualReport>;

/** Cell ids. */
export const cellId = {
  table2: (row: string, column: string) => `二.${row}.${column}`,
  table3: (row: string, column: ApplicantColumn) => `三.${row}.${column}`,
  table4: (group: ReviewGroup, result: ReviewResult) => `四.${group}.${result}`,
} as const;

/** The statutory deadline of the report on `year` (条例 Art. 49: 每年 1 月 31 日前). */
export const reportDeadline = (year: string): string => `${Number(year) + 1}-01-31`;
