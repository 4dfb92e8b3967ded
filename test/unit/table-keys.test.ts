import { describe, expect, it } from 'vitest';
import { INDEX, ITEM } from '#shared/aws/table';
import { TABLE } from '#shared/topology';

/** Issue 11.4: the table's keys written once (shared/aws/table.ts); item types never share a key. */
describe('the key registry', () => {
  it('gives each item type keys of its own: no two types share a partition and sort key', () => {
    const keys = [
      ITEM.draft.key('01J'),
      ITEM.draft.historyLine('01J', 3),
      ITEM.idempotency('sub', '01J'),
      ITEM.historical.key('01J'),
      ITEM.site.membership('01J'),
      ITEM.site.years(),
      ITEM.site.years('fgw'),
      ITEM.site.indexNumberCounter('2026'),
      ITEM.site.indexNumberCounter('2026', 'fgw'),
      { pk: ITEM.site.list('catalogue-2026'), sk: ITEM.site.COUNTER },
      { pk: ITEM.site.list('catalogue-2026'), sk: ITEM.site.entry(1, 1) },
      ITEM.report.fact('2026', 'published', '01J'),
      ITEM.report.fact('2026', 'published', '01J', 'fgw'),
      ITEM.report.years(),
      ITEM.report.years('fgw'),
      ITEM.report.counts('2026'),
      ITEM.report.counts('2026', 'fgw'),
      ITEM.validity.day('2026-01-01', '01J'),
      ITEM.validity.pending('01J'),
      ITEM.validity.cursor,
      ITEM.body.key('fgw'),
      ITEM.body.audit('fgw', 1),
      ITEM.body.claim('code', 'fgw'),
      ITEM.body.claim('unit', 'fgw'),
      ITEM.body.claim('name', 'fgw'),
    ];
    const seen = new Set(keys.map((k) => `${k.pk}|${k.sk}`));
    expect(seen.size).toBe(keys.length);
    // An entry's sort key sorts by page, then position, and starts with the entry prefix.
    expect(ITEM.site.entry(2, 1) > ITEM.site.entry(1, 999)).toBe(true);
    expect(ITEM.site.entry(1, 5).startsWith(ITEM.site.pagePrefix(1))).toBe(true);
    expect(ITEM.site.entry(1, 5).startsWith(ITEM.site.ENTRY_PREFIX)).toBe(true);
    // History lines sort in order under the draft's partition.
    expect(ITEM.draft.historyLine('x', 10).sk > ITEM.draft.historyLine('x', 9).sk).toBe(true);
  });

  it('names exactly the indexes the table declares', () => {
    expect(Object.keys(INDEX).sort()).toEqual(Object.keys(TABLE.indexes).sort());
    for (const [k, v] of Object.entries(INDEX)) expect(v).toBe(k);
  });

  it('keeps the partitions of index entries apart (drafts by status, historical records by status)', () => {
    expect(ITEM.draft.byStatus('FILED')).not.toBe(ITEM.historical.byStatus('FILED'));
    expect(ITEM.inbox('approver')).not.toBe(ITEM.draft.byStatus('approver'));
  });
});
