import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { HISTORICAL_ID, HistoricalRecord, type HistoricalStatus } from '#shared/domain/historical';
import { env } from '#shared/env';
import { ConflictError, NotFoundError } from '#shared/errors';
import { TABLE } from '#shared/topology';

/** The store of historical documents (the records and views are domain: shared/domain/historical.ts). */
export * from '#shared/domain/historical';

const key = (id: string) => ({ [TABLE.partitionKey]: `HIST#${id}`, [TABLE.sortKey]: 'HIST' });
const toItem = (r: HistoricalRecord) => ({ ...r, ...key(r.id), gsi1pk: `HISTORICAL#${r.status}`, gsi1sk: `${r.importedAt}#${r.id}` });

/** Stores a new record; false when one with this id exists already (the document was imported before). */
export async function putHistorical(r: HistoricalRecord): Promise<boolean> {
  try {
    await dynamo().send(new PutCommand({ TableName: env.tableName(), Item: toItem(r), ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

export async function getHistorical(id: string | undefined): Promise<HistoricalRecord> {
  const res = id && HISTORICAL_ID.test(id) ? await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: key(id), ConsistentRead: true })) : undefined;
  if (!res?.Item) throw new NotFoundError({ zh: `找不到历史文件 ${id ?? ''}。`, en: `No historical document with id ${id ?? ''}.` });
  return HistoricalRecord.parse(res.Item);
}

/** Replaces the record if it is still at the version it was read at. */
export async function replaceHistorical(prev: HistoricalRecord, next: Omit<HistoricalRecord, 'version'>): Promise<HistoricalRecord> {
  const item = { ...next, version: prev.version + 1 };
  try {
    await dynamo().send(
      new PutCommand({
        TableName: env.tableName(),
        Item: toItem(item),
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':expected': prev.version },
      }),
    );
    return item;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      throw new ConflictError({ zh: '该历史文件已被他人更新，请刷新后重试。', en: 'The historical document was changed by someone else; reload and try again.' }, { cause: err });
    }
    throw err;
  }
}

/** Records in a status, in import order. */
export async function listHistorical(status: HistoricalStatus, limit = 500): Promise<HistoricalRecord[]> {
  const out: HistoricalRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await dynamo().send(
      new QueryCommand({
        TableName: env.tableName(),
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `HISTORICAL#${status}` },
        ExclusiveStartKey: startKey,
        Limit: Math.min(limit - out.length, 100),
      }),
    );
    for (const item of res.Items ?? []) out.push(HistoricalRecord.parse(item));
    startKey = res.LastEvaluatedKey;
  } while (startKey && out.length < limit);
  return out;
}

/** The view the API returns. */
