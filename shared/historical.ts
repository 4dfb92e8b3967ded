import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { INDEX, ITEM, putNew, query, replaceVersioned, VersionConflict } from '#shared/aws/table';
import { HISTORICAL_ID, HistoricalRecord, type HistoricalStatus } from '#shared/domain/historical';
import { env } from '#shared/env';
import { ConflictError, NotFoundError } from '#shared/errors';

/** The store of historical documents (the records and views are domain: shared/domain/historical.ts). */
export * from '#shared/domain/historical';

const toItem = (r: HistoricalRecord) => ({ ...r, ...ITEM.historical.key(r.id), gsi1pk: ITEM.historical.byStatus(r.status), gsi1sk: `${r.importedAt}#${r.id}` });

/** Stores a new record; false when one with this id exists already (the document was imported before). */
export const putHistorical = (r: HistoricalRecord): Promise<boolean> => putNew(toItem(r));

export async function getHistorical(id: string | undefined): Promise<HistoricalRecord> {
  const res = id && HISTORICAL_ID.test(id) ? await dynamo().send(new GetCommand({ TableName: env.tableName(), Key: ITEM.historical.key(id), ConsistentRead: true })) : undefined;
  if (!res?.Item) throw new NotFoundError({ zh: `找不到历史文件 ${id ?? ''}。`, en: `No historical document with id ${id ?? ''}.` });
  return HistoricalRecord.parse(res.Item);
}

/** Replaces the record if it is still at the version it was read at. */
export async function replaceHistorical(prev: HistoricalRecord, next: Omit<HistoricalRecord, 'version'>): Promise<HistoricalRecord> {
  const item = { ...next, version: prev.version + 1 };
  try {
    await replaceVersioned(toItem(item), prev.version);
    return item;
  } catch (err) {
    if (err instanceof VersionConflict) {
      throw new ConflictError({ zh: '该历史文件已被他人更新，请刷新后重试。', en: 'The historical document was changed by someone else; reload and try again.' }, { cause: err });
    }
    throw err;
  }
}

/** Records in a status, in import order. */
export async function listHistorical(status: HistoricalStatus, limit = 500): Promise<HistoricalRecord[]> {
  const { items } = await query(
    { IndexName: INDEX.byStatus, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': ITEM.historical.byStatus(status) } },
    { limit, pageSize: 100 },
  );
  return items.map((item) => HistoricalRecord.parse(item));
}
