import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).
import { chinaDay } from '#shared/clock';
import { bi, ConflictError, ValidationError, type FieldIssue } from '#shared/errors';
import { NOT_PROCESSED_REASONS, ORGANISATION_KINDS, OTHER_REASONS, UNAVAILABLE_REASONS, WITHHOLD_GROUNDS, type Answer, type Application } from '#shared/domain/application';
import { validityState, type ValidityChange } from '#shared/domain/validity';

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
export const Actor = /* @__PURE__ */ (() => z.object({ sub: z.string(), name: z.string(), role: z.string() }))();
export type Actor = z.infer<typeof Actor>;

/**
 * A cell's value and where it comes from: computed by the pipeline (at `at`), or entered by the
 * office (by whom, when). A computed cell cannot be entered; an entered cell is never computed.
 */
export const Cell = /* @__PURE__ */ (() =>
  z.discriminatedUnion('source', [
    z.object({ source: z.literal('computed'), value: z.number(), at: z.string() }),
    z.object({ source: z.literal('entered'), value: z.number(), by: Actor, at: z.string() }),
  ]))();
export type Cell = z.infer<typeof Cell>;

/** An entered value: a non-negative number (fees in 万元 with up to 4 decimals, all others whole). */
export const EnteredValue = /* @__PURE__ */ (() =>
  z
    .number({ error: bi('请填写数字。', 'Enter a number.') })
    .min(0, bi('数值不能为负。', 'A value cannot be negative.'))
    .max(1e9, bi('数值过大。', 'The value is too large.')))();

export const TextEntry = /* @__PURE__ */ (() => z.object({ text: z.string().max(TEXT_SECTION_MAX), by: Actor, at: z.string() }))();
export type TextEntry = z.infer<typeof TextEntry>;

/**
 * The report's life: DRAFT (the office edits it; computed cells are refreshed on each read),
 * SUBMITTED (frozen, in approval), PUBLISHED (in the body's 年度报告 column; never changed again —
 * a correction is a new report of the same year, which supersedes it on the site).
 */
export const REPORT_STATUSES = ['DRAFT', 'SUBMITTED', 'PUBLISHED'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const AnnualReport = /* @__PURE__ */ (() =>
  z.object({
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
  }))();
export type AnnualReport = z.infer<typeof AnnualReport>;

/** Cell ids. */
export const cellId = {
  table2: (row: string, column: string) => `二.${row}.${column}`,
  table3: (row: string, column: ApplicantColumn) => `三.${row}.${column}`,
  table4: (group: ReviewGroup, result: ReviewResult) => `四.${group}.${result}`,
} as const;

/** The statutory deadline of the report on `year` (条例 Art. 49: 每年 1 月 31 日前). */
export const reportDeadline = (year: string): string => `${Number(year) + 1}-01-31`;

// --- Which cells are computed, which entered ---------------------------------------------------

/** What a cell holds: whole numbers everywhere, but fees in 万元 (up to 4 decimals). */
export interface CellSpec {
  readonly id: string;
  readonly table: '二' | '三' | '四';
  readonly computed: boolean;
  readonly decimals: number;
}

/** Every cell of tables 二, 三 and 四, in the format's order. */
export const CELLS: readonly CellSpec[] = [
  ...TABLE2.flatMap((g) =>
    g.rows.flatMap((r) => g.columns.map((c) => ({ id: cellId.table2(r.key, c.key), table: '二' as const, computed: r.computed, decimals: c.key === 'amount' ? 4 : 0 }))),
  ),
  ...TABLE3_ROWS.flatMap((r) => APPLICANT_COLUMNS.map((c) => ({ id: cellId.table3(r.key, c.key), table: '三' as const, computed: true, decimals: 0 }))),
  ...REVIEW_GROUPS.flatMap((g) => REVIEW_RESULTS.map((r) => ({ id: cellId.table4(g.key, r.key), table: '四' as const, computed: r.key === 'total', decimals: 0 }))),
];
const CELL_BY_ID = new Map(CELLS.map((c) => [c.id, c]));
export const cellSpec = (id: string): CellSpec | undefined => CELL_BY_ID.get(id);
/** The ids of the cells the office enters. */
export const ENTERED_CELLS: readonly string[] = CELLS.filter((c) => !c.computed).map((c) => c.id);

// --- Counting (the rules the computed cells follow) --------------------------------------------

/**
 * Applications received before 1 January of (year − CARRY_IN_YEARS) are not read for the report
 * of `year` (the store reads the byBody index from that day): an application still open, or
 * answered in `year`, more than three calendar years after it was received is not counted. The
 * statutory limit is 20 + 20 working days (plus 补正 and consultation), so none should be.
 */
export const CARRY_IN_YEARS = 3;
export const readFrom = (year: string): string => `${Number(year) - CARRY_IN_YEARS}-01-01`;

/** The part of an application table 三 reads. */
export type CountedApplication = Pick<Application, 'receivedOn' | 'status' | 'decision' | 'history'> & {
  readonly input: { readonly applicant: Pick<Application['input']['applicant'], 'type' | 'organisationKind'> };
};

/** The applicant column of an application: 公民 → 自然人; an organisation by its kind (none given: 其他). */
export function applicantColumn(a: CountedApplication): Exclude<ApplicantColumn, 'total'> {
  const { type, organisationKind } = a.input.applicant;
  if (type === '公民') return 'person';
  const col = APPLICANT_COLUMNS.find((c) => 'kind' in c && c.kind === organisationKind);
  return (col?.key ?? 'other') as Exclude<ApplicantColumn, 'total'>;
}

/** The row of table 三 an answer counts under (部分公开 only in (二); 不予公开 under its first withheld item's ground). */
export function answerRow(answer: Answer): string {
  switch (answer.type) {
    case '予以公开':
      return 'disclosed';
    case '部分公开':
      return 'partial';
    case '不予公开':
      return `withheld.${answer.withheld[0]!.ground}`;
    case '无法提供':
      return `unavailable.${answer.reason}`;
    case '不予处理':
      return `notProcessed.${answer.reason}`;
    case '其他处理':
      return `otherHandling.${answer.reason}`;
  }
}

/**
 * When and how an application was answered, or undefined while it is not:
 * - decided: the day of the decision (`decision.on`, the China day the approver approved the
 *   answer: 作出决定), under the row of its answer;
 * - withdrawn (by the applicant, or recorded by the office for the applicant): the China day of
 *   the withdrawal step, under (六)3 其他.
 * A day before the day received (a letter registered late) counts as the day received.
 */
export function answerOf(a: CountedApplication): { readonly on: string; readonly row: string } | undefined {
  let on: string | undefined;
  let row: string | undefined;
  if (a.decision) {
    on = a.decision.on;
    row = answerRow(a.decision.answer);
  } else if (a.status === 'WITHDRAWN') {
    const w = [...a.history].reverse().find((e) => e.to === 'WITHDRAWN');
    on = w ? chinaDay(new Date(w.at)) : a.receivedOn;
    row = 'otherHandling.other';
  }
  if (!on || !row) return undefined;
  return { on: on < a.receivedOn ? a.receivedOn : on, row };
}

/** The result rows of table 三 ((一) to (六), without the sums). */
export const RESULT_ROWS: readonly string[] = TABLE3_ROWS.filter((r) => r.group && r.key !== 'answered').map((r) => r.key);

/**
 * Table 三 of `year` from a body's applications (China days, YYYY-MM-DD):
 * - 一 本年新收: received (Art. 31 day, `receivedOn`) in `year`;
 * - 二 上年结转: received before 1 January of `year` (from readFrom(year)) and not answered before it;
 * - 三 (一)–(六): answered in `year` (answerOf), each once, in the row of its answer; (七) their sum;
 * - 四 结转下年度继续办理: received by 31 December of `year` and not answered by then.
 * So 一 + 二 = (七) + 四 in every column. Each column is the applicant's; 总计 is their sum.
 */
export function computeTable3(applications: readonly CountedApplication[], year: string): Record<string, number> {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const from = readFrom(year);
  const counts = new Map<string, number>();
  const add = (row: string, col: ApplicantColumn) => {
    const id = cellId.table3(row, col);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  for (const a of applications) {
    if (a.receivedOn < from || a.receivedOn > last) continue;
    const col = applicantColumn(a);
    const ans = answerOf(a);
    const rows: string[] = [];
    if (a.receivedOn >= first) rows.push('new');
    else if (!ans || ans.on >= first) rows.push('carriedIn');
    if (ans && ans.on >= first && ans.on <= last) rows.push(ans.row, 'answered');
    if (!ans || ans.on > last) rows.push('carriedOut');
    for (const r of rows) {
      add(r, col);
      add(r, 'total');
    }
  }
  return Object.fromEntries(CELLS.filter((c) => c.table === '三').map((c) => [c.id, counts.get(c.id) ?? 0]));
}

/** The part of a normative document (an entry of the body's 行政规范性文件 list) table 二 reads. */
export interface CountedNormative {
  readonly documentDate: string;
  readonly validity?: { readonly from?: string; readonly until?: string };
  readonly validityChange?: Pick<ValidityChange, 'kind' | 'date'>;
}

/**
 * Table 二's 行政规范性文件 row of `year`, from the body's published normative documents:
 * - 本年制发: its date (成文日期, `documentDate`) is in `year`;
 * - 本年废止: a 废止 (repeal) recorded with its effective date in `year` (a 修订 is not a 废止:
 *   the revised document is counted as issued in its own year; an expiry is not a 废止 either);
 * - 现行有效: in force on 31 December of `year` (validityState: begun, not expired, not repealed
 *   or amended by then).
 */
export function computeTable2(documents: readonly CountedNormative[], year: string): Record<string, number> {
  const last = `${year}-12-31`;
  const inYear = (d: string | undefined) => !!d && d.slice(0, 4) === year;
  return {
    [cellId.table2('normative', 'issued')]: documents.filter((d) => inYear(d.documentDate)).length,
    [cellId.table2('normative', 'repealed')]: documents.filter((d) => d.validityChange?.kind === 'repealed' && inYear(d.validityChange.date)).length,
    [cellId.table2('normative', 'inForce')]: documents.filter((d) => validityState(d.validity ?? { from: d.documentDate }, d.validityChange, last) === '现行有效').length,
  };
}

/** Table 四's 总计 of each group: the sum of its four entered results (a cell not entered counts 0). */
export function computeTable4(cells: AnnualReport['cells']): Record<string, number> {
  return Object.fromEntries(
    REVIEW_GROUPS.map((g) => [
      cellId.table4(g.key, 'total'),
      REVIEW_RESULTS.filter((r) => r.key !== 'total').reduce((n, r) => n + (cells[cellId.table4(g.key, r.key)]?.value ?? 0), 0),
    ]),
  );
}

/** What the computed cells are computed from. */
export interface ReportFacts {
  readonly applications: readonly CountedApplication[];
  readonly normative: readonly CountedNormative[];
}

/** The entered cells of a report (what a DRAFT keeps). */
export const enteredCells = (cells: AnnualReport['cells']): AnnualReport['cells'] => Object.fromEntries(Object.entries(cells).filter(([, c]) => c.source === 'entered'));

/** The report with its computed cells computed afresh at `at` from `facts` (entered cells kept). */
export function refreshReport(report: AnnualReport, facts: ReportFacts, at: string): AnnualReport {
  const entered = enteredCells(report.cells);
  const values = { ...computeTable2(facts.normative, report.year), ...computeTable3(facts.applications, report.year), ...computeTable4(entered) };
  const computed = Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { source: 'computed' as const, value, at }]));
  return { ...report, cells: { ...computed, ...entered } };
}

/** A new DRAFT report (nothing entered, no cell computed yet). */
export const newReport = (body: string, year: string, at: string): AnnualReport => ({
  body,
  year,
  status: 'DRAFT',
  version: 0,
  cells: {},
  sections: {},
  createdAt: at,
  updatedAt: at,
});

/** What the office sends: values of entered cells (null clears one) and texts of sections ('' clears one). */
export const ReportEntries = /* @__PURE__ */ (() =>
  z
    .object({
      version: z.number().int().min(0),
      cells: z.record(z.string(), EnteredValue.nullable()).optional(),
      sections: z
        .partialRecord(
          z.enum(TEXT_SECTIONS.map((s) => s.key) as [TextSection, ...TextSection[]], {
            error: bi('文字部分应为 overview、problems 或 other。', 'A text section is overview, problems or other.'),
          }),
          z.string().max(TEXT_SECTION_MAX, bi(`每部分文字最多 ${TEXT_SECTION_MAX} 个字符。`, `A text section has at most ${TEXT_SECTION_MAX} characters.`)),
        )
        .optional(),
    })
    .strict())();
export type ReportEntries = z.infer<typeof ReportEntries>;

/**
 * The report with the office's entries applied (at `at`, by `by`): only a DRAFT takes entries;
 * a computed or unknown cell, or a fraction where a whole number is wanted, is refused with a
 * 400 naming the cell. A cell or section whose value does not change keeps who entered it.
 */
export function enterValues(report: AnnualReport, entries: Pick<ReportEntries, 'cells' | 'sections'>, actor: Actor, at: string): AnnualReport {
  const by: Actor = { sub: actor.sub, name: actor.name, role: actor.role };
  if (report.status !== 'DRAFT')
    throw new ConflictError({
      zh: `${report.year} 年度报告已${report.status === 'SUBMITTED' ? '报送审批' : '公开发布'}，不能再修改。`,
      en: `The ${report.year} report is ${report.status}: it can no longer be changed.`,
    });
  const issues: FieldIssue[] = [];
  const cells = { ...report.cells };
  for (const [id, value] of Object.entries(entries.cells ?? {})) {
    const spec = cellSpec(id);
    const field = `cells.${id}`;
    if (!spec) issues.push({ field, zh: `年度报告没有单元格“${id}”。`, en: `The report has no cell "${id}".` });
    else if (spec.computed)
      issues.push({
        field,
        zh: `单元格“${id}”由系统根据${spec.table === '三' ? '申请办理记录' : spec.table === '二' ? '行政规范性文件记录' : '本表各项结果'}计算，不能填报。`,
        en: `The cell "${id}" is computed by the system from its records; it cannot be entered.`,
      });
    else if (value !== null && Number(value.toFixed(spec.decimals)) !== value)
      issues.push({
        field,
        zh: spec.decimals ? `单元格“${id}”最多保留 ${spec.decimals} 位小数。` : `单元格“${id}”应为整数。`,
        en: spec.decimals ? `The cell "${id}" has at most ${spec.decimals} decimals.` : `The cell "${id}" takes a whole number.`,
      });
    else if (value === null) delete cells[id];
    else if (cells[id]?.value !== value || cells[id]?.source !== 'entered') cells[id] = { source: 'entered', value, by, at };
  }
  if (issues.length) throw new ValidationError(issues);
  // Table 四's 总计 follow what was entered.
  for (const [id, value] of Object.entries(computeTable4(cells))) cells[id] = { source: 'computed', value, at };
  const sections = { ...report.sections };
  for (const [key, text] of Object.entries(entries.sections ?? {}) as [TextSection, string][]) {
    if (text.trim() === '') delete sections[key];
    else if (sections[key]?.text !== text) sections[key] = { text, by, at };
  }
  return { ...report, cells, sections, updatedAt: at };
}

/** The moves of a report: submitted for approval (computed cells frozen), returned to draft, published. */
export const REPORT_TRANSITIONS: Record<ReportStatus, readonly ReportStatus[]> = { DRAFT: ['SUBMITTED'], SUBMITTED: ['DRAFT', 'PUBLISHED'], PUBLISHED: [] };

/** The entered cells the format has that the office has not entered yet. */
export const missingCells = (report: Pick<AnnualReport, 'cells'>): string[] => ENTERED_CELLS.filter((id) => !report.cells[id]);

// --- What the API answers ----------------------------------------------------------------------

/** One report as the API shows it: every cell present with its source (and who / when for entered ones), the entered cells still missing, the deadline. */
const Labelled = /* @__PURE__ */ (() => z.object({ key: z.string(), label: z.string() }))();
/** The format as data, for a client that lays the tables out (the console): the same declarations as above. */
export const ReportFormat = /* @__PURE__ */ (() =>
  z.object({
    table2: z.array(z.object({ item: z.string(), columns: z.array(Labelled), rows: z.array(Labelled.extend({ computed: z.boolean() })) })),
    applicantColumns: z.array(Labelled),
    table3Rows: z.array(Labelled.extend({ group: z.string().optional(), subgroup: z.string().optional() })),
    reviewGroups: z.array(Labelled),
    reviewResults: z.array(Labelled),
    textSections: z.array(Labelled.extend({ hint: z.string() })),
  }))();
export const REPORT_FORMAT: z.infer<typeof ReportFormat> = {
  table2: TABLE2.map((g) => ({
    item: g.item,
    columns: g.columns.map(({ key, label }) => ({ key, label })),
    rows: g.rows.map(({ key, label, computed }) => ({ key, label, computed })),
  })),
  applicantColumns: APPLICANT_COLUMNS.map(({ key, label }) => ({ key, label })),
  table3Rows: TABLE3_ROWS.map(({ key, label, group, subgroup }) => ({ key, label, ...(group ? { group } : {}), ...(subgroup ? { subgroup } : {}) })),
  reviewGroups: REVIEW_GROUPS.map(({ key, label }) => ({ key, label })),
  reviewResults: REVIEW_RESULTS.map(({ key, label }) => ({ key, label })),
  textSections: TEXT_SECTIONS.map(({ key, label, hint }) => ({ key, label, hint })),
};

export const AnnualReportView = /* @__PURE__ */ (() =>
  AnnualReport.extend({
    /** The format's rows, columns and labels (国办公开办函〔2021〕30号), to lay the tables out. */
    format: ReportFormat,
    deadline: z.string(),
    /** Entered cells the office has not entered yet. */
    missing: z.array(z.string()),
    /** Whether it is stored (a report never saved is shown as a DRAFT at version 0). */
    stored: z.boolean(),
  }))();
export type AnnualReportView = z.infer<typeof AnnualReportView>;

export const reportView = (r: AnnualReport): AnnualReportView => ({
  ...r,
  deadline: reportDeadline(r.year),
  missing: missingCells(r),
  stored: r.version > 0,
  format: REPORT_FORMAT,
});

/** A body's reports: each year with its status; and the year whose report is due now. */
export const AnnualReportList = /* @__PURE__ */ (() =>
  z.object({
    body: z.string(),
    reports: z.array(z.object({ year: z.string(), status: z.enum(REPORT_STATUSES), version: z.number().int(), updatedAt: z.string(), deadline: z.string() })),
    due: z.object({ year: z.string(), deadline: z.string(), started: z.boolean() }),
  }))();
