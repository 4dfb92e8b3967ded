import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runAs } from '#infra/local/grants';
import { dynamo } from '#shared/aws/clients';
import { getItem, ITEM } from '#shared/aws/table';
import { env } from '#shared/env';
import { recordFact, reportCounts } from '#shared/site/report';
import { siteConfig } from '#shared/site/config';
import { startTestStack, type TestStack } from '../support/stack.ts';

/**
 * The annual report's counts (系统统计) as stored counters (issue 17.2), on the emulators: each
 * fact counted once however often it is recorded, a run stopped between any two steps made up by
 * the retry without counting twice, bodies and years apart, and the facts of a store from before
 * counters counted once by the first read.
 */
let stack: TestStack;
const TOP = siteConfig.bodyId;
const as = <T>(f: () => Promise<T>) => runAs('render-site', f);
const zero = { published: 0, filed: 0, reviewed: 0, converted: 0, withdrawn: 0 };

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => {
  await stack?.cleanup();
});

describe('annual-report counters', () => {
  it('count each fact once per year and body, however often it is recorded', async () => {
    await as(async () => {
      await recordFact('published', 'D1', '2025-03-01T00:00:00.000Z', TOP);
      await recordFact('published', 'D2', '2025-04-01T00:00:00.000Z', TOP);
      await recordFact('published', 'D1', '2025-03-01T00:00:00.000Z', TOP); // a redelivery
      await recordFact('withdrawn', 'D1', '2026-01-05T00:00:00.000Z', TOP);
      await recordFact('published', 'D3', '2025-05-01T00:00:00.000Z', 'fgw');
      await recordFact('published', 'D3', '2025-05-01T00:00:00.000Z', 'fgw');
    });
    expect(await as(() => reportCounts(TOP))).toEqual([
      { year: '2026', ...zero, withdrawn: 1 },
      { year: '2025', ...zero, published: 2 },
    ]);
    expect(await as(() => reportCounts('fgw'))).toEqual([{ year: '2025', ...zero, published: 1 }]);
    // Nothing is left pending once the facts are counted.
    expect((await as(() => getItem(ITEM.report.counts('2025'))))?.pending).toBeUndefined();
  });

  it('a retry after a run stopped between the steps counts the fact once', async () => {
    const year = '2024';
    const counts = ITEM.report.counts(year);
    // Stopped after the fact was created, before the counter was added to: the retry counts it.
    await as(() => dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...ITEM.report.fact(year, 'filed', 'E1'), at: `${year}-02-01`, v: 2, counting: true } })));
    // Stopped after the counter was added to (the fact in its pending set), before the fact was marked: not counted again.
    await as(() => dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...ITEM.report.fact(year, 'filed', 'E2'), at: `${year}-02-02`, v: 2, counting: true } })));
    await as(() =>
      dynamo().send(
        new UpdateCommand({
          TableName: env.tableName(),
          Key: counts,
          UpdateExpression: 'ADD filed :one, pending :t',
          ExpressionAttributeValues: { ':one': 1, ':t': new Set(['filed#E2']) },
        }),
      ),
    );
    await as(async () => {
      await recordFact('filed', 'E1', `${year}-02-01T00:00:00.000Z`, TOP);
      await recordFact('filed', 'E2', `${year}-02-02T00:00:00.000Z`, TOP);
      await recordFact('filed', 'E2', `${year}-02-02T00:00:00.000Z`, TOP);
    });
    const rows = await as(() => reportCounts(TOP));
    expect(rows.find((r) => r.year === year)).toEqual({ year, ...zero, filed: 2 });
    expect((await as(() => getItem(counts)))?.pending).toBeUndefined();
  });

  it('counts the facts of a store from before counters once, and those recorded after them on top', async () => {
    const body = 'jyj';
    // What the release before counters left: fact items and the years set, no counter.
    for (const [metric, id] of [
      ['published', 'L1'],
      ['published', 'L2'],
      ['reviewed', 'L3'],
    ] as const) {
      await as(() => dynamo().send(new PutCommand({ TableName: env.tableName(), Item: { ...ITEM.report.fact('2023', metric, id, body), at: '2023-06-01T00:00:00.000Z' } })));
    }
    await as(() =>
      dynamo().send(
        new UpdateCommand({ TableName: env.tableName(), Key: ITEM.report.years(body), UpdateExpression: 'ADD years :y', ExpressionAttributeValues: { ':y': new Set(['2023']) } }),
      ),
    );
    // A fact recorded after the upgrade, before the first read; and an old one recorded again.
    await as(async () => {
      await recordFact('published', 'N1', '2023-07-01T00:00:00.000Z', body);
      await recordFact('published', 'L1', '2023-06-01T00:00:00.000Z', body);
    });
    const expected = [{ year: '2023', ...zero, published: 3, reviewed: 1 }];
    expect(await as(() => reportCounts(body))).toEqual(expected);
    // Read again (migrated once) and after one more fact.
    expect(await as(() => reportCounts(body))).toEqual(expected);
    await as(() => recordFact('published', 'N2', '2023-08-01T00:00:00.000Z', body));
    expect(await as(() => reportCounts(body))).toEqual([{ year: '2023', ...zero, published: 4, reviewed: 1 }]);
  });
});
