import { getItem, ITEM } from '#shared/aws/table';
import { listBodies } from '#shared/bodies';
import type { ReportStatus } from '#shared/domain/annual-report';
import { dueYear, reportReminder, type ReportReminder } from '#shared/domain/report-reminder';

/**
 * Which bodies have no published 年度报告 for the year due on `today` (shared/domain/report-reminder.ts):
 * the bodies, then one consistent GetItem of each body's report item (ANNUALREPORT#<body> / YEAR#<year>),
 * its status only. Undefined before the reminder's window opens.
 */
export async function reportsDue(today: string): Promise<ReportReminder | undefined> {
  const year = dueYear(today);
  const bodies = await listBodies();
  const statuses = new Map<string, ReportStatus | undefined>(
    await Promise.all(bodies.map(async (b) => [b.id, (await getItem(ITEM.annualReport.key(b.id, year)))?.status as ReportStatus | undefined] as const)),
  );
  return reportReminder(
    today,
    bodies.map((b) => ({ id: b.id, name: b.name })),
    statuses,
  );
}
