import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { ITEM, query } from '#shared/aws/table';
import { env } from '#shared/env';

/**
 * When the pages of normative documents must be rendered again because their validity
 * changed (issue 15 item 6), kept so that the refresh touches only those documents:
 *
 *   SITE#VALIDITY / DAY#<day>#<id>   the document's state changes on <day> (it takes effect,
 *                                    expires, or a 废止 / 修订 takes effect)
 *   SITE#VALIDITY / PENDING#<id>     a 废止 / 修订 was recorded and its pages are not rendered
 *                                    yet; written by the API before the draft, so a lost
 *                                    message is made up by the next site run
 *   SITE#VALIDITY / #CURSOR          the last day whose changes were rendered
 *
 * The refresh reads the days in (cursor, today]: its cost follows the documents that change,
 * not the number of normative documents.
 */

const PK = ITEM.validity.PK;
const table = () => env.tableName();

export async function recordValidityDays(id: string, days: readonly string[]): Promise<void> {
  await Promise.all(days.map((day) => dynamo().send(new PutCommand({ TableName: table(), Item: { ...ITEM.validity.day(day, id), id, day } }))));
}

export async function markValidityPending(id: string): Promise<void> {
  await dynamo().send(new PutCommand({ TableName: table(), Item: { ...ITEM.validity.pending(id), id } }));
}

export async function clearValidityPending(id: string): Promise<void> {
  await dynamo().send(new DeleteCommand({ TableName: table(), Key: ITEM.validity.pending(id) }));
}

async function queryIds(condition: string, values: Record<string, string>): Promise<string[]> {
  const { items } = await query({ KeyConditionExpression: `pk = :pk AND ${condition}`, ExpressionAttributeValues: { ':pk': PK, ...values }, ConsistentRead: true });
  return items.map((item) => String(item.id));
}

/** Documents whose 废止 / 修订 waits to be rendered. */
export const pendingValidity = (): Promise<string[]> => queryIds('begins_with(sk, :p)', { ':p': ITEM.validity.PENDING_PREFIX });

/**
 * Documents whose state changed after the cursor, up to `today`; `cursor` undefined when no
 * refresh has run yet (the caller then renders every normative document once).
 */
export async function dueValidity(today: string): Promise<{ cursor: string | undefined; ids: string[] }> {
  const res = await dynamo().send(new GetCommand({ TableName: table(), Key: ITEM.validity.cursor, ConsistentRead: true }));
  const cursor = res.Item?.day as string | undefined;
  if (!cursor) return { cursor: undefined, ids: [] };
  if (cursor >= today) return { cursor, ids: [] };
  // '~' sorts after every id character: (cursor, today] exactly.
  const ids = await queryIds('sk BETWEEN :a AND :b', { ':a': `DAY#${cursor}#~`, ':b': `DAY#${today}#~` });
  return { cursor, ids: [...new Set(ids)] };
}

export async function setValidityCursor(day: string): Promise<void> {
  await dynamo().send(new PutCommand({ TableName: table(), Item: { ...ITEM.validity.cursor, day } }));
}
