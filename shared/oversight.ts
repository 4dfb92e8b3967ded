import { addToSet, getItem, ITEM, putNew, query } from '#shared/aws/table';
import { YEAR_FIGURES, scopeFigures, type DayIndex, type Fact, type Facts, type OversightReport, type ScopeCounts, type YearFigure } from '#shared/domain/oversight';

export * from '#shared/domain/oversight';

/**
 * The store of 监督考核 (what the facts are: shared/domain/oversight.ts). Each fact is an item
 * written only if absent (putNew), once for the body and once for the drafting unit: a retried
 * message or request writes nothing new, so nothing counts twice; a retry after a crash between
 * the two writes completes the missing one. The figures are Select COUNT queries on a figure's
 * partition (year figures) or a range of a day index (normative documents up to a day): their cost
 * follows the facts of one body and year, never the number of drafts.
 */

const BODY = ITEM.oversight.BODY_SCOPE;

async function put(body: string, scope: string, f: Fact): Promise<void> {
  const item =
    f.kind === 'year'
      ? { ...ITEM.oversight.fact(body, scope, f.year, f.figure, f.subject), subject: f.subject }
      : { ...ITEM.oversight.entry(body, scope, f.index, f.day, f.subject), subject: f.subject, day: f.day, ...(f.attrs ?? {}) };
  await putNew(item);
}

/** Records an event's facts for its body and its drafting unit (idempotent). */
export async function recordOversight({ body, unit, facts }: Facts): Promise<void> {
  if (facts.length === 0) return;
  if (unit) await addToSet(ITEM.oversight.units(body), 'units', unit);
  for (const f of facts) {
    await put(body, BODY, f);
    if (unit) await put(body, unit, f);
  }
}

async function countYear(body: string, scope: string, year: string, figure: YearFigure): Promise<number> {
  const { count } = await query({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ITEM.oversight.figure(body, scope, year, figure) }, Select: 'COUNT' });
  return count;
}

/** Entries of a day index up to and including `day` (or, `after`, from the day after), optionally filtered on the entry's attributes. */
async function countDays(body: string, scope: string, index: DayIndex, range: { upTo: string } | { after: string }, filter?: { expr: string; values: Record<string, string> }) {
  const up = 'upTo' in range;
  const { count } = await query({
    KeyConditionExpression: up ? 'pk = :pk AND sk <= :d' : 'pk = :pk AND sk > :d',
    // '~' sorts after every subject character: the whole day is included (or excluded).
    ExpressionAttributeValues: { ':pk': ITEM.oversight.index(body, scope, index), ':d': `${up ? range.upTo : range.after}#~`, ...(filter?.values ?? {}) },
    ...(filter ? { FilterExpression: filter.expr } : {}),
    Select: 'COUNT',
  });
  return count;
}

function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

async function scopeCounts(body: string, scope: string, year: string, refDay: string): Promise<ScopeCounts> {
  const figures = await Promise.all(YEAR_FIGURES.map((f) => countYear(body, scope, year, f)));
  const published = { expr: 'publishedOn <= :r', values: { ':r': refDay } };
  // Expired on refDay: the 有效期 ended before it (validityState: day > until).
  const before = dayBefore(refDay);
  const [pub, repealed, amended, expired, expiredButChanged, notYet] = await Promise.all([
    countDays(body, scope, 'normative.published', { upTo: refDay }),
    countDays(body, scope, 'normative.repealed', { upTo: refDay }),
    countDays(body, scope, 'normative.amended', { upTo: refDay }),
    countDays(body, scope, 'normative.expiry', { upTo: before }, published),
    countDays(body, scope, 'normative.changedExpiry', { upTo: before }, { expr: 'changedOn <= :r', values: { ':r': refDay } }),
    countDays(body, scope, 'normative.start', { after: refDay }, published),
  ]);
  return {
    year: Object.fromEntries(YEAR_FIGURES.map((f, i) => [f, figures[i]!])) as Record<YearFigure, number>,
    normative: { published: pub, repealed, amended, expired, expiredButChanged, notYetInForce: notYet },
  };
}

/** The drafting units of a body that have facts, beside those the body lists. */
export async function unitsWithFacts(body: string): Promise<string[]> {
  const item = await getItem(ITEM.oversight.units(body));
  return [...((item?.units as Set<string> | undefined) ?? [])];
}

/** A body's figures for `year`, then each unit's (`units`: the body's, in its order, then any others with facts). */
export async function oversightReport(body: { id: string; name: string; units: readonly string[] }, year: string, refDay: string, targetPercent: number): Promise<OversightReport> {
  const recorded = await unitsWithFacts(body.id);
  const units = [...body.units, ...recorded.filter((u) => !body.units.includes(u)).sort()];
  const [own, ...perUnit] = await Promise.all([scopeCounts(body.id, BODY, year, refDay), ...units.map((u) => scopeCounts(body.id, u, year, refDay))]);
  return {
    body: { id: body.id, name: body.name },
    year,
    referenceDay: refDay,
    targetPercent,
    rows: [scopeFigures('body', body.name, own!, year), ...units.map((u, i) => scopeFigures('unit', u, perUnit[i]!, year))],
  };
}
