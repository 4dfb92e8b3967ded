import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { countWithin, getItem, INDEX, ITEM, putNew, query, replaceVersioned, VersionConflict } from '#shared/aws/table';
import { ConflictError, NotFoundError, TooManyRequestsError } from '#shared/errors';
import { addWorkingDays, CalendarNotCoveredError } from '#shared/calendar';
import { Application, DUE_SOON_WORKING_DAYS, OPEN_STATUSES, urgency, watchDay } from '#shared/domain/application';

/**
 * Applications (依申请公开) in the single table. An application is one item, replaced whole at
 * the version it was read at, its history on it (an application has a few dozen steps at
 * most). Its tracking code finds it through a key of its own; the applicant never sees the id.
 * Two index entries follow it: its body's list (byStatus: APPS#<body>, by the day received)
 * and, while its clock can run out, the deadline watch (byReviewDue: APPDUE#<body>, by the day
 * it is due), so the lists of applications due soon or overdue are one query of what is due,
 * whatever the number of open applications.
 */

/** The item an application is stored as, with its index keys (also used by bench/applications.ts to seed in bulk). */
export function toItem(a: Application): Record<string, unknown> {
  const watch = OPEN_STATUSES.includes(a.status) ? watchDay(a) : undefined;
  return {
    ...a,
    ...ITEM.application.key(a.id),
    gsi1pk: ITEM.application.byBody(a.body),
    gsi1sk: `${a.receivedOn}#${a.id}`,
    ...(watch ? { gsi2pk: ITEM.application.byDue(a.body), gsi2sk: `${watch}#${a.id}` } : {}),
  };
}

const fromItem = (item: Record<string, unknown>): Application => Application.parse(item);

/** A tracking code: 16 characters of Crockford base32 (80 bits), grouped by four for reading aloud. */
export function newTrackingCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % 32]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`;
}
/** The form codes are typed in: upper case, the groups' dashes optional, O read as 0 and I/L as 1. */
export const normaliseTrackingCode = (code: string): string => {
  const c = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return c.length === 16 ? `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8, 12)}-${c.slice(12, 16)}` : c;
};

export const newApplicationId = (at: Date): string => `A${ulid(at.getTime())}`;

/** The item that finds an application by its tracking code. */
export const trackingItem = (a: Application): Record<string, unknown> => ({ ...ITEM.application.tracking(a.trackingCode), id: a.id });

/** Stores a new application and the key its tracking code opens it by. */
export async function createApplication(a: Application): Promise<void> {
  // The tracking key first: an application is never stored without the key that finds it.
  if (!(await putNew(trackingItem(a)))) throw new ConflictError({ zh: '跟踪码冲突，请重新提交。', en: 'The tracking code is taken; submit again.' });
  if (!(await putNew(toItem(a)))) throw new ConflictError({ zh: `申请 ${a.id} 已存在。`, en: `An application ${a.id} exists already.` });
}

export async function findApplication(id: string): Promise<Application | undefined> {
  const item = await getItem(ITEM.application.key(id));
  return item ? fromItem(item) : undefined;
}

export async function getApplication(id: string): Promise<Application> {
  const a = await findApplication(id);
  if (!a) throw new NotFoundError({ zh: `找不到申请 ${id}。`, en: `No application ${id}.` });
  return a;
}

/** The application a tracking code opens; a 404 that says nothing more for a wrong code. */
export async function applicationByTrackingCode(code: string): Promise<Application> {
  const item = await getItem(ITEM.application.tracking(normaliseTrackingCode(code)));
  const a = item ? await findApplication(String(item.id)) : undefined;
  if (!a) throw new NotFoundError({ zh: '找不到该跟踪码对应的申请，请核对跟踪码。', en: 'No application has this tracking code; check the code.' });
  return a;
}

/** Writes `next` (the application after a step) if the stored one is still at `prev.version`. */
export async function saveApplication(prev: Application, next: Application): Promise<Application> {
  const out = { ...next, version: prev.version + 1 };
  try {
    await replaceVersioned(toItem(out), prev.version);
  } catch (err) {
    if (err instanceof VersionConflict)
      throw new ConflictError({ zh: '该申请已被他人办理，请刷新后重试。', en: 'The application was changed by someone else; reload and try again.' }, { cause: err });
    throw err;
  }
  return out;
}

/** A body's applications, the most recently received first (one page of `limit`). */
export async function listApplications(body: string, limit = 200): Promise<Application[]> {
  const res = await query(
    {
      IndexName: INDEX.byStatus,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'gsi1pk' },
      ExpressionAttributeValues: { ':pk': ITEM.application.byBody(body) },
      ScanIndexForward: false,
    },
    { limit },
  );
  return res.items.map(fromItem);
}

export interface DeadlineList {
  readonly overdue: Application[];
  readonly dueSoon: Application[];
  /** Open applications whose deadline the calendar does not reach yet, as it runs out: set by hand. */
  readonly uncovered: Application[];
  /** Index items read: the cost of the query, proportional to what is due, not to what is open. */
  readonly read: number;
}

/**
 * A body's open applications overdue or due within DUE_SOON_WORKING_DAYS working days of
 * `today`: one query of the deadline index, up to the last day that counts as due soon.
 */
export async function deadlines(body: string, today: string): Promise<DeadlineList> {
  let until: string;
  try {
    until = addWorkingDays(today, DUE_SOON_WORKING_DAYS);
  } catch (err) {
    if (!(err instanceof CalendarNotCoveredError)) throw err;
    // The calendar ends within five working days: everything up to its end, and past it.
    until = `${err.year}-01-01`;
  }
  const res = await query({
    IndexName: INDEX.byReviewDue,
    KeyConditionExpression: '#pk = :pk AND #sk <= :until',
    ExpressionAttributeNames: { '#pk': 'gsi2pk', '#sk': 'gsi2sk' },
    ExpressionAttributeValues: { ':pk': ITEM.application.byDue(body), ':until': `${until}#~` },
  });
  const apps = res.items.map(fromItem);
  return {
    overdue: apps.filter((a) => urgency(a, today) === 'overdue'),
    dueSoon: apps.filter((a) => urgency(a, today) === 'due-soon'),
    uncovered: apps.filter((a) => urgency(a, today) === 'uncovered'),
    read: res.scanned,
  };
}

/**
 * Counts a request of `client` for `action` in the current window; a 429 with Retry-After when
 * the client has made `limit` already (the public routes: applications, tracking lookups).
 */
export async function limitRate(action: string, client: string, limit: number, windowSeconds: number, at: Date): Promise<void> {
  const windowStart = Math.floor(at.getTime() / 1000 / windowSeconds) * windowSeconds;
  const ok = await countWithin(ITEM.application.rate(action, client, String(windowStart)), limit, windowStart + windowSeconds * 2);
  if (!ok)
    throw new TooManyRequestsError(
      { zh: '请求过于频繁，请稍后再试。', en: 'Too many requests from this address; try again later.' },
      windowStart + windowSeconds - at.getTime() / 1000,
    );
}

/** Requests one address may make in an hour: applications, and lookups or steps by tracking code. */
export const PUBLIC_LIMITS = { apply: 10, track: 300, step: 30, windowSeconds: 3600 } as const;

/** The application `id` if `who` (the office, an approver) acts for its body; a 404 otherwise, as if it did not exist. */
export async function applicationFor(id: string, bodies: readonly string[]): Promise<Application> {
  const a = /^A[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await findApplication(id) : undefined;
  if (!a || !bodies.includes(a.body)) throw new NotFoundError({ zh: `找不到申请 ${id}。`, en: `No application ${id}.` });
  return a;
}
