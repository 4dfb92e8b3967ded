import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { addToSet, ITEM, query } from '#shared/aws/table';
import { env } from '#shared/env';

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


export async function recordFact(metric: Metric, draftId: string, at: string): Promise<void> {
  const year = at.slice(0, 4);
  await dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...ITEM.report.fact(year, metric, draftId), at } }));
  await addToSet(ITEM.report.years, 'years', year);
}

async function count(year: string, metric: Metric): Promise<number> {
  const { count } = await query({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
    ExpressionAttributeValues: { ':pk': ITEM.report.year(year), ':m': `${metric}#` },
    Select: 'COUNT',
  });
  return count;
}

export type YearCounts = { readonly year: string } & Record<Metric, number>;

/** Counts per year, newest year first. */
export async function reportCounts(): Promise<YearCounts[]> {
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: ITEM.report.years, ConsistentRead: true }));
  const years = [...((res.Item?.years as Set<string> | undefined) ?? [])].sort().reverse();
  const metrics = Object.keys(METRICS) as Metric[];
  return Promise.all(
    years.map(async (year) => {
      const counts = await Promise.all(metrics.map((m) => count(year, m)));
      return { year, ...Object.fromEntries(metrics.map((m, i) => [m, counts[i]!])) } as YearCounts;
    }),
  );
}
