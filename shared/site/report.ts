import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { addToSet, ITEM, query } from '#shared/aws/table';
import { env } from '#shared/env';
import { siteConfig } from '#shared/site/config';

import { METRICS, type Metric, type YearCounts } from '#shared/domain/report';

export * from '#shared/domain/report';

/** The store of the annual report's facts (what they are: shared/domain/report.ts). */

/** The key part of a body (the top body's facts keep the keys from before bodies). */
const scope = (body: string) => (body === siteConfig.bodyId ? undefined : body);

/** Records that `draftId` of `body` was published or withdrawn at `at` (one item per document and event: idempotent). */
export async function recordFact(metric: Metric, draftId: string, at: string, body: string): Promise<void> {
  const year = at.slice(0, 4);
  await dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...ITEM.report.fact(year, metric, draftId, scope(body)), at } }));
  await addToSet(ITEM.report.years(scope(body)), 'years', year);
}

async function count(year: string, metric: Metric, body: string): Promise<number> {
  const { count } = await query({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
    ExpressionAttributeValues: { ':pk': ITEM.report.year(year, scope(body)), ':m': `${metric}#` },
    Select: 'COUNT',
  });
  return count;
}

/** A body's counts per year, newest year first. */
export async function reportCounts(body: string): Promise<YearCounts[]> {
  const res = await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: ITEM.report.years(scope(body)), ConsistentRead: true }));
  const years = [...((res.Item?.years as Set<string> | undefined) ?? [])].sort().reverse();
  const metrics = Object.keys(METRICS) as Metric[];
  return Promise.all(
    years.map(async (year) => {
      const counts = await Promise.all(metrics.map((m) => count(year, m, body)));
      return { year, ...Object.fromEntries(metrics.map((m, i) => [m, counts[i]!])) } as YearCounts;
    }),
  );
}
