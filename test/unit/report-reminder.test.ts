import { describe, expect, it } from 'vitest';
import type { ReportStatus } from '#shared/domain/annual-report';
import { dueYear, reportReminder } from '#shared/domain/report-reminder';

/** The 31 January reminder (条例 Art. 49): from 1 January on, the bodies without a published report on the year before. */
const bodies = [
  { id: 'yanhu', name: '运城市盐湖区人民政府' },
  { id: 'fgw', name: '运城市盐湖区发展和改革局' },
  { id: 'jyj', name: '运城市盐湖区教育局' },
  { id: 'town', name: '盐湖区北城街道办事处' },
];
const statuses = new Map<string, ReportStatus | undefined>([
  ['yanhu', 'PUBLISHED'],
  ['fgw', 'SUBMITTED'],
  ['jyj', 'DRAFT'],
]);

describe('reportReminder', () => {
  it('lists the bodies without a published report, with where each stands, from 1 January', () => {
    const r = reportReminder('2027-01-01', bodies, statuses)!;
    expect(r).toMatchObject({ year: '2026', deadline: '2027-01-31', daysLeft: 30, overdue: false });
    expect(r.missing).toEqual([
      { id: 'fgw', name: '运城市盐湖区发展和改革局', status: 'SUBMITTED' },
      { id: 'jyj', name: '运城市盐湖区教育局', status: 'DRAFT' },
      { id: 'town', name: '盐湖区北城街道办事处', status: 'NONE' },
    ]);
  });

  it('counts down to the deadline and keeps listing past it, as overdue', () => {
    expect(reportReminder('2027-01-31', bodies, statuses)).toMatchObject({ daysLeft: 0, overdue: false });
    expect(reportReminder('2027-02-03', bodies, statuses)).toMatchObject({ year: '2026', daysLeft: -3, overdue: true });
    expect(reportReminder('2027-02-03', bodies, statuses)!.missing).toHaveLength(3);
  });

  it('nothing is missing once every body has published', () => {
    const all = new Map(bodies.map((b) => [b.id, 'PUBLISHED' as const]));
    expect(reportReminder('2027-01-20', bodies, all)!.missing).toEqual([]);
  });

  it('the year due is the previous calendar year', () => {
    expect(dueYear('2027-01-05')).toBe('2026');
    expect(dueYear('2026-12-31')).toBe('2025');
  });
});
