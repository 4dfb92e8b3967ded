import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '#shared/aws/clients';
import { addToSet, getItem, ITEM, putNew, query } from '#shared/aws/table';
import { env } from '#shared/env';
import { siteConfig } from '#shared/site/config';
import { readAll, writeAll } from '#shared/site/catalogue';

import { METRICS, type Metric, type YearCounts } from '#shared/domain/report';

export * from '#shared/domain/report';

/**
 * The store of the annual report's facts (what they are: shared/domain/report.ts).
 *
 * Items, per body and year (the top body's keep the keys from before bodies):
 *   SITE#REPORT[#<body>]#<year> / <metric>#<id>  one fact per document and event, written once
 *                                                 (v: 2; `counting` while its count is added)
 *   SITE#REPORT[#<body>]#<year> / #COUNTS         one number per metric, added to with each new
 *                                                 fact; `pending`: the facts being counted;
 *                                                 `migrated`: the facts from before counters
 *                                                 (no v) are added in
 *   SITE#REPORTYEARS[#<body>] / #SET              the years with facts
 *
 * The report column reads one counter item per year (issue 17.2: before, it counted every fact
 * of the year on each run). A fact is counted exactly once however often it is recorded: it is
 * created only if absent (with `counting`); the counter is added to only if its `pending` set
 * does not hold the fact yet (the add puts it there, in the same write); then the fact loses
 * `counting` and the set loses the fact. A retry after a crash anywhere in between finds the fact
 * still `counting` and the set telling whether the add happened. A fact is never recorded twice
 * at once: render-site (publication, withdrawal) is the one consumer of a FIFO queue, and
 * decide-task records after its version-checked write, which one request alone wins.
 */

/** The key part of a body (the top body's facts keep the keys from before bodies). */
const scope = (body: string) => (body === siteConfig.bodyId ? undefined : body);
const METRIC_NAMES = Object.keys(METRICS) as Metric[];

async function update(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<boolean> {
  try {
    await dynamo().send(new UpdateCommand({ TableName: env.tableName(), ...input }));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Records that `draftId` of `body` was published or withdrawn at `at` (one fact per document and event, counted once: idempotent). */
export async function recordFact(metric: Metric, draftId: string, at: string, body: string): Promise<void> {
  const year = at.slice(0, 4);
  const s = scope(body);
  const fact = ITEM.report.fact(year, metric, draftId, s);
  const counts = ITEM.report.counts(year, s);
  const token = `${metric}#${draftId}`;
  await addToSet(ITEM.report.years(s), 'years', year);
  if (!(await putNew({ ...fact, at, v: 2, counting: true }))) {
    const stored = await getItem(fact);
    // Counted already — by this protocol, or (no v) by the migration of facts from before counters;
    // the set may still hold it if a run stopped just before its last step.
    if (!stored?.counting) {
      if (stored?.v === 2) await update({ Key: counts, UpdateExpression: 'DELETE pending :t', ExpressionAttributeValues: { ':t': new Set([token]) } });
      return;
    }
  }
  // Counted once: the add is made only while the pending set does not hold the fact.
  await update({
    Key: counts,
    UpdateExpression: 'ADD #m :one, pending :t',
    ConditionExpression: 'NOT contains(pending, :s)',
    ExpressionAttributeNames: { '#m': metric },
    ExpressionAttributeValues: { ':one': 1, ':t': new Set([token]), ':s': token },
  });
  await update({ Key: fact, UpdateExpression: 'REMOVE counting' });
  await update({ Key: counts, UpdateExpression: 'DELETE pending :t', ExpressionAttributeValues: { ':t': new Set([token]) } });
}

/** One fact to record (recordFacts). */
export interface Fact {
  readonly metric: Metric;
  readonly draftId: string;
  readonly at: string;
  readonly body: string;
}

/**
 * Records many facts at once, by the same protocol as recordFact and with its guarantee (each
 * counted exactly once, however often it is recorded or wherever a run stopped), in a few
 * requests per body and year instead of five per fact: the facts read in one batch; the new ones
 * created `counting` in batch writes; each year's counter added to once, for the facts its
 * `pending` set does not hold yet (read just before, consistently), the add putting them there;
 * then the facts lose `counting` (written again without it) and the set loses them. Only for a
 * recorder that is alone on its facts (render-site, the one consumer of a FIFO queue, for
 * publications and withdrawals): the facts are created by unconditional writes after the read.
 */
export async function recordFacts(facts: readonly Fact[]): Promise<void> {
  if (!facts.length) return;
  const all = facts.map((f) => {
    const s = scope(f.body);
    const year = f.at.slice(0, 4);
    return { f, s, year, fact: ITEM.report.fact(year, f.metric, f.draftId, s), counts: ITEM.report.counts(year, s), token: `${f.metric}#${f.draftId}` };
  });
  // Each fact once (a batch write takes a key once).
  const keyed = [...new Map(all.map((k) => [`${k.fact.pk}|${k.fact.sk}`, k])).values()];
  // The years with facts, one update per body.
  const years = new Map<string, { s: string | undefined; years: Set<string> }>();
  for (const k of keyed) {
    const y = years.get(k.s ?? '') ?? { s: k.s, years: new Set<string>() };
    y.years.add(k.year);
    years.set(k.s ?? '', y);
  }
  await Promise.all(
    [...years.values()].map((y) =>
      update({ Key: ITEM.report.years(y.s), UpdateExpression: 'ADD #a :v', ExpressionAttributeNames: { '#a': 'years' }, ExpressionAttributeValues: { ':v': y.years } }),
    ),
  );
  const stored = new Map((await readAll(keyed.map((k) => k.fact))).map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
  const at = (k: (typeof keyed)[number]) => stored.get(`${k.fact.pk}|${k.fact.sk}`);
  const fresh = keyed.filter((k) => !at(k));
  await writeAll(fresh.map((k) => ({ PutRequest: { Item: { ...k.fact, at: k.f.at, v: 2, counting: true } } })));
  // To count: the new facts and those a stopped run left `counting`; done: the others (from before counters: no v).
  const counting = keyed.filter((k) => !at(k) || at(k)!.counting);
  const settled = keyed.filter((k) => at(k) && !at(k)!.counting && at(k)!.v === 2);
  const byCounts = new Map<string, { counts: (typeof keyed)[number]['counts']; add: typeof keyed; clear: Set<string> }>();
  const group = (k: (typeof keyed)[number]) => {
    const id = `${k.counts.pk}|${k.counts.sk}`;
    const g = byCounts.get(id) ?? { counts: k.counts, add: [], clear: new Set<string>() };
    byCounts.set(id, g);
    return g;
  };
  for (const k of counting) group(k).add.push(k);
  for (const k of settled) group(k).clear.add(k.token);
  await Promise.all(
    [...byCounts.values()].map(async (g) => {
      if (g.add.length) {
        const item = await getItem(g.counts);
        const pending = (item?.pending as Set<string> | undefined) ?? new Set<string>();
        const adding = g.add.filter((k) => !pending.has(k.token));
        if (adding.length) {
          const byMetric = new Map<Metric, number>();
          for (const k of adding) byMetric.set(k.f.metric, (byMetric.get(k.f.metric) ?? 0) + 1);
          const metrics = [...byMetric];
          await update({
            Key: g.counts,
            UpdateExpression: `ADD ${metrics.map((_, i) => `#m${i} :n${i}`).join(', ')}, pending :t`,
            ExpressionAttributeNames: Object.fromEntries(metrics.map(([m], i) => [`#m${i}`, m])),
            ExpressionAttributeValues: { ...Object.fromEntries(metrics.map(([, n], i) => [`:n${i}`, n])), ':t': new Set(adding.map((k) => k.token)) },
          });
        }
        // Counted: the facts lose `counting` (written again as they are, without it).
        await writeAll(g.add.map((k) => ({ PutRequest: { Item: { ...k.fact, at: (at(k)?.at as string | undefined) ?? k.f.at, v: 2 } } })));
        for (const k of g.add) g.clear.add(k.token);
      }
      if (g.clear.size) await update({ Key: g.counts, UpdateExpression: 'DELETE pending :t', ExpressionAttributeValues: { ':t': g.clear } });
    }),
  );
}

/**
 * Adds the facts recorded before counters (no v) to a year's counters, once (the first read of a
 * year after the upgrade; a year begun since has none and costs one query of its few facts).
 * Facts recorded meanwhile carry v and are counted by recordFact, never here.
 */
async function migrate(year: string, body: string): Promise<Record<Metric, number>> {
  const s = scope(body);
  const legacy = await Promise.all(
    METRIC_NAMES.map(async (m) => {
      const { count } = await query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
        FilterExpression: 'attribute_not_exists(v)',
        ExpressionAttributeValues: { ':pk': ITEM.report.year(year, s), ':m': `${m}#` },
        Select: 'COUNT',
      });
      return count;
    }),
  );
  await update({
    Key: ITEM.report.counts(year, s),
    UpdateExpression: `SET migrated = :t ADD ${METRIC_NAMES.map((_, i) => `#m${i} :n${i}`).join(', ')}`,
    ConditionExpression: 'attribute_not_exists(migrated)',
    ExpressionAttributeNames: Object.fromEntries(METRIC_NAMES.map((m, i) => [`#m${i}`, m])),
    ExpressionAttributeValues: { ':t': true, ...Object.fromEntries(legacy.map((n, i) => [`:n${i}`, n])) },
  });
  const item = await getItem(ITEM.report.counts(year, s));
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, Number(item?.[m] ?? 0)])) as Record<Metric, number>;
}

/** A body's counts per year, newest year first: one counter item per year, whatever the year's events. */
export async function reportCounts(body: string): Promise<YearCounts[]> {
  const s = scope(body);
  const item = await getItem(ITEM.report.years(s));
  const years = [...((item?.years as Set<string> | undefined) ?? [])].sort().reverse();
  return Promise.all(
    years.map(async (year) => {
      const counts = await getItem(ITEM.report.counts(year, s));
      const figures = counts?.migrated ? (Object.fromEntries(METRIC_NAMES.map((m) => [m, Number(counts[m] ?? 0)])) as Record<Metric, number>) : await migrate(year, body);
      return { year, ...figures } as YearCounts;
    }),
  );
}
