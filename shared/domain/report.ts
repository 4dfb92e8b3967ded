/**
 * The counts of the annual report (政府信息公开工作年度报告) that the pipeline knows. Each
 * event is one fact item keyed by (year, metric, document): recording it twice (a retried
 * message) writes the same item, so the counts never double. The report page counts the
 * facts of each year.
 */
export const METRICS = {
  published: '主动公开文件',
  filed: '不主动公开并归档（依申请公开、不予公开）',
  reviewed: '年度复核（不主动公开文件）',
  converted: '复核后转为主动公开',
  withdrawn: '撤回',
} as const;
export type Metric = keyof typeof METRICS;

export type YearCounts = { readonly year: string } & Record<Metric, number>;
