import * as z from 'zod';
// Each schema is built in a pure IIFE (`/* @__PURE__ */ (() => …)()`): a function's bundle leaves out the schemas it never
// uses, rather than building them at every cold start (issue 17.5; test/unit/cold-imports.test.ts).
import { REPORT_STATUSES, reportDeadline, type ReportStatus } from '#shared/domain/annual-report';

/**
 * The reminder of 条例 Art. 49 (每年 1 月 31 日前公布上一年度的年度报告): from REMINDER_FROM of
 * year Y + 1 on, the bodies whose report on year Y is not published yet — none written, still a
 * DRAFT, or SUBMITTED and waiting for approval — with the days left to 31 January (negative
 * once it has passed: overdue, still listed until published). A later REMINDER_FROM (e.g. '01-15')
 * would open the window later. Pure: the watcher reads the statuses (shared/annual-report-reminder.ts).
 */

/** The day of year Y + 1 from which the bodies without a published report on Y are listed. */
export const REMINDER_FROM = '01-01';

export interface ReminderBody {
  readonly id: string;
  readonly name: string;
}

export interface ReportReminder {
  /** The year reported (YYYY). */
  readonly year: string;
  /** 31 January of year + 1. */
  readonly deadline: string;
  /** Calendar days from today to the deadline (0 on the day; negative when it has passed). */
  readonly daysLeft: number;
  readonly overdue: boolean;
  /** The bodies without a published report on `year`, with where theirs stands. */
  readonly missing: readonly (ReminderBody & { readonly status: 'NONE' | Exclude<ReportStatus, 'PUBLISHED'> })[];
}

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The year whose report is due on `today` (a China day, YYYY-MM-DD): the previous calendar year. */
export const dueYear = (today: string): string => String(Number(today.slice(0, 4)) - 1);

/**
 * The reminder on `today`, or undefined before REMINDER_FROM. `statuses` holds each body's report
 * status on the due year (absent: none written).
 */
export function reportReminder(today: string, bodies: readonly ReminderBody[], statuses: ReadonlyMap<string, ReportStatus | undefined>): ReportReminder | undefined {
  const year = dueYear(today);
  if (today.slice(5) < REMINDER_FROM) return undefined;
  const deadline = reportDeadline(year);
  const daysLeft = Math.round((dayMs(deadline) - dayMs(today)) / 86_400_000);
  const missing = bodies
    .map((b) => ({ ...b, status: statuses.get(b.id) }))
    .filter((b) => b.status !== 'PUBLISHED')
    .map((b) => ({ id: b.id, name: b.name, status: (b.status ?? 'NONE') as 'NONE' | Exclude<ReportStatus, 'PUBLISHED'> }));
  return { year, deadline, daysLeft, overdue: daysLeft < 0, missing };
}

/** GET /annual-reports/due: the reminder on today, for the bodies the caller acts for (`open` false before the window). */
export const ReportsDueView = /* @__PURE__ */ (() =>
  z.object({
    today: z.string(),
    open: z.boolean(),
    year: z.string(),
    deadline: z.string(),
    daysLeft: z.number(),
    overdue: z.boolean(),
    missing: z.array(z.object({ id: z.string(), name: z.string(), status: z.enum(['NONE', ...REPORT_STATUSES.filter((s) => s !== 'PUBLISHED')] as [string, ...string[]]) })),
  }))();
export type ReportsDueView = z.infer<typeof ReportsDueView>;
