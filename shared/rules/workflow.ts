import { CalendarNotCoveredError, deadlineAfter, workingDaysBetween } from '#shared/calendar';
import type { Severity } from '#shared/domain/finding';
import type { Bilingual } from '#shared/errors';

/**
 * Rules the approval and site stages enforce (re-review, publication). They are not checks
 * on a draft's content, so they have no check function here; their data is listed with the
 * rulebook (GET /rules, the site's rules page) and the constants they need live here, so
 * that the workflow and the site quote the same source.
 */
export interface WorkflowRule {
  readonly id: string;
  readonly title: Bilingual;
  readonly source: string;
  readonly severity: Severity;
  /** The part of the system that enforces it. */
  readonly owner: 'approval' | 'site';
}

export const WORKFLOW_RULES: readonly WorkflowRule[] = [
  {
    id: 'REV-1',
    title: { zh: '依申请公开和不予公开的文件每年复核', en: 'Documents not disclosed proactively are re-reviewed every year' },
    source: '000 §二(三)1（每年对属性为依申请公开或不予公开的文件进行复核）；003 §三(3)1；004 五；条例第十八条',
    severity: 'block',
    owner: 'approval',
  },
  {
    id: 'REV-2',
    title: { zh: '依申请公开的人数和频次达到一定范围的提前复核', en: 'A document applied for often is re-reviewed early' },
    source: '000 §二(三)1（因情势变化或依申请公开的人数和频次达到一定范围的文件……转为主动公开）；003 §三(3)1（依申请公开较为集中的信息）',
    severity: 'warn',
    owner: 'approval',
  },
  {
    id: 'PUB-1',
    title: { zh: '政策文件与解读相互链接，设解读专栏', en: 'A policy document and its interpretation link to each other; an interpretation column lists them' },
    source: '000 §二(五)3（政府网站应当设立政策文件解读专栏……在政策文件链接后增加“解读”跳转链接）',
    severity: 'block',
    owner: 'site',
  },
  {
    id: 'PUB-2',
    title: { zh: '政府信息公开法定栏目', en: 'The statutory columns of the disclosure site' },
    source: '000 §二(三)2（必须设置政府信息公开指南、政府信息公开制度、法定主动公开内容、主动公开基本目录和政府信息公开工作年度报告等栏目）',
    severity: 'block',
    owner: 'site',
  },
  {
    id: 'PUB-3',
    title: { zh: '行政规范性文件注明有效期并集中公开', en: 'Normative documents show their validity; a column lists those in force' },
    source: '002 §一(二)（行政规范性文件要在文件正文末尾注明本文有效期限……建立专栏集中公开）',
    severity: 'block',
    owner: 'site',
  },
  {
    id: 'PUB-5',
    title: { zh: '主动公开的信息自形成或变更之日起20个工作日内公开', en: 'Proactive information is published within 20 working days' },
    source: '条例第二十六条',
    severity: 'warn',
    owner: 'site',
  },
];

/** REV-1: months between reviews of a non-public document (条例 Art. 18; 000 每年复核). */
export const REVIEW_INTERVAL_MONTHS = 12;
/** PUB-5: 条例 Art. 26, "自该政府信息形成或者变更之日起20个工作日内". */
export const PUBLISH_WITHIN_WORKING_DAYS = 20;
/** PUB-2: the columns 000 §二(三)2 requires, in its order. */
export const STATUTORY_COLUMNS = ['政府信息公开指南', '政府信息公开制度', '法定主动公开内容', '主动公开基本目录', '政府信息公开工作年度报告'] as const;

/**
 * PUB-5's clock for one document: 20 working days (China's calendar, with 调休) from the day
 * it was formed (成文日期) to its publication. `due` is null when the calendar does not cover
 * the year the count reaches (flagged, never guessed); `withinLimit` is then unknown.
 */
export interface PublicationClock {
  readonly formedOn: string;
  readonly due: string | null;
  readonly uncoveredYear?: number;
  readonly publishedOn?: string;
  /** Working days from forming to publication, when both are in years the calendar covers. */
  readonly workingDaysTaken?: number;
  readonly withinLimit?: boolean;
}

export function publicationClock(formedOn: string, publishedOn?: string): PublicationClock {
  const deadline = deadlineAfter(formedOn, PUBLISH_WITHIN_WORKING_DAYS);
  const base = deadline.kind === 'due' ? { formedOn, due: deadline.due } : { formedOn, due: null, uncoveredYear: deadline.year };
  if (!publishedOn) return base;
  if (deadline.kind === 'due' && publishedOn <= deadline.due) {
    return { ...base, publishedOn, workingDaysTaken: workingDaysBetween(formedOn, publishedOn), withinLimit: true };
  }
  try {
    const taken = workingDaysBetween(formedOn, publishedOn);
    return { ...base, publishedOn, workingDaysTaken: taken, withinLimit: taken <= PUBLISH_WITHIN_WORKING_DAYS };
  } catch (err) {
    // The days taken cannot be counted; past a known last day it is late all the same.
    if (err instanceof CalendarNotCoveredError) return { ...base, publishedOn, ...(deadline.kind === 'due' ? { withinLimit: false } : {}) };
    throw err;
  }
}
