import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { addToSet, ITEM, query } from '#shared/aws/table';
import { env } from '#shared/env';

import { METRICS, type Metric, type YearCounts } from '#shared/domain/report';

export * from '#shared/domain/report';

/** The store of the annual report's facts (what they are: shared/domain/report.ts). */

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
